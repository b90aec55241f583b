// jixiao 绩效自评工作台 (`jixiao serve`): the 表单 view: the forms, the paper form with explanations, import.
// The page's scripts are plain ES2020 loaded in order by index.html (common.js,
// editor.js, assist.js, rules.js, forms.js, whatif.js, app.js), sharing one global scope; see
// app.js for the invariants of the whole page.
'use strict';

// ---------------------------------------------------------------------------------------
// 表单

/** How long the table waits before asking for more rows while the forms are being read:
 * briefly until it has a page of them, then a little longer. */
const POLL_MS = [50, 200];

// The server reads the folder's forms in the background when it starts: the table asks for
// what is read so far (`wait: false`), shows it at once in reading order, marked 正在读取,
// and asks again for the rows after those it has (same rules, same `generation`) until
// the answer is complete. Sorting waits for every form; the what-if and the reports ask
// for every form and the server answers them once all are read.
async function refreshForms() {
  if (!S.current) return;
  clearTimeout(S.forms.timer);
  S.forms.needed = false;
  const seq = ++S.forms.seq;
  const rules = ruleset(false);
  const basis = JSON.stringify(rules);
  const more = S.forms.partial && basis === S.forms.basis;
  try {
    const r = await api('POST', '/api/score', {
      rules,
      wait: false,
      from: more ? S.forms.rows.length : 0,
      generation: more ? S.forms.generation : null,
      // While the forms are being read the first answer is the first page only, so it
      // comes at once; the rest follows.
      limit: more ? null : ROWS_SHOWN,
    });
    if (seq !== S.forms.seq) return;
    const got = r.forms || [];
    // `from` is what was asked for while the rows are still the first of the forms read,
    // else 0: every row again.
    const rows = r.from ? S.forms.rows.concat(got) : got;
    const max = r.from && S.forms.max != null ? S.forms.max : r.max_total;
    Object.assign(S.forms, { rows, max, basis, partial: r.partial, read: r.read, total: r.total, generation: r.generation });
    $('#forms-stale').hidden = true;
    renderForms();
    if (r.partial) {
      S.forms.needed = true;
      // Rows already read and not yet here are asked for at once; else after a while.
      const wait = rows.length < r.read ? 0 : POLL_MS[rows.length < ROWS_SHOWN ? 0 : 1];
      if (S.view === 'forms') S.forms.timer = setTimeout(() => S.ok && S.forms.needed && refreshForms(), wait);
    } else if (S.forms.open && !more) openForm(S.forms.open, false);
  } catch (e) {
    if (seq !== S.forms.seq) return;
    $('#forms-stale').hidden = !S.forms.rows.length;
    fail(e, '计分失败');
  }
}

/** While the forms are being read: how far, on the toolbar. */
function renderProgress() {
  const f = S.forms;
  const box = $('#forms-progress');
  box.hidden = !f.partial;
  $('#forms-table').classList.toggle('reading', !!f.partial);
  if (!f.partial) return;
  $('#forms-read').textContent = f.total ? `${count(f.read)} / ${count(f.total)}` : '';
  const bar = $('progress', box);
  bar.max = Math.max(f.total, 1);
  bar.value = f.read;
}

function renderForms() {
  const { key, dir } = S.forms.sort;
  const partial = S.forms.partial;
  const filter = S.forms.filter.trim().toLowerCase();
  const numeric = ['total', 'reported', 'difference', 'year', 'warnings'].includes(key);
  const rows = S.forms.rows.filter((f) => !filter || [f.department, f.path, f.grade, f.year].some((v) => String(v == null ? '' : v).toLowerCase().includes(filter)));
  // Sorted only once every form is read: until then in reading order (by path), so that
  // no ranking of some forms looks like the ranking of all.
  if (!partial) {
    rows.sort((a, b) => {
      const x = numeric ? num(a[key]) : a[key];
      const y = numeric ? num(b[key]) : b[key];
      if (x == null && y == null) return 0;
      if (x == null) return 1;
      if (y == null) return -1;
      return (numeric ? x - y : String(x).localeCompare(String(y), 'zh-CN')) * dir;
    });
  }
  for (const th of $$('#forms-table th')) {
    const sorted = !partial && th.dataset.key === key;
    th.classList.toggle('sorted', sorted);
    th.dataset.dir = sorted ? (dir > 0 ? '升序' : '降序') : '';
    th.setAttribute('aria-sort', sorted ? (dir > 0 ? 'ascending' : 'descending') : 'none');
    th.title = partial ? '表单读取完后可排序' : '点击排序';
  }
  renderProgress();
  const tbody = $('#forms-table tbody');
  const shown = S.forms.all ? rows : rows.slice(0, ROWS_SHOWN);
  // The same rows as drawn last (more forms read, none of them on the first page): only
  // the last line changes, and drawing 300 rows again at each answer would slow the read.
  const drawn = S.forms.drawn;
  const same = drawn && drawn.open === S.forms.open && drawn.rows.length === shown.length && shown.every((f, i) => f === drawn.rows[i]);
  if (same) for (const tr of $$('tr.more', tbody)) tr.remove();
  else tbody.replaceChildren(...shown.map(formRow));
  S.forms.drawn = { rows: shown, open: S.forms.open };
  if (shown.length < rows.length) {
    const text = partial
      ? `已读取 ${count(S.forms.read)} / ${count(S.forms.total)} 份，按读取顺序列出${filter ? '筛选出的' : ''}前 ${shown.length} 份；读取完后可排序，或 `
      : `共 ${rows.length} 份，按当前排序列出前 ${shown.length} 份；可用筛选或排序查找，或 `;
    tbody.append(
      moreRow(8, text, () => {
        S.forms.all = true;
        renderForms();
      }),
    );
  }
  $('#forms-empty').hidden = partial || S.forms.rows.length > 0;
}

