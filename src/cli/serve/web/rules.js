// jixiao 绩效自评工作台 (`jixiao serve`): the 规则 view: rule files, diagnostics, format, tests, save.
// The page's scripts are plain ES2020 loaded in order by index.html (common.js,
// editor.js, assist.js, rules.js, forms.js, whatif.js, app.js), sharing one global scope; see
// app.js for the invariants of the whole page.
'use strict';

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
    S.checked = false; // until the file's first analysis: no '没有问题' before it
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
    S.checked = true;
    keepTokens(text, r.tokens);
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
  $('#diag-count').textContent = !S.checked ? '正在检查…' : S.diags.length ? `错误 ${errors} 处，警告 ${warnings} 处` : '没有问题';
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
      S.checked = true;
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
      S.checked = true;
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
    // A text parameter's value is written as a string of the language (JSON's escapes
    // of `"` and `\` are the language's).
    const quoted = (k, v) => ((S.params.find((p) => p.name === k) || {}).text ? JSON.stringify(v) : v);
    const lines = Object.entries(extraParams).map(([k, v]) => `param ${k} = ${quoted(k, v)}`);
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

