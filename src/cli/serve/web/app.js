// jixiao 绩效自评工作台: the page of `jixiao serve`.
//
// Input: the server's JSON API (docs in the server's source: /api/workspace, /api/rules,
// /api/analyze, /api/format, /api/test, /api/score, /api/impact, /api/form, /api/import,
// /api/report, /api/variant) and the token in <meta name="jixiao-token">, sent as
// X-Jixiao-Token on every call. Output: four views (规则, 表单, 模拟, 报告).
//
// Invariants: every text the user sees is Chinese; typing never waits for the server
// (requests are debounced and the latest request wins: an answer to an older one is
// dropped); results that the current rule text cannot reproduce (it has errors) stay on
// screen marked 已过期; offsets from the server are UTF-16 code units, as JS strings are.
// Plain ES2020, no framework, no build step: the server embeds this file as it is.
'use strict';

// ---------------------------------------------------------------------------------------
// Vocabulary (src/syntax/vocabulary, docs/vocabulary.md), for highlighting only: the server
// is what checks. Reserved words and item/clause keywords, in both languages.
const KEYWORDS = new Set([
  'rules', '规则', 'extends', '继承', 'param', '参数', 'round', '保留', 'budget', '预算',
  'aggregate', '汇总', 'class', '类别', 'optional', '可选', 'grade', '等级', 'scale', '缩放',
  'test', '测试', 'score', '得分', 'cap', '封顶', 'error', '报错', 'for', '适用', 'when', '当',
  'band', '档位', 'default', '默认', 'none', '无', 'expect', '期望', 'if', '如果', 'then', '则',
  'else', '否则', 'step', '分档', 'and', '且', 'or', '或', 'in', '属于', 'not', '非',
]);
// Clause keywords that are not reserved: a keyword where they begin a line (`weight` in
// `budget:`, `indicator` in a test), elsewhere a built-in name or a word after a keyword
// (`round 2 half_up at indicator`).
const LINE_KEYWORDS = new Set(['weight', '分值', 'indicator', '指标', 'entry', '分项', 'form', '表单']);
// Words that only follow a keyword: joiners, round modes and levels, aggregation targets
// and methods, class kinds, optional actions.
const FOLLOWERS = new Set([
  'at', '于', '位', 'by', '按', 'fund', '资金', 'rescale', '折算', 'goal', 'goals', '目标',
  'to', '至', 'indicator', '指标', 'entry', '分项', 'form', '表单', 'half_up', '四舍五入', 'half_even', '银行家舍入', 'down', '截尾', 'up', '进一',
  'total', '总分', 'number', 'numbers', '数值', 'percent', '百分比', 'sum', '累加', 'mean',
  '平均', '按资金加权', 'text', '文字', 'drop', '舍去',
]);
// Names formulas read without declaring them.
const BUILTINS = new Set([
  'A', 'B', 'weight', '权重', 'rate', '得分率', 'tier', '档次', 'op', '比较符', 'direction',
  '方向', 'kind', '类型', 'level1', '一级指标', 'level2', '二级指标', 'name', '三级指标',
  'goal', '年度目标', 'true', '真', 'false', '假',
]);
const FUNCTIONS = new Set(['min', 'max', 'floor', 'ceil', 'abs']);
// The form's keys a test writes, highlighted on a test's clause lines.
const FIELDS = new Set([
  'level1', 'level2', 'name', 'target', 'actual', 'weight', 'reported', 'direction', 'tier',
  'rate', 'fund', 'planned', 'executed', '一级指标', '二级指标', '三级指标', '目标值', '实际值',
  '权重', '自评得分', '方向', '档次', '得分率', '资金', '预算数', '执行数', 'total', 'grade',
  'budget', 'goal', 'error', '总分', '等级', '预算', '目标', '错误',
]);
const TEST_CLAUSES = new Set(['indicator', '指标', 'entry', '分项', 'expect', '期望', 'budget', '预算', 'form', '表单']);
const TOKEN_RE = /(#.*)|("(?:[^"\\\n]|\\.)*"?)|(\d+(?:\.\d+)?%?)|([\p{L}_][\p{L}\p{N}_]*)|(>=|<=|==|!=|[≥≤≠+\-*/<>=(),:：[\]])/gu;

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
  params: [],
  ok: true,
  testResults: [], // [{ name, line, status, message }]
  analyze: { seq: 0, timer: 0, abort: null },
  view: 'rules',
  forms: { rows: [], max: null, sort: { key: 'total', dir: -1 }, filter: '', seq: 0, needed: true, stale: false, open: null },
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

// ---------------------------------------------------------------------------------------
// The editor: a transparent <textarea> over a highlighted <pre>, in one scrolling box with
// the line numbers, so that the three always scroll together. The <pre> sizes the box; the
// textarea fills it and so never scrolls by itself.

const ed = {
  ta: $('#source'),
  hl: $('#hl'),
  gutter: $('#gutter'),
  scroll: $('#editor-scroll'),
  flash: $('#line-flash'),
  flashLine: null,
};

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function tokenClass(word, lineWords, index, next) {
  if (next === '(' && FUNCTIONS.has(word)) return 'fn';
  const first = lineWords[0];
  if (index > 0 && TEST_CLAUSES.has(first) && FIELDS.has(word)) return 'field';
  if (KEYWORDS.has(word) || (index === 0 && LINE_KEYWORDS.has(word))) return 'kw';
  if (BUILTINS.has(word)) return 'builtin';
  if (FOLLOWERS.has(word)) return 'kw2';
  return 'name';
}

/** A line's tokens as [start, end, class] in UTF-16 offsets. */
function tokens(line) {
  const out = [];
  const words = [];
  TOKEN_RE.lastIndex = 0;
  let m;
  const raw = [];
  while ((m = TOKEN_RE.exec(line))) raw.push(m);
  for (const t of raw) if (t[4]) words.push(t[4]);
  let wi = 0;
  for (const t of raw) {
    const start = t.index;
    const end = start + t[0].length;
    let cls;
    if (t[1]) cls = 'comment';
    else if (t[2]) cls = 'string';
    else if (t[3]) cls = 'number';
    else if (t[4]) {
      const after = line.slice(end).trimStart()[0];
      cls = tokenClass(t[4], words, wi++, after);
    } else cls = 'op';
    out.push([start, end, cls]);
  }
  return out;
}

/** Per line, the diagnostic marks: [from, to, level] (level 2 error, 1 warning). */
function diagMarks(lines) {
  const marks = lines.map(() => []);
  for (const d of S.diags) {
    if (!d.range || (d.file && d.file !== S.current)) continue;
    const level = d.severity === 'error' ? 2 : 1;
    const { start, end } = d.range;
    for (let l = start.line; l <= Math.min(end.line, lines.length - 1); l++) {
      if (l < 0) continue;
      const from = l === start.line ? start.character : 0;
      let to = l === end.line ? end.character : lines[l].length;
      if (to <= from) to = from + 1; // an empty span still shows, one character wide
      marks[l].push([from, to, level]);
    }
  }
  return marks;
}

function renderLine(line, marks, test) {
  const n = line.length;
  const cls = new Array(n).fill('');
  for (const [s, e, c] of tokens(line)) for (let i = s; i < e; i++) cls[i] = c;
  const level = new Uint8Array(n + 1);
  let eol = 0;
  for (const [s, e, l] of marks) {
    for (let i = s; i < Math.min(e, n); i++) level[i] = Math.max(level[i], l);
    if (e > n) eol = Math.max(eol, l);
  }
  let html = '';
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && cls[j] === cls[i] && level[j] === level[i]) j++;
    const classes = [cls[i], level[i] === 2 ? 'squiggle-error' : level[i] === 1 ? 'squiggle-warning' : ''].filter(Boolean).join(' ');
    const text = esc(line.slice(i, j));
    html += classes ? `<span class="${classes}">${text}</span>` : text;
    i = j;
  }
  if (eol) html += `<span class="${eol === 2 ? 'squiggle-error' : 'squiggle-warning'}"> </span>`;
  if (test) {
    const label = { passed: '✓ 通过', failed: '✗ 未通过', changed: '△ 有变化' }[test.status] || test.status;
    const msg = test.status === 'passed' || !test.message ? '' : `：${test.message}`;
    html += `<span class="inline-test ${esc(test.status)}">${esc(label + msg)}</span>`;
  }
  return html;
}

