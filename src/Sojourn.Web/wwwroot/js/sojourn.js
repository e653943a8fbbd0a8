// Small browser helpers the pages call through JS interop (kept to what Blazor cannot do on the server).
window.sojourn = window.sojourn || {};

// Station workbench: fetch a document with the stated purpose (a header a link cannot carry) and save the blob.
window.sojourn.stationDownload = async function (url, purpose, fileName) {
    const response = await fetch(url, { credentials: 'same-origin', headers: purpose ? { 'X-Sojourn-Purpose': purpose } : {} });
    if (!response.ok) {
        return response.status;
    }
    const blob = await response.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    return response.status;
};
