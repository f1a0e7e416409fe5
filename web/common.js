/* Shared by the console (app.js) and the wall screen (wall.js): the API client
 * with the CSRF header, DOM building without innerHTML (nothing from the server is
 * ever parsed as HTML), Chinese/English text, the login form and SVG charts. */
'use strict';

const I18N = {
  en: {
    brand: 'vigil', overview: 'Overview', live: 'Live alerts', alerts: 'Alerts',
    incidents: 'Incidents', notices: 'Notices', duty: 'Duty roster', audit: 'Audit log',
    wall: 'Wall screen', logout: 'Log out', login: 'Log in', user: 'User', password: 'Password',
    login_failed: 'Wrong user name or password', rate_limited: 'Too many failed logins; wait a few minutes',
    alerts_per_minute: 'Alerts per minute', last_minutes: 'last {n} minutes',
    top_sources: 'Top attacking sources', top_sites: 'Most targeted sites',
    by_severity: 'Alerts by severity', protection: 'Web-root protection', ingest: 'Ingest health',
    open_incidents: 'Open incidents', none: 'none', not_available: 'not available',
    time: 'Time', severity: 'Severity', rule: 'Rule', title: 'Title', source: 'Source',
    site: 'Site', count: 'Events', first_seen: 'First seen', last_seen: 'Last seen',
    evidence: 'Evidence', matched: 'Matched', field: 'Field', mitre: 'ATT&CK', category: 'Category',
    actor: 'Actor', action: 'Action', detail: 'Detail', more: 'Older', back: 'Back',
    connected: 'live', reconnecting: 'reconnecting…', alerts_total: 'alerts',
    events_total: 'events', no_alerts: 'No alerts in this window', policy: 'Policy', path: 'Path',
    name: 'Name', feed_gap: 'Some alerts were skipped; list reloaded',
    critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'info',
    min_severity: 'Minimum severity', any: 'any', filter_source: 'Source IP',
    forbidden: 'Your role may not do this', error: 'Error', situation: 'Situation',
    latest_alerts: 'Latest alerts', updated: 'updated', clock: 'Time', overdue: 'overdue',
  },
  zh: {
    brand: 'vigil 重保', overview: '态势总览', live: '实时告警', alerts: '告警',
    incidents: '事件', notices: '通报', duty: '值班表', audit: '审计日志',
    wall: '大屏', logout: '退出', login: '登录', user: '用户名', password: '密码',
    login_failed: '用户名或密码错误', rate_limited: '失败次数过多，请稍后再试',
    alerts_per_minute: '每分钟告警', last_minutes: '最近 {n} 分钟',
    top_sources: '攻击来源 Top', top_sites: '被攻击站点 Top',
    by_severity: '告警级别分布', protection: '网页防篡改状态', ingest: '采集健康',
    open_incidents: '未关闭事件', none: '无', not_available: '暂无数据',
    time: '时间', severity: '级别', rule: '规则', title: '名称', source: '来源',
    site: '站点', count: '事件数', first_seen: '首次发现', last_seen: '最近发现',
    evidence: '证据', matched: '命中内容', field: '字段', mitre: 'ATT&CK', category: '类别',
    actor: '操作人', action: '动作', detail: '详情', more: '更早', back: '返回',
    connected: '实时', reconnecting: '重连中…', alerts_total: '条告警',
    events_total: '次事件', no_alerts: '该时段无告警', policy: '策略', path: '路径',
    name: '名称', feed_gap: '部分告警已跳过，列表已刷新',
    critical: '严重', high: '高危', medium: '中危', low: '低危', info: '信息',
    min_severity: '最低级别', any: '全部', filter_source: '来源 IP',
    forbidden: '当前角色无权执行此操作', error: '错误', situation: '安全态势',
    latest_alerts: '最新告警', updated: '更新于', clock: '时间', overdue: '已超时',
  },
};

function initialLang() {
  const s = localStorage.getItem('vigil.lang');
  if (s === 'zh' || s === 'en') return s;
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

const V = { lang: initialLang(), session: null };
document.documentElement.lang = V.lang === 'zh' ? 'zh-CN' : 'en';

function t(key, vars) {
  let s = (I18N[V.lang] && I18N[V.lang][key]) || I18N.en[key] || key;
  if (vars) for (const k of Object.keys(vars)) s = s.replace('{' + k + '}', String(vars[k]));
  return s;
}

function setLang(lang) {
  V.lang = lang === 'zh' ? 'zh' : 'en';
  localStorage.setItem('vigil.lang', V.lang);
  document.documentElement.lang = V.lang === 'zh' ? 'zh-CN' : 'en';
}

/* h('div', {class: 'x', onclick: fn}, child, 'text', ...): children are nodes or
 * text; text is always a text node. */
function h(tag, attrs, ...kids) {
  const svg = ['svg', 'rect', 'line', 'text', 'g', 'path', 'title', 'polyline'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag)
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of kids.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return el;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || ('HTTP ' + status));
    this.status = status;
    this.code = body && body.error;
  }
}

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && V.session) opts.headers['X-CSRF-Token'] = V.session.csrf;
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

async function loadSession() {
  try { V.session = await api('GET', '/api/session'); } catch (e) { V.session = null; }
  return V.session;
}

/* Shows the login form in root; resolves once logged in. */
function loginForm(root) {
  return new Promise((resolve) => {
    const msg = h('p', { class: 'error', role: 'alert' });
    const user = h('input', { name: 'user', autocomplete: 'username', required: true, maxlength: 64 });
    const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 1024 });
    const form = h('form', { class: 'login', id: 'login' },
      h('h1', {}, t('brand')),
      h('label', {}, t('user'), user),
      h('label', {}, t('password'), pass),
      h('button', { type: 'submit' }, t('login')), msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      msg.textContent = '';
      try {
        V.session = await api('POST', '/api/session', { user: user.value, password: pass.value });
        pass.value = '';
        resolve(V.session);
      } catch (e) {
        msg.textContent = e.status === 429 ? t('rate_limited') : t('login_failed');
      }
    });
    root.replaceChildren(form);
    user.focus();
  });
}

