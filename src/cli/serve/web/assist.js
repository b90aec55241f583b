// jixiao 绩效自评工作台 (`jixiao serve`): hover and completion in the rule editor, both the
// language service's (POST /api/hover, /api/complete: what `jixiao lsp` gives editors).
// Loaded after editor.js (see app.js for the invariants of the whole page).
//
// Hover: resting the mouse on a word for a moment shows what it is in a box beside it.
// Completion: Ctrl+Space (or typing `"`, where the folder's forms' values complete) opens
// a list at the caret; typing filters it, ↑/↓ choose, Enter or Tab insert, Esc closes.
'use strict';

const assist = {
  hoverTimer: 0,
  hoverSeq: 0,
  list: null, // { items, shown, chosen, from } while the completion list is open
  seq: 0,
  canvas: null,
};

/** Hover's Markdown (bold, code, emphasis, paragraphs) as HTML, escaped first. */
function markdown(md) {
  return esc(md)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*(.+?)\*/g, '<em>$1</em>')
    .replace(/\n/g, '<br>');
}

/** The width of `text` in the editor's font, in pixels. */
function textWidth(text) {
  if (!assist.canvas) assist.canvas = document.createElement('canvas');
  const ctx = assist.canvas.getContext('2d');
  const cs = getComputedStyle(ed.ta);
  ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
  return ctx.measureText(text).width;
}

/** The line and UTF-16 character under the point (x, y) of the textarea, or null. */
function positionAt(x, y) {
  const rect = ed.ta.getBoundingClientRect();
  const cs = getComputedStyle(ed.ta);
  const { lh, top } = metrics();
  const line = Math.floor((y - rect.top - top) / lh);
  const lines = ed.ta.value.split('\n');
  if (line < 0 || line >= lines.length) return null;
  const dx = x - rect.left - (parseFloat(cs.paddingLeft) || 0);
  const text = lines[line];
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const w = textWidth(text[i]);
    if (dx < width + w) return { line, character: i };
    width += w;
  }
  return null;
}