/** A form's line in the table. */
function formRow(f) {
  const d = num(f.difference);
  return el(
    'tr',
    { class: [f.error ? 'failed' : '', f.path === S.forms.open ? 'open' : ''].join(' '), dataset: { path: f.path }, tabindex: '0', onclick: () => openForm(f.path) },
    el('td', { text: f.department || '—' }),
    el('td', { class: 'path', text: f.path }),
    el('td', { class: 'num', text: f.year == null ? '' : f.year }),
    f.error ? el('td', { class: 'error-cell', colspan: '4', text: `未能计分：${f.error.message}${errorHint(f.error)}` }) : totalCell(f),
    f.error ? null : el('td', { class: `grade grade-${f.grade}`, text: f.grade || '' }),
    f.error ? null : el('td', { class: 'num', text: f.reported == null ? '' : f.reported }),
    f.error ? null : el('td', { class: `num ${d > 0 ? 'up' : d < 0 ? 'down' : ''}`, text: signed(f.difference) }),
    el('td', { class: 'num', text: f.warnings ? String(f.warnings) : '' }),
  );
}

/** The import panel's box that takes the reported scores as weights, as its label
 * names it (index.html says it once). */
function weightsBox() {
  return $('#import-weights-label').textContent.trim();
}

/** What to do about a form the folder could not score, where the page offers a way: a
 * printed form with only the reported scores has the import box, or the server's flag. */
function errorHint(error) {
  return error.code === 'jixiao::import::missing_weight'
    ? `（表上只有自评得分时：把文件拖到本页并勾选「${weightsBox()}」，或用 jixiao serve --weights reported 启动工作台）`
    : '';
}

/** A row's 计算总分; marked when the form names other rules than the current ones
 * (`other_rules`), since then it is not the total its own scheme gives. */
function totalCell(f) {
  if (!f.other_rules) return el('td', { class: 'num total', text: f.total });
  const why = `表单注明按规则「${f.other_rules}」计分，当前规则不是它，也不继承它：这个总分不是该方案给出的。请在左侧规则列表中打开「${f.other_rules}」再看`;
  return el('td', { class: 'num total other-rules', title: why }, el('span', { class: 'badge warn', text: `注明按 ${f.other_rules}` }), ' ', el('span', { class: 'value', text: f.total }));
}

/** The last row of a long table: `text` (how many rows are not drawn), and a button to draw them. */
function moreRow(columns, text, showAll) {
  return el('tr', { class: 'more' }, el('td', { colspan: String(columns) }, text, el('button', { text: '全部列出', onclick: showAll })));
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
  $('#import-panel').hidden = false;
  $('#import-name').textContent = file.name;
  $('#import-save-name').value = `${stem(file.name)}.toml`;
  await convertImport();
}

/** `/api/import`'s query for `name`: where weights come from, as the panel's box says. */
function importQuery(name) {
  return `name=${encodeURIComponent(name)}&weights=${$('#import-weights').checked ? 'reported' : 'given'}`;
}

/** Converts the file dropped (again, when the weights box changes) and shows the TOML. */
async function convertImport() {
  const imp = S.imported;
  if (!imp) return;
  const seq = (imp.seq = (imp.seq || 0) + 1);
  $('#import-toml').textContent = '正在转换…';
  $('#import-warnings').replaceChildren();
  $('#btn-import-save').disabled = true;
  $('#import-weights-label').classList.remove('suggest');
  try {
    const r = await api('POST', `/api/import?${importQuery(imp.name)}`, imp.bytes);
    if (seq !== imp.seq || imp !== S.imported) return;
    renderToml(r.toml);
    renderImportWarnings(r.warnings || []);
    $('#btn-import-save').disabled = false;
    say(`已转换 ${imp.name}：核对后点「保存到文件夹」`);
  } catch (e) {
    if (seq !== imp.seq || imp !== S.imported) return;
    $('#import-toml').textContent = '';
    renderImportWarnings(e.diagnostics || [{ severity: 'error', code: e.code, message: e.message, help: e.help }]);
    // A printed form shows only the reported scores: the box that takes them as weights.
    const noWeights = (e.diagnostics || []).some((d) => d.code === 'jixiao::import::missing_weight');
    if (noWeights && !$('#import-weights').checked) {
      $('#import-weights-label').classList.add('suggest');
      say(`无法导入 ${imp.name}：表中没有分值（权重）列；若表上只有自评得分，可勾选「${weightsBox()}」`, 'error', null, 'jixiao::import::missing_weight');
    } else say(`无法导入 ${imp.name}：${e.message}`, 'error', e.help, e.code);
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
    const r = await api('POST', `/api/import?${importQuery(name)}&save=1`, imp.bytes);
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