function renderEditor() {
  const text = ed.ta.value;
  const lines = text.split('\n');
  const marks = diagMarks(lines);
  // Test results at their `test` line (0-based); a base's tests are listed, not drawn.
  const testAt = new Map(S.testResults.filter((t) => !t.file || t.file === S.current).map((t) => [t.line, t]));
  ed.hl.innerHTML = lines.map((l, i) => renderLine(l, marks[i], testAt.get(i))).join('\n') + '\n';
  const severity = lines.map((_, i) => marks[i].reduce((m, [, , l]) => Math.max(m, l), 0));
  // A line number's tooltip: the messages about that line.
  const said = new Map();
  for (const d of S.diags) {
    if (!d.range || (d.file && d.file !== S.current)) continue;
    const l = d.range.start.line;
    said.set(l, `${said.has(l) ? said.get(l) + '\n' : ''}${d.message}`);
  }
  let gutter = '';
  for (let i = 0; i < lines.length; i++) {
    const t = testAt.get(i);
    const c = [severity[i] === 2 ? 'err' : severity[i] === 1 ? 'warn' : '', t ? `test-${t.status}` : ''].filter(Boolean).join(' ');
    const title = said.has(i) ? ` title="${esc(said.get(i))}"` : '';
    gutter += `<div class="ln ${c}" data-line="${i}"${title}>${i + 1}</div>`;
  }
  ed.gutter.innerHTML = gutter;
  if (ed.flashLine != null && ed.flashLine >= lines.length) ed.flash.hidden = true;
}

function metrics() {
  const cs = getComputedStyle(ed.hl);
  return { lh: parseFloat(cs.lineHeight) || 20, top: parseFloat(cs.paddingTop) || 0 };
}

/** Puts the caret at (line, character), 0-based, scrolls there and marks the line. */
function jumpTo(line, character = 0) {
  const text = ed.ta.value;
  const starts = lineStarts(text);
  const l = Math.max(0, Math.min(line, starts.length - 1));
  const lineEnd = l + 1 < starts.length ? starts[l + 1] - 1 : text.length;
  const offset = Math.min(starts[l] + Math.max(0, character), lineEnd);
  const { lh, top } = metrics();
  ed.flashLine = l;
  ed.flash.style.top = `${top + l * lh}px`;
  ed.flash.style.height = `${lh}px`;
  ed.flash.hidden = false;
  ed.flash.classList.remove('pulse');
  void ed.flash.offsetWidth; // restarts the animation
  ed.flash.classList.add('pulse');
  ed.ta.focus({ preventScroll: true });
  ed.ta.setSelectionRange(offset, offset);
  ed.scroll.scrollTop = Math.max(0, top + l * lh - ed.scroll.clientHeight / 3);
  ed.scroll.scrollLeft = 0;
}

function insertText(text) {
  // execCommand keeps the browser's undo history; setRangeText where it is unavailable.
  if (!document.execCommand('insertText', false, text)) {
    const { selectionStart: s, selectionEnd: e } = ed.ta;
    ed.ta.setRangeText(text, s, e, 'end');
    ed.ta.dispatchEvent(new Event('input'));
  }
}

