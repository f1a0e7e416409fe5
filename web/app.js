/* The console pages: a hash router over the same /api/ the CLI documents. Every
 * page builds its DOM with h() from common.js; a page's timers and live feed are
 * stopped when another page is shown, so nothing accumulates. */
'use strict';

const main = () => document.getElementById('main');
let cleanup = [];

function onLeave(fn) { cleanup.push(fn); }

function pageError(e) {
  if (e instanceof ApiError && e.status === 401) { start(); return; }
  main().replaceChildren(h('p', { class: 'error', role: 'alert' },
    e instanceof ApiError && e.status === 403 ? t('forbidden') : `${t('error')}: ${e.message}`));
}

function panel(title, ...body) {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...body);
}

/* ---- overview ---- */
async function pageOverview() {
  const root = h('div', { class: 'grid' });
  main().replaceChildren(h('h1', {}, t('overview')), root);
  const refresh = async () => {
    let o;
    try { o = await api('GET', '/api/overview?minutes=60'); } catch (e) { pageError(e); return; }
    const sev = o.by_severity || {};
    const total = Object.values(sev).reduce((a, b) => a + b, 0);
    root.replaceChildren(
      panel(`${t('alerts_per_minute')} · ${t('last_minutes', { n: o.minutes })}`,
        h('p', { class: 'big' }, String(total), h('small', {}, ' ' + t('alerts_total'))),
        minuteChart(o.per_minute || [], o.minutes, o.now, { w: 560, h: 190 })),
      panel(t('by_severity'), h('div', { class: 'sevrow' },
        ['critical', 'high', 'medium', 'low', 'info'].map((s) =>
          h('div', { class: 'sevbox sev-' + s }, h('b', {}, String(sev[s] || 0)), h('span', {}, t(s)))))),
      panel(t('top_sources'), topList((o.top_sources || []).map((r) => ({ label: r.ip, value: r.events })))),
      panel(t('top_sites'), topList((o.top_sites || []).map((r) => ({ label: shortSite(r.site), title: r.site, value: r.events })))),
      panel(`${t('open_incidents')} · ${o.incidents ? o.incidents.open : '–'}`, o.incidents
        ? incidentSummary(o.incidents) : h('p', { class: 'muted' }, t('not_available'))),
      daemonPanel(o.daemon));
    applyMeters(root);
    tickClocks(root);
  };
  await refresh();
  const timer = setInterval(refresh, 10000);
  onLeave(() => clearInterval(timer));
  startClocks(root);
}

/* Open incidents by severity, then the clocks that run out first. */
function incidentSummary(inc) {
  const by = inc.by_severity || {};
  return h('div', {},
    h('div', { class: 'sevrow' }, ['critical', 'high', 'medium', 'low', 'info'].map((s) =>
      h('a', { class: 'sevbox sev-' + s, href: '#/incidents' }, h('b', {}, String(by[s] || 0)), h('span', {}, t(s))))),
    (inc.due || []).length ? h('ol', { class: 'due', id: 'ov-due' }, inc.due.map((d) =>
      h('li', { class: d.overdue ? 'late' : '' }, sevBadge(sevNum(d.severity)),
        h('a', { href: '#/incidents/' + d.id }, `#${d.id} ${d.title}`), h('span', { class: 'muted' }, stName(d.state)),
        slaClock(d.due_at)))) : null);
}

/* Is watch running (its heartbeat), what it reads and how fast, which web roots
 * it guards. */
function daemonPanel(d) {
  if (!d) return panel(t('daemon'), h('p', { class: 'muted' }, t('not_available')));
  const head = d.running ? t('watch_running', { t: fmtTime(d.started_at) })
    : d.beat_at ? t('watch_stopped', { t: fmtTime(d.beat_at) }) : t('watch_never');
  const rate = (x) => x ? `${x.lines} ${t('lines')} · ${(x.lines_per_s || 0).toFixed(1)} ${t('lines_s')}` : '';
  const drops = (x) => x ? (x.udp_kernel_drops || 0) + (x.conns_dropped || 0) + (x.truncated || 0) : 0;
  return panel(t('daemon'),
    h('p', { id: 'daemon-state' }, h('span', { class: 'state ' + (d.running ? 'on' : 'off') }, d.running ? '●' : '○'), ' ', head,
      d.running && d.pid ? h('span', { class: 'muted' }, ` (${t('pid')} ${d.pid})`) : ''),
    (d.sources || []).length ? table(['name', 'path'], d.sources.map((s) =>
      h('tr', {}, h('td', {}, s.name || ''), h('td', { class: 'mono' }, s.path || '')))) : null,
    d.files ? h('p', {}, h('b', {}, t('files') + ': '), rate(d.files), ` · ${d.files.truncated || 0} ${t('drops')}`) : null,
    d.syslog ? h('p', {}, h('b', {}, t('syslog') + ': '), rate(d.syslog), ` · ${drops(d.syslog)} ${t('drops')}`) : null,
    h('h2', {}, t('protection')),
    (d.webroots || []).length ? table(['name', 'path', 'policy', 'state'], d.webroots.map((w) =>
      h('tr', {}, h('td', {}, w.name), h('td', { class: 'mono' }, w.path), h('td', {}, w.policy),
        h('td', {}, h('span', { class: 'state ' + (w.guarded ? 'on' : 'off') }, t(w.guarded ? 'guarded' : 'unguarded'))))),
    { id: 'webroots' }) : h('p', { class: 'muted' }, t('none')));
}

