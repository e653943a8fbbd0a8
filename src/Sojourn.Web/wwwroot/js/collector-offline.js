// The offline copy of /collect (collect-offline.html): draws the form the live page kept and starts the same script,
// without a circuit. The captures saved here go into the same encrypted store and are sent by the same path.
(() => {
    'use strict';
    const raw = localStorage.getItem('sojourn.collector.shell');
    if (!raw) {
        document.querySelector('[data-testid=offline-missing]').hidden = false;
        return;
    }
    const shell = JSON.parse(raw);
    const text = shell.options.text || {};
    document.documentElement.lang = shell.options.english ? 'en' : 'zh-CN';
    document.title = text.Js_OfflineTitle || document.title;
    document.querySelector('[data-testid=offline-title]').textContent = text.Js_OfflineTitle || '';
    document.querySelector('[data-testid=offline-note]').textContent = text.Js_OfflineNote || '';
    const root = document.getElementById('collector');
    root.innerHTML = shell.html;
    window.sojournCollector.init(root, null, shell.options);
})();
