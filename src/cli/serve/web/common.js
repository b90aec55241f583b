// jixiao 绩效自评工作台 (`jixiao serve`): the state, the calls to the server and small helpers.
// The page's scripts are plain ES2020 loaded in order by index.html (common.js,
// editor.js, assist.js, rules.js, forms.js, whatif.js, app.js), sharing one global scope; see
// app.js for the invariants of the whole page.
'use strict';

// ---------------------------------------------------------------------------------------
// State

/** How many rows a long table draws at first: 10,000 forms drawn at once would take the
 * page half a second, for rows nobody reads before sorting or filtering. */
const ROWS_SHOWN = 300;

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

const S = {
  token: ($('meta[name="jixiao-token"]') || {}).content || '',
  workspace: { dir: '', rules: [], forms: [], first: null },
  buffers: new Map(), // path → { text, saved, version, readOnly }
  current: null, // path of the rule file in the editor
  diags: [],
  checked: false, // the file in the editor has been analysed at least once (rules.js)
  tokens: new Map(), // line text → [[start, end, class]] (editor.js)
  params: [],
  ok: true,
  testResults: [], // [{ name, line, status, message }]
  analyze: { seq: 0, timer: 0, abort: null },
  view: 'rules',
  // partial: the folder's forms are still being read (forms.js), `read` of `total` so far;
  // rows: of the forms of `generation` under the rules `basis` (a ruleset as JSON); drawn:
  // the rows in the table's body now.
  forms: { rows: [], max: null, sort: { key: 'total', dir: -1 }, filter: '', seq: 0, needed: true, stale: false, open: null, partial: false, read: 0, total: 0, generation: null, basis: null, timer: 0, drawn: null },
  whatif: { set: {}, baseline: '', seq: 0, timer: 0, needed: true, last: null },
  imported: null, // { name, bytes }
};

// ---------------------------------------------------------------------------------------
// Talking to the server

class ApiError extends Error {
  constructor(status, body, text) {
    const err = body && body.error;
    const diags = body && Array.isArray(body.diagnostics) ? body.diagnostics : null;
    let message = `服务器返回错误（HTTP ${status}）`;
    if (err) message = err.message;
    else if (diags && diags.length) message = diags[0].message;
    else if (text && status >= 500) message += `：${text.slice(0, 200)}`;
    super(message);
    this.status = status;
    this.code = err ? err.code : diags && diags.length ? diags[0].code : null;
    this.help = err ? err.help : diags && diags.length ? diags[0].help : null;
    this.diagnostics = diags;
  }
}

async function api(method, url, body, opts = {}) {
  const headers = { 'X-Jixiao-Token': S.token };
  let payload;
  if (body instanceof ArrayBuffer) {
    payload = body;
    headers['Content-Type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(url, { method, headers, body: payload, signal: opts.signal, credentials: 'same-origin' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    const gone = new Error('无法连接工作台服务：请确认运行 jixiao serve 的终端窗口仍然开着。');
    gone.status = 0;
    throw gone;
  }
  if (opts.raw && res.ok) return res;
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (_) {
    data = null;
  }
  if (!res.ok) throw new ApiError(res.status, data, text);
  return data;
}

// ---------------------------------------------------------------------------------------
// Small helpers

function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'html') e.innerHTML = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) e.append(c);
  return e;
}

let statusTimer = 0;
function say(text, kind = 'info', help = null, code = null) {
  const bar = $('#status');
  bar.className = `status ${kind}`;
  bar.replaceChildren(el('span', { text }));
  if (code) bar.append(' ', el('code', { text: code }));
  if (help) bar.append(el('span', { class: 'help', text: `　${help}` }));
  clearTimeout(statusTimer);
  if (kind === 'info') statusTimer = setTimeout(() => bar.replaceChildren(), 8000);
}

function fail(e, what) {
  if (e && e.name === 'AbortError') return;
  say(`${what}：${e.message}`, 'error', e.help, e.code);
}

/** The number of a decimal string, for sorting only (shown values stay the server's text). */
function num(s) {
  if (s == null || s === '') return null;
  const n = parseFloat(String(s).replace(/,/g, ''));
  return Number.isNaN(n) ? null : n;
}

/** A count with thousands separated as the page writes them: 10,000. */
function count(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A decimal string times 100, rounded half up to `places`, exactly (digit by digit). */
function percent(s, places = 2) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(s || ''));
  if (!m) return '';
  const frac = (m[3] || '') + '0'.repeat(places + 3);
  let digits = (m[2] + frac.slice(0, 2 + places)).replace(/^0+(?=\d)/, '');
  if (frac.charCodeAt(2 + places) >= 53) {
    let out = '';
    let carry = 1;
    for (let i = digits.length - 1; i >= 0; i--) {
      const d = digits.charCodeAt(i) - 48 + carry;
      carry = d > 9 ? 1 : 0;
      out = String(d % 10) + out;
    }
    digits = (carry ? '1' : '') + out;
  }
  digits = digits.padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  return `${m[1]}${whole}${places ? '.' + digits.slice(-places) : ''}%`;
}

function signed(s) {
  if (s == null) return '';
  const t = String(s);
  return t.startsWith('-') || t.startsWith('+') || /^0(\.0+)?$/.test(t) ? t : `+${t}`;
}

/** A signed difference, blank when it is zero (as the CLI's tables show it). */
function nonzero(s) {
  return s == null || /^[-+]?0(\.0+)?$/.test(String(s)) ? '' : signed(s);
}

function ask(title, text, opts = {}) {
  const dlg = $('#dialog');
  $('#dialog-title').textContent = title;
  $('#dialog-text').textContent = text;
  const input = $('#dialog-input');
  input.hidden = opts.input == null;
  input.value = opts.input || '';
  $('#dialog-ok').textContent = opts.ok || '确定';
  return new Promise((resolve) => {
    dlg.addEventListener(
      'close',
      () => resolve(dlg.returnValue === 'ok' ? (opts.input == null ? true : input.value.trim()) : null),
      { once: true },
    );
    dlg.returnValue = '';
    dlg.showModal();
    if (!input.hidden) input.select();
  });
}

function fileName(p) {
  return String(p).split('/').pop();
}

function stem(p) {
  return fileName(p).replace(/^bundled:/, '').replace(/\.[^.]*$/, '');
}

