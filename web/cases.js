/* The duty workflow's pages: incident queue and detail (evidence, history, the
 * next steps with a comment), notices (list, add form, import, re-check and close)
 * and the duty roster (who is on duty, shifts, handover notes). Every change goes
 * through the documented /api/ with the CSRF header (api() in common.js); buttons
 * a role may not use are not shown, and the server refuses them anyway. */
'use strict';

Object.assign(I18N.en, {
  state: 'State', verdict: 'Verdict', sla: 'SLA clock', assignee: 'Assignee', target: 'Target',
  family: 'Family', alerts_n: 'Alerts', escalation: 'Escalation', feedback: 'Feedback',
  history: 'History', actions: 'Disposal actions', comment: 'Comment', open_only: 'Open',
  all_states: 'All', due_in: 'due in {t}', overdue_by: 'overdue by {t}', no_clock: 'no clock',
  ack: 'Acknowledge', verify_tp: 'True positive', verify_fp: 'False positive',
  suppress: 'Suppress this noise (rule + source) for 7 days', suppress_path: 'Path (optional)',
  dispose: 'Record disposal', dispose_action: 'Action', dispose_target: 'Target (path, IP)',
  dispose_result: 'Result', give_feedback: 'Give feedback', close: 'Close', next_step: 'Next step',
  done: 'Done', closed_note: 'This incident is closed.', from_to: 'Change', at: 'When', by: 'By',
  result: 'Result', kind: 'Kind', ref: 'Reference', asset: 'Asset', owner: 'Owner',
  deadline: 'Deadline', required_feedback: 'Required feedback', issuer: 'Issuer',
  add_notice: 'Add a notice', import_notices: 'Import (CSV or JSON list)', import: 'Import',
  imported: '{a} added, {s} already tracked', add: 'Add', recheck: 'Re-check verdict',
  note: 'Note', close_notice: 'Close with this verdict', feedback_text: 'Feedback to send back',
  show_closed: 'Show closed', on_duty: 'On duty now', shifts: 'Shifts', handovers: 'Handover notes',
  person: 'Person', contact: 'Contact', starts: 'From', ends: 'To', daily: 'Daily',
  order: 'Order', handover: 'Hand over', handover_to: 'To', add_shift: 'Add a shift',
  nobody: 'Nobody is on duty', suppression: 'Suppression {id} created',
  vulnerability: 'vulnerability', incident: 'incident', fixed: 'fixed', mitigated: 'mitigated',
  not_affected: 'not affected', accepted: 'risk accepted', true_positive: 'true positive',
  false_positive: 'false positive', by_state: 'By state', due_soon: 'Clocks',
  daemon: 'Daemon', watch_running: 'watch running since {t}', watch_stopped: 'watch not running (last beat {t})',
  watch_never: 'watch has never run on this store', guarded: 'guarded', unguarded: 'not guarded',
  lines: 'lines', lines_s: 'lines/s', drops: 'dropped', files: 'Files', syslog: 'Syslog',
  pid: 'pid', load_more: 'Older', no_deadline: 'no deadline',
  st_new: 'new', st_acknowledged: 'acknowledged', st_verified: 'verified', st_disposed: 'disposed',
  st_feedback: 'feedback given', st_closed: 'closed', st_open: 'open',
  kind_vulnerability: 'vulnerability', kind_incident: 'incident', kind_asset: 'internet asset',
});
Object.assign(I18N.zh, {
  state: '状态', verdict: '研判', sla: 'SLA 计时', assignee: '处理人', target: '目标',
  family: '类别', alerts_n: '告警数', escalation: '升级', feedback: '反馈',
  history: '处置记录', actions: '处置动作', comment: '备注', open_only: '未关闭',
  all_states: '全部', due_in: '剩余 {t}', overdue_by: '已超时 {t}', no_clock: '无计时',
  ack: '确认', verify_tp: '研判为真实攻击', verify_fp: '研判为误报',
  suppress: '屏蔽此类误报（规则 + 来源）7 天', suppress_path: '路径（可选）',
  dispose: '记录处置', dispose_action: '处置方式', dispose_target: '处置对象（路径、IP）',
  dispose_result: '处置结果', give_feedback: '提交反馈', close: '关闭', next_step: '下一步',
  done: '已完成', closed_note: '该事件已关闭。', from_to: '状态变化', at: '时间', by: '操作人',
  result: '结果', kind: '类型', ref: '编号', asset: '资产', owner: '负责人',
  deadline: '截止时间', required_feedback: '反馈要求', issuer: '下发单位',
  add_notice: '新增通报', import_notices: '导入（CSV 或 JSON 列表）', import: '导入',
  imported: '新增 {a} 条，已存在 {s} 条', add: '新增', recheck: '复查结论',
  note: '说明', close_notice: '按此结论关闭', feedback_text: '反馈内容',
  show_closed: '显示已关闭', on_duty: '当前值班', shifts: '班次', handovers: '交接记录',
  person: '人员', contact: '联系方式', starts: '开始', ends: '结束', daily: '每日',
  order: '顺序', handover: '交接', handover_to: '接班人', add_shift: '新增班次',
  nobody: '当前无人值班', suppression: '已创建屏蔽规则 {id}',
  vulnerability: '漏洞', incident: '事件', fixed: '已修复', mitigated: '已缓解',
  not_affected: '不受影响', accepted: '风险已接受', true_positive: '真实攻击',
  false_positive: '误报', by_state: '按状态', due_soon: '计时',
  daemon: '守护进程', watch_running: 'watch 运行中，自 {t}', watch_stopped: 'watch 未运行（最后心跳 {t}）',
  watch_never: 'watch 从未在此存储上运行', guarded: '已防护', unguarded: '未防护',
  lines: '行', lines_s: '行/秒', drops: '丢弃', files: '文件', syslog: 'Syslog',
  pid: 'pid', load_more: '更早',
  no_deadline: '无截止时间',
  st_new: '新建', st_acknowledged: '已确认', st_verified: '已研判', st_disposed: '已处置',
  st_feedback: '已反馈', st_closed: '已关闭', st_open: '处理中',
  kind_vulnerability: '漏洞通报', kind_incident: '事件通报', kind_asset: '互联网资产通报',
});