function sevName(n) { return ['info', 'low', 'medium', 'high', 'critical'][n] || 'info'; }

function sevBadge(n) {
  const s = sevName(n);
  return h('span', { class: 'sev sev-' + s }, t(s));
}

function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function fmtClock(d) {
  const p = (x) => String(x).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/* Bar chart of per-minute counts as SVG: points [{t (s), n}], minutes wide,
 * ending at now (s). Missing minutes are zero. */
function minuteChart(points, minutes, now, opts) {
  const o = Object.assign({ w: 720, h: 180, pad: 28 }, opts || {});
  o.w = Math.max(200, Math.round(o.w)); o.h = Math.max(80, Math.round(o.h));
  const end = Math.floor(now / 60) * 60;
  const counts = new Map(points.map((p) => [p.t, p.n]));
  const vals = [];
  for (let i = minutes - 1; i >= 0; i--) vals.push(counts.get(end - i * 60) || 0);
  const max = Math.max(1, ...vals);
  const bw = (o.w - o.pad) / minutes;
  const svg = h('svg', { viewBox: `0 0 ${o.w} ${o.h}`, class: 'chart', role: 'img',
    width: o.exact ? o.w : null, height: o.exact ? o.h : null,
    'aria-label': t('alerts_per_minute') });
  const ih = o.h - 20;
  svg.appendChild(h('line', { x1: o.pad, y1: ih, x2: o.w, y2: ih, class: 'axis' }));
  svg.appendChild(h('text', { x: 0, y: 14, class: 'tick' }, String(max)));
  svg.appendChild(h('text', { x: 0, y: ih, class: 'tick' }, '0'));
  vals.forEach((v, i) => {
    const bh = Math.round((v / max) * (ih - 8));
    const r = h('rect', { x: (o.pad + i * bw + 1).toFixed(1), y: ih - bh, width: Math.max(1, bw - 2).toFixed(1),
      height: bh, class: v ? 'bar' : 'bar zero' });
    r.appendChild(h('title', {}, `${fmtClock(new Date((end - (minutes - 1 - i) * 60) * 1000)).slice(0, 5)}  ${v}`));
    svg.appendChild(r);
  });
  const label = (i) => fmtClock(new Date((end - (minutes - 1 - i) * 60) * 1000)).slice(0, 5);
  svg.appendChild(h('text', { x: o.pad, y: o.h - 4, class: 'tick' }, label(0)));
  svg.appendChild(h('text', { x: o.w, y: o.h - 4, class: 'tick end' }, label(minutes - 1)));
  return svg;
}

/* A site is stored as its log source (often a path): show the last component. */
function shortSite(s) {
  if (!s) return '';
  const parts = String(s).split('/').filter(Boolean);
  return parts.length ? parts[parts.length - 1] : String(s);
}

/* Horizontal bars for a top-N list: rows [{label, value, title}]. */
function topList(rows) {
  if (!rows.length) return h('p', { class: 'muted' }, t('none'));
  const max = Math.max(1, ...rows.map((r) => r.value));
  return h('ol', { class: 'top' }, rows.map((r) =>
    h('li', {},
      h('span', { class: 'label', title: r.title || r.label }, r.label),
      h('span', { class: 'meter' }, h('span', { class: 'fill', 'data-w': Math.round((r.value / max) * 100) })),
      h('span', { class: 'num' }, String(r.value)))));
}

/* Width of meters is set through CSSOM, which the CSP allows (no inline style). */
function applyMeters(root) {
  for (const el of root.querySelectorAll('.fill[data-w]')) el.style.width = el.dataset.w + '%';
}

/* A live alert feed that survives days: reconnects on error with back-off, and
 * reopens when no event (the server pings every 15 s) arrived for 45 s. */
class LiveFeed {
  constructor(onAlert, onState, onGap) {
    this.onAlert = onAlert; this.onState = onState; this.onGap = onGap;
    this.after = 0; this.es = null; this.lastEvent = 0; this.backoff = 1000;
    this.timer = setInterval(() => this.watchdog(), 5000);
  }
  start(after) {
    if (after > this.after) this.after = after;
    this.open();
  }
  open() {
    if (this.es) this.es.close();
    this.lastEvent = Date.now();
    const es = new EventSource('/api/stream?after=' + this.after);
    this.es = es;
    es.addEventListener('open', () => { this.backoff = 1000; this.onState(true); });
    es.addEventListener('alert', (ev) => {
      this.lastEvent = Date.now();
      let a;
      try { a = JSON.parse(ev.data); } catch (e) { return; }
      if (a.id > this.after) this.after = a.id;
      this.onAlert(a);
    });
    es.addEventListener('ping', () => { this.lastEvent = Date.now(); });
    es.addEventListener('gap', () => { this.lastEvent = Date.now(); if (this.onGap) this.onGap(); });
    es.addEventListener('error', () => {
      this.onState(false);
      if (es.readyState === EventSource.CLOSED) this.retry();
    });
  }
  retry() {
    if (this.es) { this.es.close(); this.es = null; }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, 30000);
  }
  watchdog() {
    if (this.es && Date.now() - this.lastEvent > 45000) { this.onState(false); this.retry(); }
  }
  stop() {
    clearInterval(this.timer); clearTimeout(this.retryTimer);
    if (this.es) this.es.close();
    this.es = null;
  }
}
