// jixiao 绩效自评工作台 (`jixiao serve`): the rule editor and its highlighting of both keyword sets.
// The page's scripts are plain ES2020 loaded in order by index.html (common.js,
// editor.js, assist.js, rules.js, forms.js, whatif.js, app.js), sharing one global scope; see
// app.js for the invariants of the whole page.
'use strict';

// ---------------------------------------------------------------------------------------
// Colours: the server's tokens (the language service's, the same the language server
// gives editors), kept by line text so that the lines not edited since the last analysis
// keep theirs while typing; a line typed since shows plain until the next answer.

/** The page's class of each token kind of the service. */
const TOKEN_CLASS = {
  comment: 'comment', string: 'string', number: 'number', operator: 'op', keyword: 'kw',
  follower: 'kw2', builtin: 'builtin', function: 'fn', field: 'field', param: 'name',
  class: 'name', name: 'name',
};

/** Keeps the tokens of an analysis of `text`: per line text, [start, end, class]. */
function keepTokens(text, tokens) {
  const lines = text.split('\n');
  const byLine = new Map();
  for (const t of tokens || []) {
    if (!byLine.has(t.line)) byLine.set(t.line, []);
    byLine.get(t.line).push([t.start, t.start + t.length, TOKEN_CLASS[t.kind] || '']);
  }
  S.tokens = new Map();
  lines.forEach((line, i) => S.tokens.set(line, byLine.get(i) || []));
}

/** A line's tokens as [start, end, class] in UTF-16 offsets, as last analysed. */
function tokens(line) {
  return S.tokens.get(line) || [];
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
  if (onCompletionKey(ev)) return; // assist.js
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

