// The collector's service worker (scope /collect, registered by js/collector.js). It lets /collect open without a
// connection: a navigation that fails falls back to collect-offline.html, a static copy of the capture form that needs
// no Blazor circuit. It caches only the fixed list of static files below, never a page or API response: those may
// carry personal data, and every other request passes through untouched.
'use strict';

const CACHE = 'sojourn-collect-v1';
const SHELL = '/collect-offline.html';
// What the offline copy needs to draw the form and its Chinese text: its markup, the collector's script and styles,
// and the basic CJK font (Noto Sans SC). The extension-plane fonts (rare characters in names) are left out: a phone's
// own fonts stand in for the few characters they cover.
const FILES = [SHELL, '/css/collector.css', '/css/collector-offline.css', '/js/collector.js', '/js/collector-offline.js'];
const FONT = '/fonts/NotoSansSC-Regular.ttf';
const STATIC = new Set([...FILES, FONT]);

self.addEventListener('install', event => {
    event.waitUntil((async () => {
        const cache = await caches.open(CACHE);
        await cache.addAll(FILES);
        // The font is immutable (its response says so): fetched once, kept.
        if (!(await cache.match(FONT))) {
            await cache.add(FONT);
        }
        await self.skipWaiting();
    })());
});

self.addEventListener('activate', event => {
    event.waitUntil((async () => {
        for (const name of await caches.keys()) {
            if (name.startsWith('sojourn-collect-') && name !== CACHE) {
                await caches.delete(name);
            }
        }
        await self.clients.claim();
    })());
});

self.addEventListener('fetch', event => {
    const request = event.request;
    if (request.method !== 'GET') {
        return;
    }
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) {
        return;
    }
    if (request.mode === 'navigate') {
        // The live page when the server answers (its response is never stored), the offline copy when it does not.
        event.respondWith(fetch(request).catch(async () => (await caches.match(SHELL)) || Response.error()));
        return;
    }
    if (!STATIC.has(url.pathname)) {
        return;
    }
    if (url.pathname === FONT) {
        event.respondWith((async () => (await caches.match(FONT)) || fetch(request))());
        return;
    }
    // Network first, so the offline copy follows the deployed script; the cached copy when there is no network.
    event.respondWith((async () => {
        try {
            const response = await fetch(request);
            if (response.ok) {
                const cache = await caches.open(CACHE);
                await cache.put(url.pathname, response.clone());
            }
            return response;
        } catch {
            return (await caches.match(url.pathname)) || Response.error();
        }
    })());
});
