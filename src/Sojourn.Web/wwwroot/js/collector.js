// The community collector's quick capture (/collect). Plain script, no Blazor: the page must keep taking captures
// while the connection, and so the page's circuit, is down. Captures are kept in IndexedDB encrypted with AES-GCM
// under a non-extractable key that never leaves this browser, and sent to POST /api/v1/registrations when the
// connection returns, each with the Idempotency-Key made when it was saved: a resend after a lost answer gets the
// first answer back instead of a second registration.
(() => {
    'use strict';

    const DB_NAME = 'sojourn-collector';
    const CAPTURES = 'captures';
    const KEYS = 'keys';
    const KEY_ID = 'capture-key';
    const ENDPOINT = '/api/v1/registrations';
    const RETRY_MS = 30000;
    // The empty form and texts the offline copy (collect-offline.html) draws.
    const SHELL_KEY = 'sojourn.collector.shell';
    // A sent capture stays on the device as long as the server replays its Idempotency-Key (24 hours), then goes:
    // the registration is on the server, and a phone should not hold people's data longer than it helps.
    const KEEP_SENT_MS = 24 * 60 * 60 * 1000;

    // GB 11643-1999, as Sojourn.Domain.CitizenId checks it (the browser test holds the two to the same answers).
    const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK = '10X98765432';
    const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
        41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]);

    function checkCharacter(first17) {
        let sum = 0;
        for (let i = 0; i < 17; i++) {
            sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** Today's date in China (the law's clock), yyyy-mm-dd. */
    function chinaToday() {
        return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
            .format(new Date());
    }

    /**
     * Checks an identity number: { ok, error, value, birthDate, sex }. error is the name of the domain's
     * CitizenIdError (Empty, Format, CheckCharacter, BirthDate, FutureBirthDate, UnknownProvince).
     */
    function checkId(input, today) {
        const s = (input || '').trim();
        today = today || chinaToday();
        if (s.length === 0) {
            return { ok: false, error: 'Empty' };
        }
        let candidate;
        if (s.length === 18) {
            if (!/^[0-9]{17}[0-9Xx]$/.test(s)) {
                return { ok: false, error: 'Format' };
            }
            candidate = s.slice(0, 17) + s[17].toUpperCase();
            if (checkCharacter(candidate) !== candidate[17]) {
                return { ok: false, error: 'CheckCharacter' };
            }
        } else if (s.length === 15) {
            if (!/^[0-9]{15}$/.test(s)) {
                return { ok: false, error: 'Format' };
            }
            const first17 = s.slice(0, 6) + '19' + s.slice(6);
            candidate = first17 + checkCharacter(first17);
        } else {
            return { ok: false, error: 'Format' };
        }
        if (!PROVINCES.has(Number(candidate.slice(0, 2)))) {
            return { ok: false, error: 'UnknownProvince' };
        }
        const year = Number(candidate.slice(6, 10));
        const month = Number(candidate.slice(10, 12));
        const day = Number(candidate.slice(12, 14));
        const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
        if (month < 1 || month > 12 || day < 1 || year < 1800 || day > daysInMonth) {
            return { ok: false, error: 'BirthDate' };
        }
        const birthDate = candidate.slice(6, 10) + '-' + candidate.slice(10, 12) + '-' + candidate.slice(12, 14);
        if (birthDate > today) {
            return { ok: false, error: 'FutureBirthDate' };
        }
        return { ok: true, error: 'None', value: candidate, birthDate, sex: (candidate.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female' };
    }

    function masked(id) {
        return id && id.length === 18 ? id.slice(0, 4) + '**********' + id.slice(14) : '';
    }

    // ---- IndexedDB and WebCrypto -------------------------------------------------------------------------------

    let dbPromise = null;

    function openDb() {
        dbPromise = dbPromise || new Promise((resolve, reject) => {
            const request = indexedDB.open(DB_NAME, 1);
            request.onupgradeneeded = () => {
                const db = request.result;
                db.createObjectStore(KEYS);
                db.createObjectStore(CAPTURES, { keyPath: 'id' });
            };
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
        });
        return dbPromise;
    }

    function tx(store, mode, work) {
        return openDb().then(db => new Promise((resolve, reject) => {
            const t = db.transaction(store, mode);
            const result = work(t.objectStore(store));
            t.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
            t.onerror = () => reject(t.error);
            t.onabort = () => reject(t.error);
        }));
    }

    let keyPromise = null;

    /** The AES-GCM key: made once per browser, non-extractable, kept as a CryptoKey object in IndexedDB. */
    function captureKey() {
        keyPromise = keyPromise || (async () => {
            const existing = await tx(KEYS, 'readonly', s => s.get(KEY_ID));
            if (existing) {
                return existing;
            }
            const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
            await tx(KEYS, 'readwrite', s => s.put(key, KEY_ID));
            return key;
        })();
        return keyPromise;
    }

    async function seal(content, id) {
        const key = await captureKey();
        const iv = crypto.getRandomValues(new Uint8Array(12));
        // The record id is the additional data: a ciphertext moved to another record does not decrypt.
        const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(id) }, key,
            new TextEncoder().encode(JSON.stringify(content)));
        return { iv, data };
    }

    async function open(record) {
        const key = await captureKey();
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv, additionalData: new TextEncoder().encode(record.id) },
            key, record.data);
        return JSON.parse(new TextDecoder().decode(plain));
    }

    /** Writes a capture: only its id, owner, status and times are in the clear; the body and the answer are sealed. */
    async function put(id, owner, status, createdAt, content) {
        const sealed = await seal(content, id);
        await tx(CAPTURES, 'readwrite', s => s.put({ id, owner, status, createdAt, updatedAt: new Date().toISOString(), iv: sealed.iv, data: sealed.data }));
    }

    async function all(owner) {
        const rows = await tx(CAPTURES, 'readonly', s => s.getAll());
        return (rows || []).filter(r => r.owner === owner).sort((a, b) => a.createdAt < b.createdAt ? 1 : -1);
    }

    function remove(id) {
        return tx(CAPTURES, 'readwrite', s => s.delete(id));
    }

    // ---- Sending ----------------------------------------------------------------------------------------------

    let syncing = null;

    /** Sends what waits, one at a time, in the order saved; one run at a time per tab (and per browser, with Web Locks). */
    function sync() {
        if (syncing) {
            return syncing;
        }
        const run = () => sendPending().finally(() => { syncing = null; });
        syncing = navigator.locks ? navigator.locks.request('sojourn-collector-sync', run) : run();
        return syncing;
    }

    async function sendPending() {
        if (!state.owner) {
            return;
        }
        const waiting = (await all(state.owner)).filter(r => r.status === 'pending').reverse();
        if (waiting.length === 0) {
            return;
        }
        note(text('Js_Sending'));
        let sent = 0;
        for (const record of waiting) {
            const content = await open(record);
            let response;
            try {
                response = await fetch(ENDPOINT, {
                    method: 'POST',
                    credentials: 'same-origin',
                    headers: {
                        'Content-Type': 'application/json',
                        'Accept': 'application/json',
                        'Accept-Language': state.english ? 'en' : 'zh-CN',
                        'Idempotency-Key': record.id,
                    },
                    body: JSON.stringify(content.body),
                });
            } catch {
                note(''); // offline again: the next 'online' event resumes
                await render();
                return;
            }
            if (response.status === 401 || response.status === 403) {
                note(text('Js_SignInAgain'));
                await render();
                return;
            }
            if (response.status === 408 || response.status === 429 || response.status >= 500) {
                note(text('Js_ServerBusy'));
                await render();
                return;
            }
            const answer = await response.json().catch(() => ({}));
            if (response.ok) {
                content.result = { id: answer.id || null, status: answer.status || null };
                await put(record.id, record.owner, 'sent', record.createdAt, content);
                sent++;
            } else {
                // Refused (400 validation, 409 an open stay exists, outside the jurisdiction …): kept for correction, never resent as is.
                content.problem = { status: response.status, title: answer.title || '', detail: answer.detail || '', errors: answer.errors || {} };
                await put(record.id, record.owner, 'refused', record.createdAt, content);
            }
            await render();
        }
        note('');
        if (sent > 0) {
            const saved = $('[data-testid=cap-saved]');
            if (saved) {
                saved.textContent = '';
            }
        }
        if (sent > 0 && state.dotnet) {
            // The server list refreshes when the circuit is up; if it is not, nothing is lost.
            state.dotnet.invokeMethodAsync('Synced').catch(() => { });
        }
    }

    // ---- The page ----------------------------------------------------------------------------------------------

    const state = { root: null, dotnet: null, owner: null, english: false, text: {}, declarantRole: '', editing: null, timer: null };
    let globalsBound = false;

    function text(key, ...args) {
        const template = state.text[key] || key;
        return template.replace(/\{(\d+)\}/g, (_, i) => args[Number(i)] ?? '');
    }

    function $(selector) {
        return state.root ? state.root.querySelector(selector) : null;
    }

    function note(message) {
        const el = $('[data-testid=cap-sync-note]');
        if (el) {
            el.textContent = message;
        }
    }

    function showNet() {
        const el = $('[data-testid=cap-net]');
        if (el) {
            el.textContent = navigator.onLine ? text('Js_Online') : text('Js_Offline');
            el.classList.toggle('cap-offline', !navigator.onLine);
        }
    }

    function labelOf(name) {
        const input = $('#cap-' + name);
        const label = input && (input.closest('fieldset')?.querySelector('legend') || $('label[for="cap-' + name + '"]'));
        return label ? label.textContent.replace('*', '').trim() : name;
    }

    function setError(name, message) {
        const box = $('#cap-' + name + '-error');
        const input = $('#cap-' + name);
        if (box) {
            box.textContent = message || '';
        }
        if (input) {
            if (message) {
                input.setAttribute('aria-invalid', 'true');
            } else {
                input.removeAttribute('aria-invalid');
            }
        }
        return !message;
    }

    function formatDate(iso) {
        const [y, m, d] = iso.split('-').map(Number);
        if (state.english) {
            return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
        }
        return y + '年' + m + '月' + d + '日';
    }

    function formatTime(iso) {
        return new Date(iso).toLocaleString(state.english ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
    }

    /** The identity number as typed: the check, and what it says (sex, birth date). */
    function validateId() {
        const value = $('#cap-idNumber').value;
        const ok = $('[data-testid=cap-idNumber-ok]');
        ok.textContent = '';
        if (value.trim().length === 0) {
            return setError('idNumber', '');
        }
        const result = checkId(value);
        if (!result.ok) {
            return setError('idNumber', text('Id_' + result.error));
        }
        ok.textContent = text('Js_IdOk', text('Sex_' + result.sex), formatDate(result.birthDate));
        return setError('idNumber', '');
    }

    function validateField(name, submitting) {
        const input = $('#cap-' + name);
        if (!input) {
            return true;
        }
        const value = (input.value || '').trim();
        if (name === 'idNumber') {
            if (value.length === 0) {
                return setError(name, submitting ? text('Id_Empty') : '');
            }
            return validateId();
        }
        if (input.required && value.length === 0) {
            return setError(name, submitting ? text('Js_FieldRequired', labelOf(name)) : '');
        }
        if (name === 'hukouDivision' && value.length > 0 && !/^[0-9]{6}$/.test(value)) {
            return setError(name, text('Js_DivisionFormat', labelOf(name)));
        }
        if (name === 'intendedDays' && value.length > 0 && !(/^[0-9]+$/.test(value) && Number(value) >= 1)) {
            return setError(name, text('Js_DaysPositive', labelOf(name)));
        }
        if (name === 'employerCode' || name === 'hiredOn') {
            // Both or neither: the one left empty is named once the other is given.
            const other = name === 'employerCode' ? 'hiredOn' : 'employerCode';
            const otherValue = ($('#cap-' + other)?.value || '').trim();
            if (value.length === 0) {
                return setError(name, submitting && otherValue.length > 0 ? text('Js_FieldRequired', labelOf(name)) : '');
            }
            if (name === 'hiredOn') {
                if (value > chinaToday()) {
                    return setError(name, text('Js_InFuture', labelOf(name)));
                }
                const id = checkId($('#cap-idNumber').value);
                if (id.ok && value < id.birthDate) {
                    return setError(name, text('Js_BeforeBirth', labelOf(name)));
                }
            }
            return setError(name, '');
        }
        if (name === 'arrivedOn' && value.length > 0) {
            if (value > chinaToday()) {
                return setError(name, text('Js_InFuture', labelOf(name)));
            }
            const id = checkId($('#cap-idNumber').value);
            if (id.ok && value < id.birthDate) {
                return setError(name, text('Js_BeforeBirth', labelOf(name)));
            }
        }
        return setError(name, '');
    }

    // ---- Accompanying children (RecordInput.Children) ---------------------------------------------------------------

    const CHILD_FIELDS = ['name', 'idNumber', 'sex', 'birthDate'];
    const CHILD_LABELS = { name: 'Js_ChildName', idNumber: 'Js_ChildIdNumber', sex: 'Js_ChildSex', birthDate: 'Js_ChildBirthDate' };

    function childBlocks() {
        const list = $('.cap-child-list');
        return list ? Array.from(list.children) : [];
    }

    /** A child's block, built here (not by Blazor) so that the offline copy has it too; its ids follow its position. */
    function addChild(data) {
        const block = document.createElement('div');
        block.className = 'cap-child';
        block.dataset.testid = 'cap-child';
        const title = document.createElement('h3');
        title.className = 'cap-child-title';
        block.append(title);
        for (const field of CHILD_FIELDS) {
            const wrap = document.createElement('div');
            wrap.className = 'cap-field';
            const label = document.createElement('label');
            label.textContent = text(CHILD_LABELS[field]);
            let input;
            if (field === 'sex') {
                input = document.createElement('select');
                for (const [value, name] of [['', text('Js_Choose')], ['male', text('Sex_male')], ['female', text('Sex_female')]]) {
                    const option = document.createElement('option');
                    option.value = value;
                    option.textContent = name;
                    input.append(option);
                }
            } else {
                input = document.createElement('input');
                if (field === 'birthDate') {
                    input.type = 'date';
                    input.max = chinaToday();
                } else {
                    input.maxLength = field === 'idNumber' ? 18 : 200;
                }
                if (field === 'idNumber') {
                    input.autocapitalize = 'characters';
                    input.spellcheck = false;
                }
            }
            input.dataset.child = field;
            if (field !== 'idNumber') {
                input.required = true;
                const req = document.createElement('span');
                req.className = 'cap-req';
                req.textContent = '*';
                label.append(' ', req);
            }
            const error = document.createElement('div');
            error.className = 'cap-error';
            error.setAttribute('aria-live', 'polite');
            wrap.append(label, input, error);
            if (field === 'idNumber') {
                const ok = document.createElement('div');
                ok.className = 'cap-ok';
                ok.setAttribute('aria-live', 'polite');
                wrap.append(ok);
                input.addEventListener('input', () => validateChild(block, false));
            } else {
                input.addEventListener(field === 'sex' ? 'change' : 'blur', () => validateChild(block, false));
            }
            block.append(wrap);
        }
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'cap-button';
        remove.dataset.testid = 'cap-child-remove';
        remove.textContent = text('Js_ChildRemove');
        remove.addEventListener('click', () => { block.remove(); numberChildren(); });
        block.append(remove);
        $('.cap-child-list').append(block);
        numberChildren();
        if (data) {
            const get = f => block.querySelector('[data-child=' + f + ']');
            get('name').value = data.name || '';
            get('idNumber').value = data.idNumber || '';
            get('sex').value = data.sex || '';
            get('birthDate').value = data.birthDate || '';
            validateChild(block, false);
        }
        return block;
    }

    /** Ids by position (cap-children-0-name …), as the server names the fields (children[0].name): its errors land here. */
    function numberChildren() {
        childBlocks().forEach((block, i) => {
            block.querySelector('.cap-child-title').textContent = text('Js_ChildTitle', i + 1);
            for (const input of block.querySelectorAll('[data-child]')) {
                const id = 'cap-children-' + i + '-' + input.dataset.child;
                const wrap = input.closest('.cap-field');
                input.id = id;
                input.dataset.testid = id;
                input.setAttribute('aria-describedby', id + '-error');
                wrap.querySelector('label').htmlFor = id;
                wrap.querySelector('.cap-error').id = id + '-error';
                wrap.querySelector('.cap-error').dataset.testid = id + '-error';
                const ok = wrap.querySelector('.cap-ok');
                if (ok) {
                    ok.dataset.testid = id + '-ok';
                }
            }
        });
    }

    function setChildError(input, message) {
        input.closest('.cap-field').querySelector('.cap-error').textContent = message || '';
        if (message) {
            input.setAttribute('aria-invalid', 'true');
        } else {
            input.removeAttribute('aria-invalid');
        }
        return !message;
    }

    /** A child as typed: the identity number checked (and read for sex and birth date), the rest required and consistent. */
    function validateChild(block, submitting) {
        const get = f => block.querySelector('[data-child=' + f + ']');
        const label = f => text(CHILD_LABELS[f]);
        const idInput = get('idNumber');
        const okBox = block.querySelector('.cap-ok');
        okBox.textContent = '';
        let id = null;
        let valid = true;
        if (idInput.value.trim()) {
            const result = checkId(idInput.value);
            if (result.ok) {
                id = result;
                okBox.textContent = text('Js_IdOk', text('Sex_' + result.sex), formatDate(result.birthDate));
                if (!get('sex').value) {
                    get('sex').value = result.sex;
                }
                if (!get('birthDate').value) {
                    get('birthDate').value = result.birthDate;
                }
            }
            valid = setChildError(idInput, result.ok ? '' : text('Id_' + result.error)) && valid;
        } else {
            setChildError(idInput, '');
        }
        const name = get('name').value.trim();
        valid = setChildError(get('name'), name ? '' : submitting ? text('Js_FieldRequired', label('name')) : '') && valid && !!name;
        const sex = get('sex').value;
        valid = setChildError(get('sex'), !sex ? (submitting ? text('Js_FieldRequired', label('sex')) : '')
            : id && sex !== id.sex ? text('Js_DisagreesWithId', label('sex')) : '') && valid && !!sex;
        const birth = get('birthDate').value;
        valid = setChildError(get('birthDate'), !birth ? (submitting ? text('Js_FieldRequired', label('birthDate')) : '')
            : birth > chinaToday() ? text('Js_InFuture', label('birthDate'))
                : id && birth !== id.birthDate ? text('Js_DisagreesWithId', label('birthDate')) : '') && valid && !!birth;
        return valid;
    }

    function readChildren() {
        return childBlocks().map(block => {
            const v = f => block.querySelector('[data-child=' + f + ']').value.trim();
            return { name: v('name'), sex: v('sex') || null, birthDate: v('birthDate') || null, idNumber: v('idNumber').toUpperCase() || null };
        });
    }

    function fieldNames() {
        return Array.from(state.root.querySelectorAll('form [name]')).map(e => e.name).filter((n, i, a) => n !== 'socialInsurance' && a.indexOf(n) === i);
    }

    /** The form as the API's DeclareRequest (sex and birth date come from the identity number on the server). */
    function readForm() {
        const form = $('form');
        const v = n => (form.elements[n].value || '').trim();
        const optional = n => v(n) || null;
        return {
            name: v('name'),
            idNumber: v('idNumber').toUpperCase(),
            ethnicGroup: v('ethnicGroup'),
            hukouDivision: v('hukouDivision'),
            hukouAddress: v('hukouAddress'),
            residenceDivision: v('residenceDivision'),
            residenceAddress: v('residenceAddress'),
            workplace: optional('workplace'),
            employerCode: optional('employerCode'),
            hiredOn: optional('hiredOn'),
            education: v('education'),
            employment: v('employment'),
            socialInsurance: Array.from(form.querySelectorAll('input[name=socialInsurance]:checked')).map(c => c.value),
            maritalStatus: v('maritalStatus'),
            marriageBirthCertificate: form.elements.marriageBirthCertificate.checked,
            arrivedOn: optional('arrivedOn'),
            intendedDays: v('intendedDays') ? Number(v('intendedDays')) : null,
            purpose: v('purpose'),
            lodging: v('lodging'),
            children: readChildren(),
            declarant: { channel: 'collector', name: v('declarantName'), role: state.declarantRole },
        };
    }

    function fillForm(body) {
        const form = $('form');
        for (const [name, value] of Object.entries(body)) {
            const el = form.elements[name];
            if (!el || name === 'socialInsurance' || name === 'marriageBirthCertificate') {
                continue;
            }
            if ('value' in el) {
                el.value = value ?? '';
            }
        }
        form.elements.declarantName.value = body.declarant?.name || '';
        form.elements.marriageBirthCertificate.checked = !!body.marriageBirthCertificate;
        form.querySelectorAll('input[name=socialInsurance]').forEach(c => { c.checked = (body.socialInsurance || []).includes(c.value); });
        fieldNames().forEach(n => validateField(n, false));
        $('.cap-child-list').replaceChildren();
        (body.children || []).forEach(child => addChild(child));
    }

    function resetDefaults() {
        const form = $('form');
        form.elements.arrivedOn.value = chinaToday();
        form.elements.arrivedOn.max = chinaToday();
        const declarant = localStorage.getItem('sojourn.collector.declarant.' + state.owner);
        if (declarant) {
            form.elements.declarantName.value = declarant;
        }
        fieldNames().forEach(n => setError(n, ''));
        $('.cap-child-list').replaceChildren();
        $('[data-testid=cap-idNumber-ok]').textContent = '';
        $('[data-testid=cap-summary]').textContent = '';
        state.editing = null;
        $('[data-testid=cap-editing]').hidden = true;
    }

    async function save(event) {
        event.preventDefault();
        const names = fieldNames();
        const valid = [...names.map(n => validateField(n, true)), ...childBlocks().map(b => validateChild(b, true))].every(Boolean);
        const summary = $('[data-testid=cap-summary]');
        if (!valid) {
            summary.textContent = text('Js_FixErrors');
            const first = state.root.querySelector('[aria-invalid=true]');
            if (first) {
                first.focus();
            }
            return;
        }
        summary.textContent = '';
        if (!window.crypto || !crypto.subtle) {
            summary.textContent = text('Js_NoCrypto');
            return;
        }
        const body = readForm();
        localStorage.setItem('sojourn.collector.declarant.' + state.owner, body.declarant.name);
        // A new key for every saved content: a corrected capture is a new request (the old key would answer 422).
        const id = crypto.randomUUID();
        await put(id, state.owner, 'pending', new Date().toISOString(), { body });
        if (state.editing) {
            await remove(state.editing);
        }
        clearForm();
        $('[data-testid=cap-saved]').textContent = navigator.onLine ? text('Js_Saved') : text('Js_SavedOffline');
        await render();
        if (navigator.onLine) {
            sync();
        }
    }

    function problemLines(problem) {
        const lines = [];
        for (const [field, messages] of Object.entries(problem.errors || {})) {
            // children[0].birthDate is the field cap-children-0-birthDate, named by the child's number and the field.
            const child = /^children\[(\d+)\]\.?(\w*)$/.exec(field);
            const name = field.startsWith('declarant.') ? 'declarantName'
                : child ? 'children-' + child[1] + '-' + child[2] : field.replace(/\[\d+\]$/, '');
            const label = child ? text('Js_ChildTitle', Number(child[1]) + 1) + (child[2] ? ' ' + text(CHILD_LABELS[child[2]] || child[2]) : '')
                : labelOf(name);
            for (const message of [].concat(messages)) {
                lines.push({ field: name, label, message });
            }
        }
        return lines;
    }

    /** The list of this account's captures on this device, newest first, with what waits counted. */
    async function render() {
        const list = $('[data-testid=cap-list]');
        if (!list || !state.owner) {
            return;
        }
        let records = await all(state.owner);
        const expired = records.filter(r => r.status === 'sent' && Date.now() - Date.parse(r.updatedAt) > KEEP_SENT_MS);
        for (const r of expired) {
            await remove(r.id);
        }
        records = records.filter(r => !expired.includes(r));
        const waiting = records.filter(r => r.status === 'pending').length;
        $('[data-testid=cap-waiting]').textContent = text('Js_Waiting', waiting);
        $('[data-testid=cap-waiting]').dataset.count = String(waiting);
        list.replaceChildren();
        if (records.length === 0) {
            const li = document.createElement('li');
            li.className = 'cap-empty';
            li.textContent = text('Js_Empty');
            list.append(li);
            return;
        }
        for (const record of records) {
            let content;
            try {
                content = await open(record);
            } catch {
                continue; // sealed under a key this browser no longer has
            }
            const li = document.createElement('li');
            li.className = 'cap-item cap-' + record.status;
            li.dataset.testid = 'cap-item';
            li.dataset.status = record.status;
            li.dataset.id = record.id;
            const head = document.createElement('div');
            head.className = 'cap-item-head';
            const who = document.createElement('strong');
            who.textContent = content.body.name + ' ' + masked(content.body.idNumber);
            const status = document.createElement('span');
            status.className = 'cap-status';
            status.dataset.testid = 'cap-item-status';
            status.textContent = text(record.status === 'pending' ? 'Js_StatusPending' : record.status === 'sent' ? 'Js_StatusSent' : 'Js_StatusRefused');
            head.append(who, status);
            const when = document.createElement('div');
            when.className = 'cap-item-when';
            when.textContent = text('Js_SavedAt', formatTime(record.createdAt));
            li.append(head, when);
            if (record.status === 'sent' && content.result?.id) {
                const reg = document.createElement('div');
                reg.className = 'cap-item-when';
                reg.textContent = text('Js_RegistrationNo', content.result.id);
                li.append(reg);
            }
            if (record.status === 'refused' && content.problem) {
                const problem = document.createElement('div');
                problem.className = 'cap-problem';
                problem.dataset.testid = 'cap-problem';
                const title = document.createElement('div');
                title.textContent = [content.problem.title, content.problem.detail].filter(Boolean).join('：');
                problem.append(title);
                const ul = document.createElement('ul');
                for (const line of problemLines(content.problem)) {
                    const item = document.createElement('li');
                    item.dataset.field = line.field;
                    item.textContent = line.label + '：' + line.message;
                    ul.append(item);
                }
                problem.append(ul);
                li.append(problem);
                const actions = document.createElement('div');
                actions.className = 'cap-actions';
                const edit = document.createElement('button');
                edit.type = 'button';
                edit.className = 'cap-button';
                edit.dataset.testid = 'cap-item-edit';
                edit.textContent = text('Js_Edit');
                edit.addEventListener('click', () => startEdit(record, content));
                const del = document.createElement('button');
                del.type = 'button';
                del.className = 'cap-button';
                del.dataset.testid = 'cap-item-delete';
                del.textContent = text('Js_Delete');
                del.addEventListener('click', async () => { await remove(record.id); await render(); });
                actions.append(edit, del);
                li.append(actions);
            }
            list.append(li);
        }
    }

    function clearForm() {
        $('form').reset();
        resetDefaults();
        $('[data-testid=cap-saved]').textContent = '';
    }

    function startEdit(record, content) {
        clearForm();
        fillForm(content.body);
        state.editing = record.id;
        $('[data-testid=cap-editing]').hidden = false;
        for (const line of problemLines(content.problem || {})) {
            if ($('#cap-' + line.field + '-error')) {
                setError(line.field, line.message);
            }
        }
        $('form').scrollIntoView({ behavior: 'smooth', block: 'start' });
    }

    function onOnline() {
        showNet();
        sync();
    }

    /** Called by the page once its circuit is up (again after a re-render that replaced the markup). */
    async function init(root, dotnet, options) {
        state.root = root;
        state.dotnet = dotnet;
        state.owner = options.owner;
        state.english = !!options.english;
        state.text = options.text || {};
        state.declarantRole = options.declarantRole || '';
        if (dotnet) {
            keepShell(root, options);
        }
        const form = $('form');
        form.addEventListener('submit', save);
        $('[data-testid=cap-clear]').addEventListener('click', clearForm);
        $('#cap-idNumber').addEventListener('input', validateId);
        for (const name of fieldNames()) {
            const el = $('#cap-' + name);
            el.addEventListener(el.tagName === 'SELECT' ? 'change' : 'blur', () => validateField(name, true));
            if (name !== 'idNumber') {
                el.addEventListener('input', () => { if (el.getAttribute('aria-invalid')) { validateField(name, true); } });
            }
        }
        $('[data-testid=cap-sync]').addEventListener('click', () => sync());
        $('[data-testid=cap-child-add]').addEventListener('click', () => addChild(null).querySelector('input').focus());
        if (!globalsBound) {
            globalsBound = true;
            window.addEventListener('online', onOnline);
            window.addEventListener('offline', showNet);
            state.timer = setInterval(() => { if (navigator.onLine) { sync(); } }, RETRY_MS);
        }
        resetDefaults();
        showNet();
        await render();
        if (navigator.onLine) {
            sync();
        }
    }

    /**
     * The live page keeps a copy of its empty form and texts (no capture, no answer of the server: nothing personal)
     * for the offline copy, and registers the service worker that serves that copy when /collect cannot be fetched.
     */
    function keepShell(root, options) {
        const copy = root.cloneNode(true);
        copy.querySelectorAll('.cap-list, .cap-child-list').forEach(e => e.replaceChildren());
        copy.querySelectorAll('.cap-error, .cap-ok, .cap-net, .cap-count, .cap-sync-note, .cap-saved').forEach(e => { e.textContent = ''; });
        copy.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
        try {
            localStorage.setItem(SHELL_KEY, JSON.stringify({ html: copy.innerHTML, options }));
        } catch {
            // Storage full or refused: the live page works on; only the offline copy is missing.
        }
        if ('serviceWorker' in navigator) {
            navigator.serviceWorker.register('/collect-sw.js', { scope: '/collect' }).catch(() => { });
        }
    }

    /** The page went away (navigation): stop touching its markup. */
    function detach() {
        state.root = null;
        state.dotnet = null;
    }

    /** The captures of the signed-in account on this device, decrypted (the browser tests read them). */
    async function list() {
        const records = await all(state.owner);
        return Promise.all(records.map(async r => ({ id: r.id, status: r.status, content: await open(r) })));
    }

    window.sojournCollector = { init, detach, sync, checkId, list };
})();
