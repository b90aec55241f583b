// jixiao 绩效自评工作台 (`jixiao serve`): the 模拟 view: parameters, baseline, impact, export.
// The page's scripts are plain ES2020 loaded in order by index.html (common.js,
// editor.js, assist.js, rules.js, forms.js, whatif.js, app.js), sharing one global scope; see
// app.js for the invariants of the whole page.
'use strict';

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
          inputmode: p.text ? 'text' : 'decimal',
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

function renderImpact(d) {
  const s = d.summary;
  const box = $('#impact');
  const card = (label, value, cls = '') => el('div', { class: `card ${cls}` }, el('div', { class: 'label', text: label }), el('div', { class: 'value', text: value }));
  const cards = el(
    'div',
    { class: 'cards' },
    card('对比表单', `${s.forms} 份`),
    card('得分有变化', `${s.changed} 份`),
    card('总分有变化', `${s.total_changed} 份`),
    card('等级变化', `${s.grade_changed} 份`, s.grade_changed ? 'alert' : ''),
    card('总分平均变化', s.mean_delta != null ? signed(s.mean_delta) : '—'),
    s.median_delta != null ? card('总分变化中位数', signed(s.median_delta)) : null,
    card('总分最大变化', s.max_delta != null ? signed(s.max_delta) : '—'),
    d.failed.length ? card('未能计分', `${d.failed.length} 份`, 'alert') : null,
  );
  // The server's matrix (`summary.grade_matrix`, the one `jixiao diff` reports): grades
  // best first, `null` (rules without grades) last.
  const m = { grades: s.grade_matrix.grades.map((g) => (g == null ? '无等级' : g)), counts: s.grade_matrix.counts };
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
  const charts = d.charts;
  const chartBox = (title, svg) => (svg ? el('figure', { class: 'chart' }, el('figcaption', { text: title }), el('div', { html: svg })) : null);
  const allTotals = d.forms;
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
              { dataset: { path: f.file } },
              el('td', { text: f.department || '—' }),
              el('td', { class: 'path', text: f.file }),
              el('td', { class: 'num', text: f.total.old == null ? '—' : f.total.old }),
              el('td', { class: 'num new-total', text: f.total.new == null ? '—' : f.total.new }),
              el('td', { class: `num ${delta > 0 ? 'up' : delta < 0 ? 'down' : ''}`, text: f.total.delta == null ? '' : signed(f.total.delta) }),
              el('td', { text: f.grade ? f.grade.old || '' : '' }),
              el('td', { class: f.grade && f.grade.changed ? 'moved' : '', text: f.grade ? f.grade.new || '' : '' }),
            );
          }),
          totals.length < allTotals.length
            ? moreRow(7, `共 ${allTotals.length} 份，按当前排序列出前 ${totals.length} 份；可用筛选或排序查找，或 `, () => {
                S.whatif.all = true;
                renderImpact(d);
              })
            : null,
        ),
      )
    : null;
  const movers = s.largest_movers.slice(0, 10);
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
  const failed = d.failed.length
    ? el(
        'div',
        {},
        el('h3', { text: `未能计分的表单（${d.failed.length} 份）` }),
        el('ul', { class: 'diagnostics' }, d.failed.map((f) => el('li', { class: 'diag error' }, el('span', { class: 'msg', text: f })))),
      )
    : null;
  box.replaceChildren(
    ...[
      cards,
      el('div', { class: 'impact-row' }, matrix, chartBox('等级变化', charts.matrix)),
      chartBox('总分分布：基准与模拟', charts.histogram),
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

