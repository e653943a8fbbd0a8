// Small browser helpers the pages call through JS interop (kept to what Blazor cannot do on the server).
window.sojourn = window.sojourn || {};