const STATES = ['new', 'acknowledged', 'verified', 'disposed', 'feedback', 'closed'];
const stName = (s) => t('st_' + s);
const kindName = (k) => t('kind_' + k);
const canAct = () => (ROLE_RANK[V.session.role] || 0) >= 2;

function sevNum(name) { return Math.max(0, ['info', 'low', 'medium', 'high', 'critical'].indexOf(name)); }

function fmtSpan(s) {
  s = Math.abs(s);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${String(Math.floor(s % 3600 / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor(s % 86400 / 3600)}h`;
}

/* An SLA clock that counts down in place: data-due holds the deadline (ms). */
function slaClock(dueIso) {
  if (!dueIso) return h('span', { class: 'muted' }, t('no_clock'));
  return h('span', { class: 'sla', 'data-due': Date.parse(dueIso) });
}

function tickClocks(root) {
  const now = Date.now();
  for (const el of root.querySelectorAll('.sla[data-due]')) {
    const left = Math.round((Number(el.dataset.due) - now) / 1000);
    el.textContent = left >= 0 ? t('due_in', { t: fmtSpan(left) }) : t('overdue_by', { t: fmtSpan(left) });
    el.classList.toggle('overdue', left < 0);
  }
}

function startClocks(root) {
  tickClocks(root);
  const timer = setInterval(() => tickClocks(root), 1000);
  onLeave(() => clearInterval(timer));
}

function kv(pairs) {
  const dl = h('dl', { class: 'kv' });
  for (const [k, v, cls] of pairs)
    if (v !== null && v !== undefined && v !== '') dl.append(h('dt', {}, t(k)), h('dd', { class: cls || '' }, v));
  return dl;
}

/* rows: an array of <tr>, or a <tbody> the caller keeps filling. */
function table(heads, rows, attrs) {
  return h('table', attrs || {}, h('thead', {}, h('tr', {}, heads.map((x) => h('th', {}, x ? t(x) : '')))),
    rows instanceof Element ? rows : h('tbody', {}, rows));
}

/* A form whose submit calls fn(); errors show under it, the button is disabled
 * while the request runs so a double click does not step twice. */
function actionForm(id, fields, label, fn) {
  const msg = h('p', { class: 'error', role: 'alert' });
  const btn = h('button', { type: 'submit' }, label);
  const form = h('form', { class: 'act', id }, fields, btn, msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    btn.disabled = true;
    try { await fn(form); } catch (e) {
      if (e instanceof ApiError && e.status === 401) { start(); return; }
      msg.textContent = e instanceof ApiError && e.status === 403 ? t('forbidden') : `${t('error')}: ${e.message}`;
    } finally { btn.disabled = false; }
  });
  return form;
}

function field(label, input) { return h('label', {}, t(label), input); }

/* ---- incidents ---- */
async function pageIncidents() {
  const sel = h('select', { id: 'inc-state' }, h('option', { value: '' }, t('open_only')),
    h('option', { value: 'all' }, t('all_states')), STATES.map((s) => h('option', { value: s }, stName(s))));
  const tbody = h('tbody', {});
  const more = h('button', { class: 'secondary', hidden: true }, t('load_more'));
  let before = 0;
  const row = (i) => h('tr', { 'data-id': i.id, class: i.overdue ? 'late' : '' },
    h('td', { class: 'num' }, h('a', { href: '#/incidents/' + i.id }, '#' + i.id)),
    h('td', {}, sevBadge(sevNum(i.severity))),
    h('td', {}, h('span', { class: 'st st-' + i.state }, stName(i.state))),
    h('td', {}, h('a', { href: '#/incidents/' + i.id }, i.title)),
    h('td', { class: 'mono' }, i.source_ip || ''),
    h('td', { class: 'num' }, String(i.alert_count)),
    h('td', {}, ['new', 'acknowledged', 'verified'].includes(i.state) ? slaClock(i.due_at) : ''),
    h('td', {}, i.assignee || ''));
  const load = async (append) => {
    const v = sel.value;
    let q = '/api/incidents?limit=100' + (v === 'all' ? '&all=1' : v ? '&state=' + v : '');
    if (append && before) q += '&before=' + before;
    const r = await api('GET', q);
    if (!append) tbody.replaceChildren();
    for (const i of r.incidents) tbody.appendChild(row(i));
    before = r.next_before || 0;
    more.hidden = !before;
    tickClocks(tbody);
  };
  main().replaceChildren(h('h1', {}, t('incidents')),
    h('div', { class: 'toolbar' }, h('label', {}, t('state'), ' ', sel)),
    table(['', 'severity', 'state', 'title', 'source', 'alerts_n', 'sla', 'assignee'], tbody, { id: 'incidents' }), more);
  sel.addEventListener('change', () => load(false).catch(pageError));
  more.addEventListener('click', () => load(true).catch(pageError));
  try { await load(false); } catch (e) { pageError(e); return; }
  startClocks(tbody);
  const timer = setInterval(() => { if (!before) load(false).catch(() => {}); }, 15000);
  onLeave(() => clearInterval(timer));
}

/* The steps the state machine allows next (src/cases: cases_next_state). */
function nextSteps(i) {
  const fp = i.verdict === 'false_positive';
  const s = [];
  if (i.state === 'new') s.push('ack');
  if (i.state === 'acknowledged') s.push('verify');
  if (!fp && (i.state === 'verified' || i.state === 'disposed')) s.push('dispose');
  if (i.state === 'disposed' || (i.state === 'verified' && fp)) s.push('feedback');
  if (i.state === 'feedback' || (i.state === 'verified' && fp)) s.push('close');
  return s;
}

function stepForms(i, reload) {
  const post = async (step, body) => { await api('POST', `/api/incidents/${i.id}/${step}`, body); await reload(); };
  const comment = () => h('textarea', { name: 'comment', rows: 2, maxlength: 4000 });
  const val = (f, n) => { const x = f.elements[n].value.trim(); return x === '' ? undefined : x; };
  const forms = [];
  for (const s of nextSteps(i)) {
    if (s === 'ack')
      forms.push(actionForm('step-ack', [field('comment', comment())], t('ack'),
        (f) => post('ack', { comment: val(f, 'comment') })));
    if (s === 'verify') {
      const sup = h('input', { type: 'checkbox', name: 'suppress' });
      const verdict = h('select', { name: 'verdict' }, h('option', { value: 'tp' }, t('verify_tp')),
        h('option', { value: 'fp' }, t('verify_fp')));
      forms.push(actionForm('step-verify', [field('verdict', verdict), field('comment', comment()),
        h('label', { class: 'check' }, sup, t('suppress')), field('suppress_path', h('input', { name: 'path', maxlength: 4096 }))],
      t('verdict'), async (f) => {
        const body = { verdict: verdict.value, comment: val(f, 'comment') };
        if (verdict.value === 'fp' && sup.checked) { body.suppress = true; body.path = val(f, 'path'); }
        await post('verify', body);
      }));
    }
    if (s === 'dispose') {
      const kind = h('select', { name: 'action' }, ['restore', 'quarantine', 'block', 'other'].map((k) => h('option', { value: k }, k)));
      forms.push(actionForm('step-dispose', [field('dispose_action', kind),
        field('dispose_target', h('input', { name: 'target', maxlength: 4096 })),
        field('dispose_result', h('input', { name: 'result', maxlength: 4000 })), field('comment', comment())],
      t('dispose'), (f) => post('dispose', { action: kind.value, target: val(f, 'target'), result: val(f, 'result'), comment: val(f, 'comment') })));
    }
    if (s === 'feedback')
      forms.push(actionForm('step-feedback', [field('feedback', h('textarea', { name: 'feedback', rows: 3, required: true, maxlength: 4000 })),
        field('comment', comment())], t('give_feedback'),
      (f) => post('feedback', { feedback: val(f, 'feedback'), comment: val(f, 'comment') })));
    if (s === 'close')
      forms.push(actionForm('step-close', [field('comment', comment())], t('close'),
        (f) => post('close', { comment: val(f, 'comment') })));
  }
  return forms;
}

async function pageIncident(id) {
  const render = async () => {
    const i = await api('GET', '/api/incidents/' + id);
    const evidence = h('pre', { class: 'evidence', id: 'inc-evidence' });
    const steps = i.state === 'closed' ? [h('p', { class: 'muted' }, t('closed_note'))]
      : canAct() ? stepForms(i, () => render().catch(pageError)) : [];
    main().replaceChildren(
      h('p', {}, h('a', { href: '#/incidents' }, '← ' + t('back'))),
      h('h1', {}, `#${i.id} `, i.title, ' ', h('span', { class: 'st st-' + i.state, id: 'inc-state' }, stName(i.state))),
      h('div', { class: 'cols' },
        kv([['severity', sevBadge(sevNum(i.severity))], ['state', stName(i.state)],
          ['verdict', i.verdict ? t(i.verdict) : null], ['source', i.source_ip, 'mono'],
          ['target', i.target], ['family', i.family], ['alerts_n', String(i.alert_count)],
          ['first_seen', fmtTime(i.first_seen)], ['last_seen', fmtTime(i.last_seen)],
          ['sla', i.due_at ? slaClock(i.due_at) : null], ['escalation', i.escalation ? String(i.escalation) : null],
          ['assignee', i.assignee], ['feedback', i.feedback]]),
        steps.length ? h('section', { class: 'panel steps' }, h('h2', {}, t('next_step')), steps) : null),
      h('h2', {}, t('history')),
      table(['at', 'by', 'action', 'from_to', 'comment'], (i.history || []).map((e) =>
        h('tr', {}, h('td', {}, fmtTime(e.at)), h('td', {}, e.actor), h('td', { class: 'mono' }, e.action),
          h('td', {}, e.from ? `${stName(e.from)} → ${stName(e.to)}` : ''), h('td', {}, e.comment || ''))), { id: 'inc-history' }),
      h('h2', {}, t('actions')),
      (i.actions || []).length ? table(['at', 'kind', 'target', 'by', 'result'], i.actions.map((a) =>
        h('tr', {}, h('td', {}, fmtTime(a.at)), h('td', { class: 'mono' }, a.kind), h('td', { class: 'mono' }, a.target || ''),
          h('td', {}, a.actor), h('td', {}, a.result || ''))), { id: 'inc-actions' }) : h('p', { class: 'muted', id: 'inc-actions' }, t('none')),
      h('h2', {}, t('alerts')),
      table(['time', 'severity', 'rule', 'source', 'matched'], (i.alerts || []).map((a) =>
        h('tr', {}, h('td', {}, fmtTime(a.first_seen)), h('td', {}, sevBadge(sevNum(a.severity))),
          h('td', {}, h('a', { href: '#/alerts/' + a.id }, a.title || a.rule_id)), h('td', { class: 'mono' }, a.source_ip || ''),
          h('td', { class: 'mono' }, a.matched || '')))),
      h('h2', {}, t('evidence')), evidence);
    tickClocks(main());
    /* Evidence lines (or a file diff) of the first alerts, from the alert API. */
    const lines = [];
    for (const a of (i.alerts || []).slice(0, 3)) {
      try {
        const d = await api('GET', '/api/alerts/' + a.id);
        const ev = d.events && d.events.length ? d.events.map((e) => `${fmtTime(e.ts)}  ${e.raw}`) : [d.evidence || ''];
        lines.push(`# alert ${d.id} ${d.rule}`, ...ev, '');
      } catch (e) { /* an alert removed by retention: show the rest */ }
    }
    evidence.textContent = lines.join('\n');
  };
  try { await render(); } catch (e) { pageError(e); return; }
  startClocks(main());
}