function onEditorKey(ev) {
  const ta = ed.ta;
  if (ta.readOnly) return;
  const { selectionStart: s, value } = ta;
  const lineStart = value.lastIndexOf('\n', s - 1) + 1;
  if (ev.key === 'Tab' && !ev.ctrlKey && !ev.altKey && !ev.metaKey) {
    ev.preventDefault();
    if (ev.shiftKey) {
      const indent = /^ {1,4}/.exec(value.slice(lineStart));
      if (indent) {
        const caret = s;
        ta.setSelectionRange(lineStart, lineStart + indent[0].length);
        insertText('');
        ta.setSelectionRange(Math.max(lineStart, caret - indent[0].length), Math.max(lineStart, caret - indent[0].length));
      }
      return;
    }
    const column = s - lineStart;
    insertText(' '.repeat(4 - (column % 4)));
  } else if (ev.key === 'Enter' && !ev.ctrlKey && !ev.metaKey && !ev.isComposing) {
    ev.preventDefault();
    const before = value.slice(lineStart, s);
    let indent = /^[ \t]*/.exec(before)[0];
    if (/[:：]\s*$/.test(before) && !/^\s*#/.test(before)) indent += '    ';
    insertText('\n' + indent);
  }
}

function onEditorInput() {
  const buf = S.buffers.get(S.current);
  if (!buf) return;
  buf.text = ed.ta.value;
  if (S.testResults.length) {
    S.testResults = [];
    $('#test-summary').textContent = '';
  }
  ed.flash.hidden = true;
  renderEditor();
  renderFlags();
  clearTimeout(S.analyze.timer);
  S.analyze.timer = setTimeout(analyze, 250);
}

// ---------------------------------------------------------------------------------------
// Rule files

function renderFileList() {
  const ul = $('#rule-files');
  ul.replaceChildren(
    ...S.workspace.rules.map((r) => {
      const buf = S.buffers.get(r.path);
      const dirty = buf && buf.text !== buf.saved;
      const label = r.bundled ? `${r.path.replace(/^bundled:/, '')}` : r.path;
      return el(
        'li',
        { class: [r.path === S.current ? 'active' : '', r.bundled ? 'bundled' : ''].join(' '), dataset: { path: r.path } },
        el('button', { title: r.path, onclick: () => openRules(r.path) }, label),
        r.bundled ? el('span', { class: 'badge', text: '内置·只读' }) : null,
        dirty ? el('span', { class: 'dirty', title: '有未保存的修改', text: '●' }) : null,
      );
    }),
  );
}

function renderFlags() {
  const buf = S.buffers.get(S.current);
  const flags = $('#editor-flags');
  flags.replaceChildren();
  if (!buf) return;
  if (buf.readOnly) flags.append(el('span', { class: 'badge', text: '只读：另存为变体后修改' }));
  if (buf.text !== buf.saved) flags.append(el('span', { class: 'badge dirty', text: '未保存' }));
  $('#btn-save').disabled = buf.readOnly || buf.text === buf.saved;
  $('#current-rules').textContent = `当前规则：${S.current}${buf.text !== buf.saved ? '（未保存）' : ''}`;
  const li = $(`#rule-files li[data-path="${CSS.escape(S.current)}"]`);
  if (li) {
    const dot = $('.dirty', li);
    if (buf.text !== buf.saved && !dot) li.append(el('span', { class: 'dirty', title: '有未保存的修改', text: '●' }));
    if (buf.text === buf.saved && dot) dot.remove();
  }
}

async function loadBuffer(path) {
  const r = await api('GET', `/api/rules?path=${encodeURIComponent(path)}`);
  const text = String(r.text).replace(/\r\n?/g, '\n');
  const buf = { text, saved: text, version: r.version, readOnly: !!r.read_only };
  S.buffers.set(path, buf);
  return buf;
}

/** Opens a rule file in the editor (and, given a 0-based line, jumps there). */
async function openRules(path, line = null) {
  try {
    if (!S.buffers.has(path)) await loadBuffer(path);
  } catch (e) {
    fail(e, `无法打开 ${path}`);
    return;
  }
  const changed = path !== S.current;
  S.current = path;
  const buf = S.buffers.get(path);
  if (changed) {
    ed.ta.value = buf.text;
    ed.ta.readOnly = buf.readOnly;
    S.diags = [];
    S.testResults = [];
    S.params = [];
    S.whatif.set = {};
    $('#test-summary').textContent = '';
    ed.flash.hidden = true;
    ed.scroll.scrollTop = 0;
    $('#editor-title').textContent = path;
    renderFileList();
    renderEditor();
    renderProblems();
    renderBaselines();
    invalidateResults();
    analyze();
  }
  renderFlags();
  if (line != null) {
    showView('rules');
    requestAnimationFrame(() => jumpTo(line));
  }
}

async function analyze() {
  clearTimeout(S.analyze.timer);
  const seq = ++S.analyze.seq;
  if (S.analyze.abort) S.analyze.abort.abort();
  const abort = new AbortController();
  S.analyze.abort = abort;
  const path = S.current;
  const text = ed.ta.value;
  try {
    const r = await api('POST', '/api/analyze', { path, text }, { signal: abort.signal });
    if (seq !== S.analyze.seq || path !== S.current) return; // a newer edit is on its way
    S.diags = r.diagnostics || [];
    S.ok = r.ok !== false && !S.diags.some((d) => d.severity === 'error');
    S.params = r.params || [];
    if (S.ok) {
      // Rules with an error list no tests: the count stays as it was until they compile.
      const tests = (r.tests || []).length;
      $('#btn-test').textContent = tests ? `运行测试（${tests}）` : '运行测试';
    }
    renderEditor();
    renderProblems();
    renderParams();
    rulesChanged();
  } catch (e) {
    if (seq === S.analyze.seq) fail(e, '检查规则失败');
  }
}

function renderProblems() {
  const ul = $('#diagnostics');
  const items = [];
  const sorted = [...S.diags].sort((a, b) => (a.range ? a.range.start.line : 0) - (b.range ? b.range.start.line : 0));
  for (const d of sorted) {
    const other = d.file && d.file !== S.current ? d.file : null;
    const line = d.range ? d.range.start.line : 0;
    items.push(
      el(
        'li',
        {
          class: `diag ${d.severity}`,
          dataset: { line: String(line), code: d.code || '' },
          tabindex: '0',
          onclick: () => (other ? openRules(other, line) : jumpTo(line, d.range ? d.range.start.character : 0)),
        },
        el('span', { class: 'sev', text: d.severity === 'error' ? '错误' : '警告' }),
        el('span', { class: 'pos', text: `${other ? fileName(other) + ' ' : ''}第 ${line + 1} 行` }),
        el('code', { text: d.code || '' }),
        el('span', { class: 'msg', text: d.message }),
        ...(d.labels || []).filter((l) => l.message).map((l) => el('div', { class: 'label', text: `第 ${l.range.start.line + 1} 行：${l.message}` })),
        d.help ? el('div', { class: 'help', text: `帮助：${d.help}` }) : null,
      ),
    );
  }
  for (const t of S.testResults) {
    const other = t.file && t.file !== S.current ? t.file : null;
    items.push(
      el(
        'li',
        { class: `test ${t.status}`, dataset: { line: String(t.line) }, tabindex: '0', onclick: () => (other ? openRules(other, t.line) : jumpTo(t.line)) },
        el('span', { class: 'sev', text: { passed: '通过', failed: '未通过', changed: '有变化' }[t.status] || t.status }),
        el('span', { class: 'pos', text: `${other ? fileName(other) + ' ' : ''}第 ${t.line + 1} 行` }),
        el('span', { class: 'msg', text: `测试「${t.name}」${t.message ? '：' + t.message : ''}` }),
      ),
    );
  }
  ul.replaceChildren(...items);
  const errors = S.diags.filter((d) => d.severity === 'error').length;
  const warnings = S.diags.length - errors;
  $('#diag-count').textContent = S.diags.length ? `错误 ${errors} 处，警告 ${warnings} 处` : '没有问题';
}

async function formatRules() {
  if (ed.ta.readOnly) return say('只读的规则文件不能修改', 'error');
  try {
    const r = await api('POST', '/api/format', { path: S.current, text: ed.ta.value });
    if (r.text === ed.ta.value) return say('已是统一格式，无需改动');
    ed.ta.focus();
    ed.ta.select();
    insertText(r.text);
    ed.ta.setSelectionRange(0, 0);
    say('已格式化');
  } catch (e) {
    if (e.diagnostics) {
      S.diags = e.diagnostics;
      renderEditor();
      renderProblems();
      say('规则有语法错误，无法格式化：请先改正下面列出的问题', 'error');
    } else fail(e, '格式化失败');
  }
}

async function runTests() {
  const path = S.current;
  const text = ed.ta.value;
  try {
    const r = await api('POST', '/api/test', { path, text });
    if (path !== S.current || text !== ed.ta.value) return;
    S.testResults = r.results || [];
    $('#test-summary').textContent = S.testResults.length
      ? `测试：通过 ${r.passed}，未通过 ${r.failed}${r.changed ? `，有变化 ${r.changed}` : ''}`
      : '本文件没有测试';
    $('#test-summary').className = `test-summary ${r.failed ? 'failed' : 'passed'}`;
    renderEditor();
    renderProblems();
  } catch (e) {
    if (e.diagnostics) {
      S.diags = e.diagnostics;
      renderEditor();
      renderProblems();
      say('规则有错误，测试未能运行', 'error');
    } else fail(e, '运行测试失败');
  }
}

async function saveRules() {
  const path = S.current;
  const buf = S.buffers.get(path);
  if (!buf || buf.readOnly) return say('内置规则是只读的：请用「另存为变体」', 'error');
  const text = ed.ta.value;
  try {
    const r = await api('PUT', '/api/rules', { path, text, version: buf.version });
    buf.version = r.version;
    buf.saved = text;
    renderFlags();
    say(`已保存 ${path}（修改前的内容保留在 ${path}.bak）`);
    if (!S.whatif.baseline) invalidateResults();
  } catch (e) {
    if (e.status === 409) {
      const reload = await ask('文件已在别处修改', `${e.message}。\n重新载入磁盘上的版本吗？你在这里的修改将被丢弃；选「取消」则保留修改，可另存为变体。`, { ok: '重新载入' });
      if (reload) {
        S.buffers.delete(path);
        S.current = null;
        await openRules(path);
        say(`已重新载入 ${path}`);
      }
    } else fail(e, '保存失败');
  }
}

async function saveVariant(extraParams = {}) {
  const base = S.current;
  const folder = base.includes('/') && !base.startsWith('bundled:') ? base.slice(0, base.lastIndexOf('/') + 1) : '';
  const name = await ask('另存为变体', `新文件继承「${base}」，只写下与它不同的部分。文件名：`, { input: `${folder}${stem(base)}-变体.rules`, ok: '创建' });
  if (!name) return null;
  const path = name.endsWith('.rules') ? name : `${name}.rules`;
  try {
    const r = await api('POST', '/api/variant', { base, path });
    let text = String(r.text).replace(/\r\n?/g, '\n');
    let version = r.version;
    const lines = Object.entries(extraParams).map(([k, v]) => `param ${k} = ${v}`);
    if (lines.length) {
      text = `${text.replace(/\n*$/, '\n')}\n${lines.join('\n')}\n`;
      version = (await api('PUT', '/api/rules', { path: r.path, text, version })).version;
    }
    S.buffers.set(r.path, { text, saved: text, version, readOnly: false });
    if (!S.workspace.rules.some((x) => x.path === r.path)) S.workspace.rules.push({ path: r.path, bundled: false });
    say(`已创建变体 ${r.path}`);
    return r.path;
  } catch (e) {
    fail(e, '创建变体失败');
    return null;
  }
}

// ---------------------------------------------------------------------------------------
// What the rules are now: the file in the editor with its unsaved text, and for the
// what-if the parameters set there.

function ruleset(withSet) {
  const buf = S.buffers.get(S.current);
  const text = buf && buf.text !== buf.saved ? ed.ta.value : null;
  return { path: S.current, text, set: withSet ? { ...S.whatif.set } : {} };
}

function baselineRuleset() {
  return { path: S.whatif.baseline || S.current, text: null, set: {} };
}

/** The results depend on the rules: recompute what is on screen, mark the rest as needed. */
function invalidateResults() {
  S.forms.needed = true;
  S.whatif.needed = true;
  refreshVisible();
}

function rulesChanged() {
  if (!S.ok) {
    // Nothing can be scored with errors in the rules: keep the last results, marked stale.
    $('#forms-stale').hidden = !S.forms.rows.length;
    $('#impact-stale').hidden = !S.whatif.last;
    $('#impact').classList.toggle('is-stale', !!S.whatif.last);
    showImpactError(`规则有 ${S.diags.filter((d) => d.severity === 'error').length} 处错误，下面是上一次的结果`);
    S.forms.needed = true;
    S.whatif.needed = true;
    return;
  }
  invalidateResults();
}

function refreshVisible() {
  if (S.view === 'forms' && S.forms.needed) refreshForms();
  if (S.view === 'whatif' && S.whatif.needed) scheduleImpact(0);
}

// ---------------------------------------------------------------------------------------
// 表单

async function refreshForms() {
  if (!S.current) return;
  S.forms.needed = false;
  const seq = ++S.forms.seq;
  try {
    const r = await api('POST', '/api/score', { rules: ruleset(false) });
    if (seq !== S.forms.seq) return;
    S.forms.rows = r.forms || [];
    S.forms.max = r.max_total;
    $('#forms-stale').hidden = true;
    renderForms();
    if (S.forms.open) openForm(S.forms.open, false);
  } catch (e) {
    if (seq !== S.forms.seq) return;
    $('#forms-stale').hidden = !S.forms.rows.length;
    fail(e, '计分失败');
  }
}

function renderForms() {
  const { key, dir } = S.forms.sort;
  const filter = S.forms.filter.trim().toLowerCase();
  const numeric = ['total', 'reported', 'difference', 'year', 'warnings'].includes(key);
  const rows = S.forms.rows
    .filter((f) => !filter || [f.department, f.path, f.grade, f.year].some((v) => String(v == null ? '' : v).toLowerCase().includes(filter)))
    .sort((a, b) => {
      const x = numeric ? num(a[key]) : a[key];
      const y = numeric ? num(b[key]) : b[key];
      if (x == null && y == null) return 0;
      if (x == null) return 1;
      if (y == null) return -1;
      return (numeric ? x - y : String(x).localeCompare(String(y), 'zh-CN')) * dir;
    });
  for (const th of $$('#forms-table th')) {
    th.classList.toggle('sorted', th.dataset.key === key);
    th.dataset.dir = th.dataset.key === key ? (dir > 0 ? '升序' : '降序') : '';
    th.setAttribute('aria-sort', th.dataset.key === key ? (dir > 0 ? 'ascending' : 'descending') : 'none');
  }
  const tbody = $('#forms-table tbody');
  const shown = S.forms.all ? rows : rows.slice(0, ROWS_SHOWN);
  tbody.replaceChildren(
    ...shown.map((f) => {
      const d = num(f.difference);
      return el(
        'tr',
        { class: [f.error ? 'failed' : '', f.path === S.forms.open ? 'open' : ''].join(' '), dataset: { path: f.path }, tabindex: '0', onclick: () => openForm(f.path) },
        el('td', { text: f.department || '—' }),
        el('td', { class: 'path', text: f.path }),
        el('td', { class: 'num', text: f.year == null ? '' : f.year }),
        f.error
          ? el('td', { class: 'error-cell', colspan: '4', text: `未能计分：${f.error.message}` })
          : el('td', { class: 'num total', text: f.total }),
        f.error ? null : el('td', { class: `grade grade-${f.grade}`, text: f.grade || '' }),
        f.error ? null : el('td', { class: 'num', text: f.reported == null ? '' : f.reported }),
        f.error ? null : el('td', { class: `num ${d > 0 ? 'up' : d < 0 ? 'down' : ''}`, text: signed(f.difference) }),
        el('td', { class: 'num', text: f.warnings ? String(f.warnings) : '' }),
      );
    }),
  );
  if (shown.length < rows.length) {
    tbody.append(
      moreRow(8, rows.length, shown.length, () => {
        S.forms.all = true;
        renderForms();
      }),
    );
  }
  $('#forms-empty').hidden = S.forms.rows.length > 0;
}

/** The last row of a long table: how many rows are not drawn, and a button to draw them. */
function moreRow(columns, total, shown, showAll) {
  return el(
    'tr',
    { class: 'more' },
    el(
      'td',
      { colspan: String(columns) },
      `共 ${total} 份，按当前排序列出前 ${shown} 份；可用筛选或排序查找，或 `,
      el('button', { text: '全部列出', onclick: showAll }),
    ),
  );
}

/** Where a step's rule is: a file and a 0-based line (an outcome's own trace says
 * `file:LINE` with LINE 1-based, as the CLI prints it). */
function parseRule(step) {
  if (step.file != null && step.line != null) return { file: step.file, line: step.line };
  const m = /^(.*):(\d+)$/.exec(step.rule || '');
  return m ? { file: m[1], line: Number(m[2]) - 1 } : null;
}

/** The workspace's name of a rule file a trace step names. */
function rulePath(file) {
  const paths = S.workspace.rules.map((r) => r.path);
  if (paths.includes(file)) return file;
  const byName = paths.find((p) => fileName(p) === fileName(file));
  if (byName) return byName;
  const bundled = `bundled:${stem(file)}`;
  return paths.includes(bundled) ? bundled : file;
}

/** A score's steps: the server's explanation of it (items in form order: the budget,
 * then every indicator goal by goal), else the outcome's own trace. */
function explainSteps(node, explained) {
  const steps = explained ? explained.steps : node.trace || [];
  return steps.map((t) => ({ text: t.text, at: parseRule(t) }));
}

function showExplain(title, steps, anchor) {
  const box = $('#explain') || el('div', { id: 'explain', class: 'explain', role: 'dialog' });
  box.replaceChildren(
    el('div', { class: 'explain-head' }, el('strong', { text: title }), el('button', { class: 'close', title: '关闭', text: '×', onclick: () => box.remove() })),
    el(
      'ol',
      {},
      steps.map((s) =>
        el(
          'li',
          {},
          el('span', { text: s.text }),
          s.at
            ? el('a', {
                href: '#',
                class: 'rule-link',
                dataset: { file: s.at.file, line: String(s.at.line + 1) },
                text: ` ${fileName(s.at.file).replace(/^bundled:/, '')} 第 ${s.at.line + 1} 行`,
                onclick: (ev) => {
                  ev.preventDefault();
                  box.remove();
                  openRules(rulePath(s.at.file), s.at.line);
                },
              })
            : null,
        ),
      ),
    ),
  );
  if (!steps.length) box.append(el('p', { text: '没有计算过程（未计分）' }));
  anchor.closest('.paper').append(box);
  const r = anchor.getBoundingClientRect();
  const p = box.parentElement.getBoundingClientRect();
  box.style.top = `${r.bottom - p.top + 4}px`;
  box.style.left = `${Math.max(0, Math.min(r.left - p.left - 320, p.width - 480))}px`;
}

function scoreButton(value, title, node, explained, cls = '') {
  return el('button', {
    class: `score ${cls}`,
    title: '点击查看计算过程',
    text: value == null ? '不计' : value,
    onclick: (ev) => showExplain(title, explainSteps(node, explained), ev.currentTarget),
  });
}

async function openForm(path, scroll = true) {
  S.forms.open = path;
  for (const tr of $$('#forms-table tbody tr')) tr.classList.toggle('open', tr.dataset.path === path);
  const box = $('#form-detail');
  try {
    const r = await api('POST', '/api/form', { path, rules: ruleset(false) });
    if (S.forms.open !== path) return;
    renderPaper(box, r.outcome, r.explain || null, path);
    box.hidden = false;
    if (scroll) box.scrollIntoView({ block: 'start' });
  } catch (e) {
    box.hidden = false;
    box.replaceChildren(el('h2', { text: path }), el('p', { class: 'error-line', text: `未能计分：${e.message}` }), e.help ? el('p', { class: 'help', text: `帮助：${e.help}` }) : '');
  }
}

/** A column's cells merged down over equal neighbours, as on the paper form. */
function spans(values) {
  const out = values.map(() => 0);
  for (let i = 0; i < values.length; ) {
    let j = i + 1;
    while (j < values.length && values[j] === values[i]) j++;
    out[i] = j - i;
    i = j;
  }
  return out;
}

// The paper form's one table: the budget line, each 年度目标 with its 一级/二级/三级指标 rows
// and 小计, then the totals. Long, but one table read top to bottom.
function renderPaper(box, o, explain, path) {
  const explained = (k) => (explain && explain[k]) || null;
  let flat = 0;
  const form = o.form || {};
  const head = el(
    'div',
    { class: 'paper-head' },
    el('h2', { text: form.title || path }),
    el('p', {}, `单位名称：${form.department || '—'}`, form.year ? `　年度：${form.year}` : '', form.filled_on ? `　填报日期：${form.filled_on}` : ''),
    el('p', { class: 'muted' }, `计分规则：${(o.rules && (o.rules.title || o.rules.id)) || S.current}　文件：${path}`),
    el('button', { class: 'close no-print', title: '关闭', text: '×', onclick: () => { box.hidden = true; S.forms.open = null; } }),
  );
  const thead = el(
    'thead',
    {},
    el('tr', {}, ['年度目标', '一级指标', '二级指标', '三级指标', '指标值（A）', '实际完成值（B）', '分值', '得分', '自评得分', '差异'].map((h) => el('th', { text: h }))),
  );
  const tbody = el('tbody');
  const b = o.budget;
  if (b) {
    tbody.append(
      el(
        'tr',
        { class: 'budget' },
        el('th', { colspan: '4', text: `预算执行情况（执行率 ${b.rate != null ? percent(b.rate) : '—'}）` }),
        el('td', { class: 'val', text: b.planned }),
        el('td', { class: 'val', text: b.executed }),
        el('td', { class: 'num', text: b.weight }),
        el('td', { class: 'num' }, scoreButton(b.score, '预算执行情况', b, explained(0))),
        el('td', { class: 'num', text: b.reported == null ? '' : b.reported }),
        el('td', { class: 'num', text: nonzero(b.difference) }),
      ),
    );
  }
  for (const g of o.goals || []) {
    const inds = g.indicators || [];
    const l1 = spans(inds.map((i) => i.level1));
    const l2 = spans(inds.map((i) => `${i.level1}\u0000${i.level2}`));
    inds.forEach((ind, k) => {
      const steps = explained(1 + flat++);
      const tr = el('tr', { class: `indicator status-${ind.status}` });
      if (k === 0) tr.append(el('th', { class: 'goal', rowspan: String(inds.length + 1) }, el('div', { text: `年度目标${g.number}（${g.weight}分）` }), el('div', { class: 'goal-name', text: g.name })));
      if (l1[k]) tr.append(el('td', { rowspan: String(l1[k]), text: ind.level1 }));
      if (l2[k]) tr.append(el('td', { rowspan: String(l2[k]), text: ind.level2 }));
      tr.append(
        el('td', { text: ind.name }),
        el('td', { class: 'val', text: ind.target == null ? '' : ind.target }),
        el('td', { class: 'val', text: ind.actual == null ? '' : ind.actual }),
        el('td', { class: 'num', text: ind.weight == null ? '' : ind.weight }),
        el('td', { class: 'num' }, scoreButton(ind.score, `年度目标${g.number}「${ind.name}」`, ind, steps, ind.status !== 'scored' ? 'unscored' : '')),
        el('td', { class: 'num', text: ind.reported == null ? '' : ind.reported }),
        el('td', { class: 'num', text: nonzero(ind.difference) }),
      );
      tbody.append(tr);
    });
    if (!inds.length) tbody.append(el('tr', {}, el('th', { class: 'goal', text: `年度目标${g.number}（${g.weight}分）${g.name}` }), el('td', { colspan: '9', text: '（没有指标）' })));
    tbody.append(
      el(
        'tr',
        { class: 'subtotal' },
        el('th', { colspan: '5', text: '小计' }),
        el('td', { class: 'num', text: g.indicator_weight || g.weight }),
        el('td', { class: 'num', text: g.score }),
        el('td', { class: 'num', text: g.reported == null ? '' : g.reported }),
        el('td', {}),
      ),
    );
  }
  const foot = el(
    'tfoot',
    {},
    el('tr', { class: 'total' }, el('th', { colspan: '6', text: '计算总分' }), el('td', { class: 'num', text: o.max_total }), el('td', { class: 'num total-score', text: o.total }), el('td', { class: 'num', text: o.reported_total == null ? '' : o.reported_total }), el('td', { class: 'num', text: signed(o.difference) })),
    el('tr', { class: 'total' }, el('th', { colspan: '7', text: '等级' }), el('td', { class: 'grade', text: o.grade || '' }), el('td', { class: 'grade', text: o.reported_grade || '' }), el('td', {})),
  );
  const warnings = (o.warnings || []).map((w) => el('li', {}, el('span', { text: w.message }), ' ', el('code', { text: w.code })));
  box.replaceChildren(
    head,
    el('table', { class: 'paper-table' }, thead, tbody, foot),
    warnings.length ? el('div', { class: 'warnings' }, el('h3', { text: `警告（${warnings.length} 条）` }), el('ul', {}, warnings)) : '',
  );
}

// ---------------------------------------------------------------------------------------
// 导入

async function importFile(file) {
  showView('forms');
  const bytes = await file.arrayBuffer();
  S.imported = { name: file.name, bytes };
  const panel = $('#import-panel');
  panel.hidden = false;
  $('#import-name').textContent = file.name;
  $('#import-toml').textContent = '正在转换…';
  $('#import-warnings').replaceChildren();
  $('#import-save-name').value = `${stem(file.name)}.toml`;
  $('#btn-import-save').disabled = true;
  try {
    const r = await api('POST', `/api/import?name=${encodeURIComponent(file.name)}`, bytes);
    renderToml(r.toml);
    renderImportWarnings(r.warnings || []);
    $('#btn-import-save').disabled = false;
    say(`已转换 ${file.name}：核对后点「保存到文件夹」`);
  } catch (e) {
    $('#import-toml').textContent = '';
    renderImportWarnings(e.diagnostics || [{ severity: 'error', code: e.code, message: e.message, help: e.help }]);
    say(`无法导入 ${file.name}：${e.message}`, 'error', e.help, e.code);
  }
}

function renderToml(toml) {
  $('#import-toml').innerHTML = String(toml)
    .split('\n')
    .map((l) => (/^\s*#/.test(l) ? `<span class="comment">${esc(l)}</span>` : /^\s*\[/.test(l) ? `<span class="kw">${esc(l)}</span>` : esc(l)))
    .join('\n');
}

function renderImportWarnings(list) {
  $('#import-warnings').replaceChildren(
    ...list.map((d) =>
      el('li', { class: `diag ${d.severity || 'warning'}` }, el('span', { class: 'sev', text: d.severity === 'error' ? '错误' : '警告' }), el('code', { text: d.code || '' }), el('span', { class: 'msg', text: d.message }), d.help ? el('div', { class: 'help', text: `帮助：${d.help}` }) : null),
    ),
  );
}

async function saveImport() {
  const imp = S.imported;
  if (!imp) return;
  const wanted = $('#import-save-name').value.trim() || `${stem(imp.name)}.toml`;
  const ext = (/\.[^.]+$/.exec(imp.name) || [''])[0];
  const name = `${wanted.replace(/\.toml$/i, '')}${ext}`;
  try {
    const r = await api('POST', `/api/import?name=${encodeURIComponent(name)}&save=1`, imp.bytes);
    say(`已保存为 ${r.path}`);
    $('#btn-import-save').disabled = true;
    $('#import-panel').hidden = true;
    await refreshWorkspace();
    S.forms.open = r.path;
    await refreshForms();
    const row = $(`#forms-table tr[data-path="${CSS.escape(r.path)}"]`);
    if (row) row.scrollIntoView({ block: 'center' });
  } catch (e) {
    if (e.status === 409) say(`${e.message}：请在「保存为」中换一个文件名`, 'error', e.help, e.code);
    else fail(e, '保存失败');
  }
}

function setupDrop() {
  const overlay = $('#drop-overlay');
  let depth = 0;
  const hasFiles = (ev) => ev.dataTransfer && Array.from(ev.dataTransfer.types || []).includes('Files');
  window.addEventListener('dragenter', (ev) => {
    if (!hasFiles(ev)) return;
    depth++;
    overlay.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  });
  window.addEventListener('dragover', (ev) => {
    if (hasFiles(ev)) ev.preventDefault();
  });
  window.addEventListener('drop', (ev) => {
    ev.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const file = ev.dataTransfer && ev.dataTransfer.files[0];
    if (file) importFile(file);
  });
  $('#import-file').addEventListener('change', (ev) => {
    const file = ev.target.files[0];
    ev.target.value = '';
    if (file) importFile(file);
  });
}

// ---------------------------------------------------------------------------------------
// 模拟

function renderParams() {
  const box = $('#params');
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.param : null;
  if (!S.params.length) {
    box.replaceChildren(el('p', { class: 'muted', text: '当前规则没有参数（param）。' }));
    return;
  }
  // Inputs are kept while the same parameters stay, so that typing in one is never reset.
  const same = $$('input', box).map((i) => i.dataset.param).join('\u0000') === S.params.map((p) => p.name).join('\u0000');
  if (same) {
    for (const p of S.params) {
      const input = $(`input[data-param="${CSS.escape(p.name)}"]`, box);
      input.placeholder = p.value;
      input.dataset.value = p.value;
      $(`.default[data-param="${CSS.escape(p.name)}"]`, box).textContent = `规则中为 ${p.value}`;
    }
    return;
  }
  box.replaceChildren(
    ...S.params.map((p) =>
      el(
        'label',
        { class: 'param' },
        el('span', { class: 'name', text: p.name }),
        el('input', {
          type: 'text',
          inputmode: 'decimal',
          value: S.whatif.set[p.name] != null ? S.whatif.set[p.name] : p.value,
          placeholder: p.value,
          dataset: { param: p.name, value: p.value },
          oninput: onParamInput,
        }),
        el('span', { class: 'default', dataset: { param: p.name }, text: `规则中为 ${p.value}` }),
        p.line != null ? el('a', { href: '#', class: 'rule-link', text: `第 ${p.line + 1} 行`, onclick: (ev) => { ev.preventDefault(); openRules(p.file || S.current, p.line); } }) : null,
      ),
    ),
  );
  if (focused) {
    const again = $(`input[data-param="${CSS.escape(focused)}"]`, box);
    if (again) again.focus();
  }
}

function onParamInput(ev) {
  const input = ev.currentTarget;
  const v = input.value.trim();
  if (v === '' || v === input.dataset.value) delete S.whatif.set[input.dataset.param];
  else S.whatif.set[input.dataset.param] = v;
  input.classList.toggle('changed', S.whatif.set[input.dataset.param] != null);
  scheduleImpact(300);
}

function renderBaselines() {
  const sel = $('#baseline');
  const keep = S.whatif.baseline;
  sel.replaceChildren(
    el('option', { value: '', text: `已保存的版本（${S.current || ''}）` }),
    ...S.workspace.rules.filter((r) => r.path !== S.current).map((r) => el('option', { value: r.path, text: r.bundled ? `${r.path.replace(/^bundled:/, '')}（内置）` : r.path })),
  );
  sel.value = S.workspace.rules.some((r) => r.path === keep && r.path !== S.current) ? keep : '';
  S.whatif.baseline = sel.value;
  showBaseline();
}

function showBaseline() {
  const text = S.whatif.baseline || `已保存的 ${S.current || ''}`;
  $('#report-baseline').textContent = text;
  $('#baseline-print').textContent = text;
}

function scheduleImpact(delay) {
  clearTimeout(S.whatif.timer);
  S.whatif.timer = setTimeout(refreshImpact, delay);
}

function showImpactError(text) {
  const p = $('#impact-error');
  p.hidden = !text || !S.whatif.last;
  p.textContent = text || '';
}

async function refreshImpact() {
  if (!S.current) return;
  S.whatif.needed = false;
  const seq = ++S.whatif.seq;
  $('#impact-busy').hidden = false;
  try {
    const r = await api('POST', '/api/impact', { baseline: baselineRuleset(), variant: ruleset(true) });
    if (seq !== S.whatif.seq) return;
    S.whatif.last = r;
    renderImpact(r);
    $('#impact').classList.remove('is-stale');
    $('#impact-stale').hidden = true;
    showImpactError('');
  } catch (e) {
    if (seq !== S.whatif.seq) return;
    // An edit with errors: the last good results stay, marked stale.
    $('#impact-stale').hidden = !S.whatif.last;
    $('#impact').classList.toggle('is-stale', !!S.whatif.last);
    const p = $('#impact-error');
    p.hidden = false;
    p.textContent = `无法计分：${e.message}${e.help ? `（${e.help}）` : ''}${S.whatif.last ? '；下面是上一次的结果' : ''}`;
  } finally {
    if (seq === S.whatif.seq) $('#impact-busy').hidden = true;
  }
}

/** The grade transition matrix: the server's, or built from the per-form grades. */
function gradeMatrix(d) {
  const s = d.summary || {};
  if (s.grade_matrix && Array.isArray(s.grade_matrix.grades)) {
    return { grades: s.grade_matrix.grades.map((g) => (g == null ? '无等级' : g)), counts: s.grade_matrix.counts };
  }
  const pairs = [];
  for (const f of d.forms || []) if (f.grade) pairs.push([f.grade.old, f.grade.new, 1]);
  if (!pairs.length) for (const t of s.transitions || []) pairs.push([t.from, t.to, t.count]);
  const grades = [];
  for (const [a, b] of pairs) for (const g of [a, b]) if (!grades.includes(g)) grades.push(g);
  const counts = grades.map(() => grades.map(() => 0));
  for (const [a, b, n] of pairs) counts[grades.indexOf(a)][grades.indexOf(b)] += n;
  return { grades: grades.map((g) => (g == null ? '无等级' : g)), counts };
}

function renderImpact(d) {
  const s = d.summary || {};
  const box = $('#impact');
  const card = (label, value, cls = '') => el('div', { class: `card ${cls}` }, el('div', { class: 'label', text: label }), el('div', { class: 'value', text: value }));
  const cards = el(
    'div',
    { class: 'cards' },
    card('对比表单', `${s.forms != null ? s.forms : 0} 份`),
    card('得分有变化', `${s.changed != null ? s.changed : 0} 份`),
    s.total_changed != null ? card('总分有变化', `${s.total_changed} 份`) : null,
    card('等级变化', `${s.grade_changed != null ? s.grade_changed : 0} 份`, s.grade_changed ? 'alert' : ''),
    card('总分平均变化', s.mean_delta != null ? signed(s.mean_delta) : '—'),
    s.median_delta != null ? card('总分变化中位数', signed(s.median_delta)) : null,
    card('总分最大变化', s.max_delta != null ? signed(s.max_delta) : '—'),
    (d.failed || []).length ? card('未能计分', `${d.failed.length} 份`, 'alert') : null,
  );
  const m = gradeMatrix(d);
  const matrix = el(
    'table',
    { class: 'grid matrix', id: 'grade-matrix' },
    el('caption', { text: '等级变化矩阵（行：基准等级；列：模拟等级）' }),
    el('thead', {}, el('tr', {}, el('th', { text: '基准＼模拟' }), m.grades.map((g) => el('th', { text: g })))),
    el(
      'tbody',
      {},
      m.grades.map((g, i) =>
        el('tr', {}, el('th', { text: g }), m.counts[i].map((c, j) => el('td', { class: `num ${i === j ? 'same' : c ? 'moved' : ''}`, dataset: { from: g, to: m.grades[j] }, text: c ? String(c) : '' }))),
      ),
    ),
  );
  const charts = d.charts || {};
  const chartBox = (title, svg) => (svg ? el('figure', { class: 'chart' }, el('figcaption', { text: title }), el('div', { html: svg })) : null);
  const allTotals = (d.forms || []).filter((f) => f.total);
  const totals = S.whatif.all ? allTotals : allTotals.slice(0, ROWS_SHOWN);
  const totalsTable = totals.length
    ? el(
        'table',
        { class: 'grid totals', id: 'impact-totals' },
        el('caption', { text: '各表单总分' }),
        el('thead', {}, el('tr', {}, ['单位', '文件', '基准总分', '模拟总分', '变化', '基准等级', '模拟等级'].map((h) => el('th', { text: h })))),
        el(
          'tbody',
          {},
          totals.map((f) => {
            const delta = num(f.total.delta);
            return el(
              'tr',
              { dataset: { path: f.file || f.path || '' } },
              el('td', { text: f.department || '—' }),
              el('td', { class: 'path', text: f.file || f.path || '' }),
              el('td', { class: 'num', text: f.total.old == null ? '—' : f.total.old }),
              el('td', { class: 'num new-total', text: f.total.new == null ? '—' : f.total.new }),
              el('td', { class: `num ${delta > 0 ? 'up' : delta < 0 ? 'down' : ''}`, text: f.total.delta == null ? '' : signed(f.total.delta) }),
              el('td', { text: f.grade ? f.grade.old || '' : '' }),
              el('td', { class: f.grade && f.grade.changed ? 'moved' : '', text: f.grade ? f.grade.new || '' : '' }),
            );
          }),
          totals.length < allTotals.length
            ? moreRow(7, allTotals.length, totals.length, () => {
                S.whatif.all = true;
                renderImpact(d);
              })
            : null,
        ),
      )
    : null;
  const movers = (s.largest_movers || []).slice(0, 10);
  const moversTable = movers.length
    ? el(
        'table',
        { class: 'grid movers' },
        el('caption', { text: '总分变化最大的表单' }),
        el('thead', {}, el('tr', {}, ['单位', '基准', '模拟', '变化', '等级'].map((h) => el('th', { text: h })))),
        el(
          'tbody',
          {},
          movers.map((f) =>
            el(
              'tr',
              {},
              el('td', { text: f.department || f.file }),
              el('td', { class: 'num', text: f.old }),
              el('td', { class: 'num', text: f.new }),
              el('td', { class: `num ${num(f.delta) > 0 ? 'up' : num(f.delta) < 0 ? 'down' : ''}`, text: signed(f.delta) }),
              el('td', { text: f.old_grade === f.new_grade ? f.new_grade || '' : `${f.old_grade || '—'} → ${f.new_grade || '—'}` }),
            ),
          ),
        ),
      )
    : el('p', { class: 'muted', text: '与基准相比，没有表单的总分发生变化。' });
  const failed = (d.failed || []).length
    ? el(
        'div',
        {},
        el('h3', { text: `未能计分的表单（${d.failed.length} 份）` }),
        el('ul', { class: 'diagnostics' }, d.failed.map((f) => el('li', { class: 'diag error' }, el('span', { class: 'msg', text: typeof f === 'string' ? f : `${f.file || f.path || ''} ${f.message || (f.error && f.error.message) || ''}` })))),
      )
    : null;
  // The distribution as a table when the server sent no chart of it.
  const bins = s.distribution && s.distribution.bins;
  const distTable = !charts.histogram && bins && bins.length
    ? el(
        'table',
        { class: 'grid distribution' },
        el('caption', { text: '总分分布（份数）' }),
        el('thead', {}, el('tr', {}, ['区间', '基准', '模拟'].map((h) => el('th', { text: h })))),
        el('tbody', {}, bins.map((b, i) => el('tr', {}, el('td', { text: `[${b.from}, ${b.to}${i === bins.length - 1 ? ']' : ')'}` }), el('td', { class: 'num', text: String(b.old) }), el('td', { class: 'num', text: String(b.new) })))),
      )
    : null;
  box.replaceChildren(
    ...[
      cards,
      el('div', { class: 'impact-row' }, matrix, chartBox('等级变化', charts.matrix)),
      chartBox('总分分布：基准与模拟', charts.histogram),
      distTable,
      moversTable,
      totalsTable,
      failed,
    ].filter(Boolean),
  );
}

async function download(body, what) {
  try {
    const res = await api('POST', '/api/report', body, { raw: true });
    const blob = await res.blob();
    const cd = res.headers.get('Content-Disposition') || '';
    const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
    const plain = /filename="?([^";]+)"?/i.exec(cd);
    const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : `jixiao-report.${body.format}`;
    const a = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
    say(`已下载${what}：${name}`);
  } catch (e) {
    fail(e, `无法生成${what}`);
  }
}

async function saveWhatifVariant() {
  const from = S.current;
  const set = { ...S.whatif.set };
  const buf = S.buffers.get(from);
  if (buf && buf.text !== buf.saved) say('注意：变体继承的是已保存的规则文件，编辑器中未保存的修改不会带入', 'error');
  const path = await saveVariant(set);
  if (!path) return;
  renderFileList();
  await openRules(path);
  S.whatif.baseline = from;
  renderBaselines();
  S.whatif.needed = true;
  refreshVisible();
}

// ---------------------------------------------------------------------------------------
// Views

function showView(view) {
  S.view = view;
  for (const b of $$('#tabs button')) b.setAttribute('aria-selected', String(b.dataset.view === view));
  for (const v of $$('main > .view')) v.hidden = v.dataset.view !== view;
  // The editor goes with the view: beside the parameters in 模拟, so that a rule edit
  // and its impact are seen together.
  const editor = $('#editor');
  const slot = view === 'whatif' ? $('#whatif-editor-slot') : $('#editor-slot');
  if (editor.parentElement !== slot) slot.append(editor);
  document.body.dataset.view = view;
  refreshVisible();
}

async function refreshWorkspace() {
  S.workspace = await api('GET', '/api/workspace');
  $('#dir').textContent = S.workspace.dir || '';
  renderFileList();
  renderBaselines();
}

function setup() {
  ed.ta.addEventListener('input', onEditorInput);
  ed.ta.addEventListener('keydown', onEditorKey);
  ed.gutter.addEventListener('click', (ev) => {
    const ln = ev.target.closest('.ln');
    if (ln) jumpTo(Number(ln.dataset.line));
  });
  document.addEventListener('keydown', (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === 's') {
      ev.preventDefault();
      saveRules();
    } else if ((ev.ctrlKey || ev.metaKey) && ev.shiftKey && (ev.key === 'F' || ev.key === 'f')) {
      ev.preventDefault();
      formatRules();
    } else if (ev.key === 'Escape' && $('#explain')) $('#explain').remove();
  });
  $('#tabs').addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-view]');
    if (b) showView(b.dataset.view);
  });
  $('#btn-format').addEventListener('click', formatRules);
  $('#btn-test').addEventListener('click', runTests);
  $('#btn-save').addEventListener('click', saveRules);
  $('#btn-variant').addEventListener('click', async () => {
    const path = await saveVariant();
    if (path) {
      renderFileList();
      renderBaselines();
      openRules(path);
    }
  });
  $('#form-filter').addEventListener('input', (ev) => {
    S.forms.filter = ev.target.value;
    renderForms();
  });
  $('#forms-table thead').addEventListener('click', (ev) => {
    const th = ev.target.closest('th[data-key]');
    if (!th) return;
    const sort = S.forms.sort;
    if (sort.key === th.dataset.key) sort.dir = -sort.dir;
    else Object.assign(sort, { key: th.dataset.key, dir: ['total', 'reported', 'difference', 'year', 'warnings'].includes(th.dataset.key) ? -1 : 1 });
    renderForms();
  });
  $('#btn-import-save').addEventListener('click', saveImport);
  $('#btn-import-close').addEventListener('click', () => ($('#import-panel').hidden = true));
  $('#baseline').addEventListener('change', (ev) => {
    S.whatif.baseline = ev.target.value;
    showBaseline();
    scheduleImpact(0);
  });
  $('#btn-reset-params').addEventListener('click', () => {
    S.whatif.set = {};
    for (const i of $$('#params input')) {
      i.value = i.dataset.value;
      i.classList.remove('changed');
    }
    scheduleImpact(0);
  });
  $('#btn-save-variant').addEventListener('click', saveWhatifVariant);
  for (const b of $$('[data-export]')) {
    b.addEventListener('click', () => download({ kind: 'diff', format: b.dataset.export, rules: ruleset(true), baseline: baselineRuleset() }, '对比报告'));
  }
  for (const b of $$('#view-reports button[data-format]')) {
    b.addEventListener('click', () => {
      const kind = b.closest('[data-kind]').dataset.kind;
      const body = { kind, format: b.dataset.format, rules: ruleset(true), baseline: kind === 'diff' ? baselineRuleset() : null };
      download(body, kind === 'diff' ? '对比报告' : '计分报告');
    });
  }
  // Rows and list items that open something on a click open it on Enter too.
  document.addEventListener('keydown', (ev) => {
    const t = ev.target;
    if (ev.key === 'Enter' && t instanceof HTMLElement && t.matches('tr[tabindex], li[tabindex]')) {
      ev.preventDefault();
      t.click();
    }
  });
  window.addEventListener('beforeunload', (ev) => {
    if ([...S.buffers.values()].some((b) => b.text !== b.saved)) {
      ev.preventDefault();
      ev.returnValue = '';
    }
  });
  setupDrop();
}

async function init() {
  setup();
  try {
    await refreshWorkspace();
  } catch (e) {
    fail(e, '无法读取文件夹');
    return;
  }
  const first = S.workspace.first || (S.workspace.rules[0] && S.workspace.rules[0].path);
  if (first) await openRules(first);
  document.body.dataset.ready = '1';
}

init();