/* ---- alerts: live feed and list ---- */
const LIVE_ROWS = 200;

function alertRow(a) {
  return h('tr', { 'data-id': a.id },
    h('td', {}, fmtTime(a.created_at)),
    h('td', {}, sevBadge(a.severity)),
    h('td', {}, h('a', { href: '#/alerts/' + a.id }, a.title || a.rule)),
    h('td', { class: 'mono' }, a.source_ip || ''),
    h('td', { title: a.site || '' }, shortSite(a.site)),
    h('td', { class: 'num' }, String(a.count)));
}

function alertTable(rows) {
  return h('table', { class: 'alerts' },
    h('thead', {}, h('tr', {}, h('th', {}, t('time')), h('th', {}, t('severity')), h('th', {}, t('title')),
      h('th', {}, t('source')), h('th', {}, t('site')), h('th', {}, t('count')))),
    h('tbody', {}, rows));
}

async function pageLive() {
  const state = h('span', { class: 'state off', id: 'feed-state' }, t('reconnecting'));
  const note = h('p', { class: 'muted' });
  const sevSel = h('select', { id: 'sev' }, h('option', { value: 0 }, t('any')),
    [1, 2, 3, 4].map((n) => h('option', { value: n }, t(sevName(n)))));
  const tbody = h('tbody', {});
  const more = h('button', { class: 'secondary' }, t('more'));
  let minSev = 0, oldest = 0;
  main().replaceChildren(h('h1', {}, t('live'), ' ', state),
    h('div', { class: 'toolbar' }, h('label', {}, t('min_severity'), ' ', sevSel)), note,
    h('table', { class: 'alerts', id: 'live-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('time')), h('th', {}, t('severity')), h('th', {}, t('title')),
        h('th', {}, t('source')), h('th', {}, t('site')), h('th', {}, t('count')))), tbody), more);

  const load = async () => {
    const r = await api('GET', `/api/alerts?limit=100&severity=${minSev}`);
    tbody.replaceChildren(...r.alerts.map(alertRow));
    oldest = r.next_before || 0;
    more.hidden = !oldest;
    return r.alerts.length ? r.alerts[0].id : 0;
  };
  more.addEventListener('click', async () => {
    const r = await api('GET', `/api/alerts?limit=100&severity=${minSev}&before=${oldest}`);
    for (const a of r.alerts) tbody.appendChild(alertRow(a));
    oldest = r.next_before || 0;
    more.hidden = !oldest;
  });
  let newest;
  try { newest = await load(); } catch (e) { pageError(e); return; }
  const feed = new LiveFeed((a) => {
    if (a.severity < minSev) return;
    const row = alertRow(a);
    row.classList.add('new');
    tbody.insertBefore(row, tbody.firstChild);
    while (tbody.children.length > LIVE_ROWS) tbody.lastChild.remove();
  }, (up) => {
    state.textContent = up ? t('connected') : t('reconnecting');
    state.className = 'state ' + (up ? 'on' : 'off');
  }, async () => { note.textContent = t('feed_gap'); await load(); });
  feed.start(newest);
  sevSel.addEventListener('change', async () => { minSev = Number(sevSel.value); await load(); });
  onLeave(() => feed.stop());
}

