/* The duty room's wall screen: one full-screen situation view, readable across the
 * room. It runs for days, so every part is redrawn in place from a fixed set of
 * nodes (the latest-alerts list is capped), the live feed reconnects by itself,
 * the overview is refetched every 10 s, and the page reloads itself once a day as
 * a last guard against anything the browser keeps. */
'use strict';

const WALL_LATEST = 6;
const WALL_REFRESH_MS = 10000;
const WALL_RELOAD_MS = 24 * 3600 * 1000;

function wallLayout() {
  const el = {
    clock: h('div', { class: 'clock', id: 'clock' }),
    state: h('span', { class: 'state off', id: 'feed-state' }, t('reconnecting')),
    total: h('div', { class: 'kpi-num', id: 'kpi-total' }, '–'),
    crit: h('div', { class: 'kpi-num sev-critical', id: 'kpi-critical' }, '–'),
    high: h('div', { class: 'kpi-num sev-high', id: 'kpi-high' }, '–'),
    inc: h('div', { class: 'kpi-num', id: 'kpi-incidents' }, '–'),
    incLabel: h('div', { class: 'kpi-label' }, t('open_incidents')),
    chart: h('div', { class: 'wall-chart' }),
    sources: h('div', {}),
    sites: h('div', {}),
    latest: h('ol', { class: 'latest', id: 'latest' }),
    updated: h('span', { class: 'muted' }),
  };
  const lang = h('button', { class: 'link', id: 'lang' }, V.lang === 'zh' ? 'English' : '中文');
  lang.addEventListener('click', () => { setLang(V.lang === 'zh' ? 'en' : 'zh'); location.reload(); });
  document.body.replaceChildren(
    h('header', { class: 'wall-head' }, h('div', { class: 'wall-title' }, t('brand'), ' · ', t('situation')),
      el.state, el.updated, lang, el.clock),
    h('section', { class: 'kpis' },
      h('div', { class: 'kpi' }, el.total, h('div', { class: 'kpi-label' }, `${t('alerts')} · ${t('last_minutes', { n: 60 })}`)),
      h('div', { class: 'kpi' }, el.crit, h('div', { class: 'kpi-label' }, t('critical'))),
      h('div', { class: 'kpi' }, el.high, h('div', { class: 'kpi-label' }, t('high'))),
      h('div', { class: 'kpi' }, el.inc, el.incLabel)),
    h('section', { class: 'wall-main' },
      h('div', { class: 'wall-panel wide chart-panel' }, h('h2', {}, t('alerts_per_minute')), el.chart),
      h('div', { class: 'wall-panel' }, h('h2', {}, t('top_sources')), el.sources),
      h('div', { class: 'wall-panel' }, h('h2', {}, t('top_sites')), el.sites),
      h('div', { class: 'wall-panel wide latest-panel' }, h('h2', {}, t('latest_alerts')), el.latest)));
  return el;
}

function latestItem(a) {
  return h('li', { class: 'sevline-' + sevName(a.severity) },
    h('span', { class: 'when' }, fmtClock(new Date(a.created_at))), sevBadge(a.severity),
    h('span', { class: 'what' }, a.title || a.rule),
    h('span', { class: 'who mono' }, a.source_ip || ''),
    h('span', { class: 'where', title: a.site || '' }, shortSite(a.site)));
}

async function wall() {
  if (!(await loadSession())) {
    const box = h('main', { id: 'main', class: 'center' });
    document.body.replaceChildren(box);
    await loginForm(box);
  }
  const el = wallLayout();
  const tick = () => { el.clock.textContent = fmtClock(new Date()); };
  tick();
  setInterval(tick, 1000);

  /* Drawn at the panel's own size so the text in it stays at its real size, and
   * again whenever that size changes (the layout settling, a resized window). */
  let last = null;
  const drawChart = () => {
    if (!last || el.chart.clientHeight < 20) return;
    el.chart.replaceChildren(minuteChart(last.per_minute || [], last.minutes, last.now,
      { w: el.chart.clientWidth, h: el.chart.clientHeight - 4, pad: 40, exact: true }));
  };
  new ResizeObserver(drawChart).observe(el.chart);

  const refresh = async () => {
    let o;
    try { o = await api('GET', '/api/overview?minutes=60'); } catch (e) {
      if (e.status === 401) location.reload();
      return;
    }
    const sev = o.by_severity || {};
    el.total.textContent = String(Object.values(sev).reduce((a, b) => a + b, 0));
    el.crit.textContent = String(sev.critical || 0);
    el.high.textContent = String(sev.high || 0);
    el.inc.textContent = o.incidents ? String(o.incidents.open || 0) : '–';
    el.incLabel.textContent = t('open_incidents') + (o.incidents && o.incidents.overdue ? ` · ${o.incidents.overdue} ${t('overdue')}` : '');
    el.inc.classList.toggle('sev-critical', !!(o.incidents && o.incidents.overdue));
    last = o;
    drawChart();
    el.sources.replaceChildren(topList((o.top_sources || []).slice(0, 5).map((r) => ({ label: r.ip, value: r.events }))));
    el.sites.replaceChildren(topList((o.top_sites || []).slice(0, 5).map((r) => ({ label: shortSite(r.site), title: r.site, value: r.events }))));
    applyMeters(el.sources); applyMeters(el.sites);
    el.updated.textContent = `${t('updated')} ${fmtClock(new Date())}`;
  };

  let first = 0;
  try {
    const r = await api('GET', `/api/alerts?limit=${WALL_LATEST}`);
    el.latest.replaceChildren(...r.alerts.map(latestItem));
    first = r.alerts.length ? r.alerts[0].id : 0;
  } catch (e) { /* the feed fills it */ }
  const feed = new LiveFeed((a) => {
    el.latest.insertBefore(latestItem(a), el.latest.firstChild);
    while (el.latest.children.length > WALL_LATEST) el.latest.lastChild.remove();
  }, (up) => {
    el.state.textContent = up ? t('connected') : t('reconnecting');
    el.state.className = 'state ' + (up ? 'on' : 'off');
  }, null);
  feed.start(first);
  await refresh();
  setInterval(refresh, WALL_REFRESH_MS);
  setTimeout(() => location.reload(), WALL_RELOAD_MS);
}

wall();
