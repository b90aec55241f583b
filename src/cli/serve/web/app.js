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
// Plain ES2020, no framework, no build step: the server embeds these files as they are
// (common.js, editor.js, assist.js, rules.js, forms.js, whatif.js, then this one, which
// starts it).
'use strict';

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
  const first = !S.workspace.weights;
  S.workspace = await api('GET', '/api/workspace');
  // The import box starts as the folder is read (`jixiao serve --weights reported`).
  if (first) $('#import-weights').checked = S.workspace.weights === 'reported';
  $('#dir').textContent = S.workspace.dir || '';
  renderFileList();
  renderBaselines();
}

function setup() {
  ed.ta.addEventListener('input', onEditorInput);
  ed.ta.addEventListener('keydown', onEditorKey);
  setupAssist();
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
    if (S.forms.partial) {
      say(`表单仍在读取（${count(S.forms.read)} / ${count(S.forms.total)}），读取完后才能排序`);
      return;
    }
    const sort = S.forms.sort;
    if (sort.key === th.dataset.key) sort.dir = -sort.dir;
    else Object.assign(sort, { key: th.dataset.key, dir: ['total', 'reported', 'difference', 'year', 'warnings'].includes(th.dataset.key) ? -1 : 1 });
    renderForms();
  });
  $('#btn-import-save').addEventListener('click', saveImport);
  $('#import-weights').addEventListener('change', convertImport);
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