/** The caret's line and UTF-16 character. */
function caretPosition() {
  const before = ed.ta.value.slice(0, ed.ta.selectionStart);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** Where (line, character) is on the page, below its line. */
function pointOf(line, character) {
  const rect = ed.ta.getBoundingClientRect();
  const cs = getComputedStyle(ed.ta);
  const { lh, top } = metrics();
  const text = ed.ta.value.split('\n')[line] || '';
  return {
    left: rect.left + (parseFloat(cs.paddingLeft) || 0) + textWidth(text.slice(0, character)) + window.scrollX,
    top: rect.top + top + (line + 1) * lh + window.scrollY,
  };
}

function hideHover() {
  clearTimeout(assist.hoverTimer);
  assist.hoverSeq++;
  const box = $('#hover');
  if (box) box.remove();
}

function onEditorMouseMove(ev) {
  hideHover();
  if (!S.current || assist.list) return;
  const at = positionAt(ev.clientX, ev.clientY);
  if (!at) return;
  const seq = assist.hoverSeq;
  assist.hoverTimer = setTimeout(async () => {
    try {
      const h = await api('POST', '/api/hover', { path: S.current, text: ed.ta.value, ...at });
      if (seq !== assist.hoverSeq || !h) return;
      const p = pointOf(h.range.start.line, h.range.start.character);
      const box = el('div', { id: 'hover', class: 'hover', role: 'tooltip', html: markdown(h.markdown) });
      box.style.left = `${p.left}px`;
      box.style.top = `${p.top}px`;
      document.body.append(box);
    } catch (_) {
      // A hover that cannot be answered shows nothing.
    }
  }, 400);
}

/** The word being typed before the caret (letters, digits, _, CJK). */
function typedWord() {
  const before = ed.ta.value.slice(0, ed.ta.selectionStart);
  return /[\p{L}\p{N}_]*$/u.exec(before)[0];
}

function closeCompletion() {
  assist.list = null;
  assist.seq++;
  const box = $('#completions');
  if (box) box.remove();
}

function renderCompletion() {
  const list = assist.list;
  const typed = list.fixed ? '' : typedWord();
  list.shown = list.items.filter((i) => i.label.startsWith(typed) || (typed && i.label.toLowerCase().startsWith(typed.toLowerCase())));
  if (!list.shown.length) {
    closeCompletion();
    return;
  }
  list.chosen = Math.min(list.chosen, list.shown.length - 1);
  const p = pointOf(list.at.line, list.at.character);
  const box = $('#completions') || document.body.appendChild(el('ul', { id: 'completions', class: 'completions', role: 'listbox' }));
  box.style.left = `${p.left}px`;
  box.style.top = `${p.top}px`;
  box.replaceChildren(
    ...list.shown.slice(0, 50).map((item, i) =>
      el(
        'li',
        {
          role: 'option',
          class: i === list.chosen ? 'chosen' : '',
          'aria-selected': String(i === list.chosen),
          dataset: { kind: item.kind },
          onmousedown: (ev) => {
            ev.preventDefault();
            list.chosen = i;
            acceptCompletion();
          },
        },
        el('span', { class: 'label', text: item.label }),
        item.detail ? el('span', { class: 'detail', text: item.detail }) : null,
      ),
    ),
  );
  const chosen = box.querySelector('.chosen');
  if (chosen) chosen.scrollIntoView({ block: 'nearest' });
}

/** Opens the list at the caret; with `valuesOnly`, only when the caret is in a string. */
async function openCompletion(valuesOnly = false) {
  if (!S.current || ed.ta.readOnly) return;
  hideHover();
  const seq = ++assist.seq;
  const at = caretPosition();
  try {
    const items = await api('POST', '/api/complete', { path: S.current, text: ed.ta.value, ...at });
    if (seq !== assist.seq || !items || !items.length) return;
    // Values inside a string replace what the server says; words, the word typed.
    const fixed = items.every((i) => i.replace);
    if (valuesOnly && !fixed) return;
    const word = typedWord();
    assist.list = { items, shown: [], chosen: 0, fixed, at: { line: at.line, character: at.character - (fixed ? 0 : word.length) } };
    renderCompletion();
  } catch (_) {
    closeCompletion();
  }
}

function acceptCompletion() {
  const list = assist.list;
  const item = list && list.shown[list.chosen];
  closeCompletion();
  if (!item) return;
  const text = ed.ta.value;
  const starts = lineStarts(text);
  const caret = ed.ta.selectionStart;
  let from = caret - typedWord().length;
  let to = caret;
  if (item.replace) {
    from = starts[item.replace.start.line] + item.replace.start.character;
    to = Math.max(caret, starts[item.replace.end.line] + item.replace.end.character);
  }
  ed.ta.setSelectionRange(from, to);
  insertText(item.label);
}

/** Keys while the list is open; true when the key was the list's. */
function onCompletionKey(ev) {
  if ((ev.ctrlKey || ev.metaKey) && ev.key === ' ') {
    ev.preventDefault();
    openCompletion();
    return true;
  }
  const list = assist.list;
  if (!list) return false;
  if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    ev.preventDefault();
    const n = list.shown.length;
    list.chosen = (list.chosen + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
    renderCompletion();
    return true;
  }
  if (ev.key === 'Enter' || ev.key === 'Tab') {
    ev.preventDefault();
    acceptCompletion();
    return true;
  }
  if (ev.key === 'Escape') {
    ev.preventDefault();
    closeCompletion();
    return true;
  }
  return false;
}

/** After an edit: the open list follows what is typed; a `"` opens the forms' values. */
function onAssistInput(ev) {
  hideHover();
  if (assist.list) {
    if (assist.list.fixed) openCompletion(true);
    else renderCompletion();
  } else if (ev && ev.data === '"') {
    openCompletion(true);
  }
}

function setupAssist() {
  ed.ta.addEventListener('mousemove', onEditorMouseMove);
  ed.ta.addEventListener('mouseleave', hideHover);
  ed.ta.addEventListener('blur', closeCompletion);
  ed.ta.addEventListener('input', onAssistInput);
  ed.scroll.addEventListener('scroll', () => {
    hideHover();
    closeCompletion();
  });
}