/* ---- notices ---- */
async function pageNotices() {
  const all = h('input', { type: 'checkbox', id: 'notices-all' });
  const tbody = h('tbody', {});
  const load = async () => {
    const r = await api('GET', '/api/notices' + (all.checked ? '?all=1' : ''));
    tbody.replaceChildren(...r.notices.map((n) => h('tr', { 'data-id': n.id },
      h('td', { class: 'num' }, h('a', { href: '#/notices/' + n.id }, '#' + n.id)),
      h('td', {}, kindName(n.kind)), h('td', {}, sevBadge(sevNum(n.severity))),
      h('td', {}, h('a', { href: '#/notices/' + n.id }, n.title)), h('td', {}, n.asset),
      h('td', {}, n.owner || ''), h('td', {}, n.state !== 'open' ? stName(n.state) : n.deadline ? slaClock(n.deadline) : h('span', { class: 'muted' }, t('no_deadline'))),
      h('td', { class: 'mono' }, [n.issuer, n.ref].filter(Boolean).join(' ')))));
    tickClocks(tbody);
  };
  const forms = [];
  if (canAct()) {
    const inp = (name, attrs) => h('input', Object.assign({ name, maxlength: 256 }, attrs || {}));
    forms.push(h('section', { class: 'panel' }, h('h2', {}, t('add_notice')), actionForm('notice-add', [
      field('kind', h('select', { name: 'kind' }, ['vulnerability', 'incident', 'asset'].map((k) => h('option', { value: k }, kindName(k))))),
      field('ref', inp('ref', { required: true })), field('title', inp('title', { required: true })),
      field('asset', inp('asset', { required: true })),
      field('severity', h('select', { name: 'severity' }, ['critical', 'high', 'medium', 'low', 'info'].map((s) => h('option', { value: s, selected: s === 'medium' }, t(s))))),
      field('owner', inp('owner')), field('deadline', inp('deadline', { placeholder: 'YYYY-MM-DD HH:MM / +4h' })),
      field('issuer', inp('issuer')), field('required_feedback', h('textarea', { name: 'required_feedback', rows: 2, maxlength: 4000 })),
      field('detail', h('textarea', { name: 'detail', rows: 2, maxlength: 4000 }))], t('add'), async (f) => {
      const body = {};
      for (const k of ['kind', 'ref', 'title', 'asset', 'severity', 'owner', 'deadline', 'issuer', 'required_feedback', 'detail']) {
        const v = f.elements[k].value.trim();
        if (v !== '') body[k] = v;
      }
      const n = await api('POST', '/api/notices', body);
      location.hash = '#/notices/' + n.id;
    })));
    const text = h('textarea', { name: 'text', rows: 4, placeholder: 'kind,ref,title,asset,severity,owner,deadline,required_feedback,issuer,detail' });
    const file = h('input', { type: 'file', accept: '.csv,.json,text/csv,application/json' });
    file.addEventListener('change', async () => { if (file.files[0]) text.value = await file.files[0].text(); });
    const res = h('p', { class: 'muted', id: 'import-result' });
    forms.push(h('section', { class: 'panel' }, h('h2', {}, t('import_notices')), actionForm('notice-import', [file, text, res], t('import'), async () => {
      const r = await api('POST', '/api/notices/import', { text: text.value });
      res.textContent = t('imported', { a: r.added, s: r.skipped });
      await load();
    })));
  }
  main().replaceChildren(h('h1', {}, t('notices')),
    h('div', { class: 'toolbar' }, h('label', { class: 'check' }, all, t('show_closed'))),
    table(['', 'kind', 'severity', 'title', 'asset', 'owner', 'deadline', 'ref'], tbody, { id: 'notices' }),
    h('div', { class: 'grid forms' }, forms));
  all.addEventListener('change', () => load().catch(pageError));
  try { await load(); } catch (e) { pageError(e); return; }
  startClocks(tbody);
}