async function pageAlert(id) {
  let a;
  try { a = await api('GET', '/api/alerts/' + id); } catch (e) { pageError(e); return; }
  const dl = h('dl', { class: 'kv' });
  const add = (k, v, cls) => { if (v !== null && v !== undefined && v !== '') dl.append(h('dt', {}, t(k)), h('dd', { class: cls || '' }, v)); };
  add('severity', sevBadge(a.severity));
  add('rule', a.rule, 'mono');
  add('category', a.category);
  add('mitre', a.mitre);
  add('source', a.source_ip, 'mono');
  add('site', a.site);
  add('count', String(a.count));
  add('first_seen', fmtTime(a.first_seen));
  add('last_seen', fmtTime(a.last_seen));
  add('field', a.field, 'mono');
  add('matched', a.matched, 'mono');
  main().replaceChildren(
    h('p', {}, h('a', { href: '#/live' }, '← ' + t('back'))),
    h('h1', {}, a.title || a.rule), dl,
    h('h2', {}, t('evidence')),
    h('pre', { class: 'evidence' }, (a.events && a.events.length ? a.events.map((e) => `${fmtTime(e.ts)}  ${e.raw}`) : [a.evidence || '']).join('\n')));
}

/* ---- audit ---- */
async function pageAudit() {
  const tbody = h('tbody', {});
  const more = h('button', { class: 'secondary' }, t('more'));
  let before = 0;
  const load = async () => {
    const r = await api('GET', '/api/audit?limit=100' + (before ? '&before=' + before : ''));
    for (const e of r.audit) tbody.appendChild(h('tr', {}, h('td', {}, fmtTime(e.at)), h('td', {}, e.actor),
      h('td', { class: 'mono' }, e.action), h('td', { class: 'mono' }, e.detail || '')));
    before = r.audit.length === 100 ? r.audit[r.audit.length - 1].id : 0;
    more.hidden = !before;
  };
  main().replaceChildren(h('h1', {}, t('audit')), h('table', {}, h('thead', {}, h('tr', {},
    h('th', {}, t('time')), h('th', {}, t('actor')), h('th', {}, t('action')), h('th', {}, t('detail')))), tbody), more);
  more.addEventListener('click', load);
  try { await load(); } catch (e) { pageError(e); }
}

/* ---- shell ---- */
const PAGES = [
  { path: 'overview', key: 'overview', fn: pageOverview },
  { path: 'live', key: 'live', fn: pageLive },
  { path: 'incidents', key: 'incidents', fn: pageIncidents },
  { path: 'notices', key: 'notices', fn: pageNotices },
  { path: 'duty', key: 'duty', fn: pageDuty },
  { path: 'audit', key: 'audit', fn: pageAudit, role: 2 },
];
const ROLE_RANK = { viewer: 1, analyst: 2, admin: 3 };

function nav() {
  const rank = ROLE_RANK[V.session.role] || 0;
  const langBtn = h('button', { class: 'link', id: 'lang', title: 'Language / 语言' }, V.lang === 'zh' ? 'English' : '中文');
  langBtn.addEventListener('click', () => { setLang(V.lang === 'zh' ? 'en' : 'zh'); shell(); route(); });
  const out = h('button', { class: 'link', id: 'logout' }, t('logout'));
  out.addEventListener('click', async () => { try { await api('DELETE', '/api/session'); } catch (e) { /* gone anyway */ } V.session = null; start(); });
  return h('header', { class: 'top' },
    h('a', { class: 'brand', href: '#/overview' }, t('brand')),
    h('nav', {}, PAGES.filter((p) => !p.role || rank >= p.role).map((p) =>
      h('a', { href: '#/' + p.path, 'data-page': p.path }, t(p.key))),
    h('a', { href: '/wall', target: '_blank', rel: 'noopener' }, t('wall'))),
    h('span', { class: 'who' }, `${V.session.user} (${V.session.role})`), langBtn, out);
}

function shell() {
  document.body.replaceChildren(nav(), h('main', { id: 'main' }));
}

async function route() {
  for (const fn of cleanup) fn();
  cleanup = [];
  const hash = location.hash.replace(/^#\/?/, '') || 'overview';
  const parts = hash.split('/');
  for (const a of document.querySelectorAll('header nav a[data-page]'))
    a.classList.toggle('active', a.dataset.page === parts[0]);
  if (parts[0] === 'alerts' && /^[0-9]+$/.test(parts[1] || '')) return pageAlert(parts[1]);
  if (parts[0] === 'incidents' && /^[0-9]+$/.test(parts[1] || '')) return pageIncident(parts[1]);
  if (parts[0] === 'notices' && /^[0-9]+$/.test(parts[1] || '')) return pageNotice(parts[1]);
  const page = PAGES.find((p) => p.path === parts[0]) || PAGES[0];
  return page.fn();
}

async function start() {
  for (const fn of cleanup) fn();
  cleanup = [];
  if (!(await loadSession())) {
    const box = h('main', { id: 'main', class: 'center' });
    document.body.replaceChildren(box);
    await loginForm(box);
  }
  shell();
  route();
}

window.addEventListener('hashchange', () => { if (V.session) route(); });
start();