async function pageNotice(id) {
  const render = async () => {
    const n = await api('GET', '/api/notices/' + id);
    let close = null;
    if (n.state === 'open' && canAct()) {
      const verdict = h('select', { name: 'verdict' }, ['fixed', 'mitigated', 'not_affected', 'accepted'].map((v) => h('option', { value: v }, t(v))));
      const note = h('textarea', { name: 'note', rows: 2, maxlength: 4000 });
      close = h('section', { class: 'panel steps' }, h('h2', {}, t('recheck')),
        actionForm('notice-close', [field('recheck', verdict), field('note', note)], t('close_notice'), async () => {
          await api('POST', `/api/notices/${n.id}/close`, { verdict: verdict.value, note: note.value.trim() || undefined });
          await render();
        }));
    }
    main().replaceChildren(
      h('p', {}, h('a', { href: '#/notices' }, '← ' + t('back'))),
      h('h1', {}, `#${n.id} `, n.title, ' ', h('span', { class: 'st st-' + n.state, id: 'notice-state' }, stName(n.state))),
      h('div', { class: 'cols' }, kv([['kind', kindName(n.kind)], ['severity', sevBadge(sevNum(n.severity))],
        ['ref', n.ref, 'mono'], ['issuer', n.issuer], ['asset', n.asset], ['owner', n.owner],
        ['deadline', n.deadline ? h('span', {}, fmtTime(n.deadline), ' ', n.state === 'open' ? slaClock(n.deadline) : '') : null],
        ['required_feedback', n.required_feedback], ['detail', n.detail], ['verdict', n.verdict ? t(n.verdict) : null],
        ['note', n.recheck_note]]), close),
      n.feedback ? h('div', {}, h('h2', {}, t('feedback_text')), h('pre', { class: 'evidence', id: 'notice-feedback' }, n.feedback)) : null,
      h('h2', {}, t('history')),
      table(['at', 'by', 'action', 'comment'], (n.history || []).map((e) => h('tr', {}, h('td', {}, fmtTime(e.at)),
        h('td', {}, e.actor), h('td', { class: 'mono' }, e.action), h('td', {}, e.comment || '')))));
    tickClocks(main());
  };
  try { await render(); } catch (e) { pageError(e); return; }
  startClocks(main());
}

/* ---- duty roster ---- */
async function pageDuty() {
  const render = async () => {
    const d = await api('GET', '/api/duty');
    const shiftTime = (iso, daily) => daily ? fmtTime(iso).slice(11, 16) : fmtTime(iso).slice(0, 16);
    const forms = [];
    if (canAct())
      forms.push(h('section', { class: 'panel' }, h('h2', {}, t('handover')), actionForm('duty-handover', [
        field('handover_to', h('input', { name: 'to', required: true, maxlength: 64 })),
        field('note', h('textarea', { name: 'note', rows: 3, required: true, maxlength: 4000 }))], t('handover'), async (f) => {
        await api('POST', '/api/duty/handover', { to: f.elements.to.value.trim(), note: f.elements.note.value.trim() });
        await render();
      })));
    if ((ROLE_RANK[V.session.role] || 0) >= 3)
      forms.push(h('section', { class: 'panel' }, h('h2', {}, t('add_shift')), actionForm('duty-shift', [
        field('person', h('input', { name: 'person', required: true, maxlength: 64 })),
        field('contact', h('input', { name: 'contact', maxlength: 256 })),
        field('starts', h('input', { name: 'from', required: true, placeholder: 'YYYY-MM-DD HH:MM' })),
        field('ends', h('input', { name: 'to', required: true, placeholder: 'YYYY-MM-DD HH:MM' })),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'daily' }), t('daily')),
        field('order', h('input', { name: 'order', type: 'number', min: 0, max: 100, value: 0 }))], t('add'), async (f) => {
        const e = f.elements;
        await api('POST', '/api/duty/shifts', { person: e.person.value.trim(), contact: e.contact.value.trim() || undefined,
          from: e.from.value.trim(), to: e.to.value.trim(), daily: e.daily.checked, order: Number(e.order.value) || 0 });
        await render();
      })));
    main().replaceChildren(h('h1', {}, t('duty')),
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, t('on_duty')),
          d.on_duty.length ? h('ol', { class: 'duty', id: 'on-duty' }, d.on_duty.map((p) =>
            h('li', {}, h('b', {}, p.person), ' ', h('span', { class: 'muted' }, p.contact || ''),
              ' ', h('span', { class: 'muted' }, `${shiftTime(p.starts_at, p.daily)}–${shiftTime(p.ends_at, p.daily)}`))))
            : h('p', { class: 'muted', id: 'on-duty' }, t('nobody'))),
        h('section', { class: 'panel' }, h('h2', {}, t('handovers')),
          d.handovers.length ? h('ul', { class: 'notes', id: 'handovers' }, d.handovers.map((n) =>
            h('li', {}, h('div', { class: 'muted' }, `${fmtTime(n.at)} · ${n.from || ''} → ${n.to}`), h('div', {}, n.note))))
            : h('p', { class: 'muted', id: 'handovers' }, t('none')))),
      h('h2', {}, t('shifts')),
      table(['person', 'contact', 'starts', 'ends', 'daily', 'order'], d.shifts.map((s) => h('tr', {},
        h('td', {}, s.person), h('td', {}, s.contact || ''), h('td', {}, shiftTime(s.starts_at, s.daily)),
        h('td', {}, shiftTime(s.ends_at, s.daily)), h('td', {}, s.daily ? '✓' : ''), h('td', { class: 'num' }, String(s.escalation_order))))),
      h('div', { class: 'grid forms' }, forms));
  };
  try { await render(); } catch (e) { pageError(e); }
}
