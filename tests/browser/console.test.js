// Browser tests of the vigil web console: headless Debian Chromium driven by
// playwright-core. Prints TAP. tests/integration/60_console.sh starts `vigil serve`
// and passes: BASE (URL), VIGIL (binary), CONFIG (vigil.yaml), ATTACK_LOG (lines that
// raise alerts), ADMIN_PW, VIEWER_PW, SHOTS (screenshot directory).
'use strict';
const { chromium } = require('playwright-core');
const { execFileSync } = require('child_process');

const env = (k) => { if (!process.env[k]) throw new Error(`${k} not set`); return process.env[k]; };
const BASE = env('BASE');
const DEADLINE = 60000;	// every wait polls a condition for up to 60 s
let n = 0, failed = 0;

function ok(cond, name, extra) {
  n++;
  if (cond) console.log(`ok ${n} - ${name}`);
  else { failed++; console.log(`not ok ${n} - ${name}${extra ? ' (' + extra + ')' : ''}`); }
}

async function step(name, fn) {
  try { await fn(); } catch (e) { ok(false, name, String(e.message || e).split('\n')[0]); }
}

function addAlerts() {
  execFileSync(env('VIGIL'), ['--config', env('CONFIG'), '-q', 'scan-log', '--store', env('STORE'), env('ATTACK_LOG')],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120000 }).toString();
}

function addAlertsAllowFound() {
  try { addAlerts(); } catch (e) { if (e.status !== 1) throw e; }	// exit 1 = alerts found
}

function syncIncidents() {
  execFileSync(env('VIGIL'), ['--config', env('CONFIG'), '-q', 'incident', 'sync'],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120000 });
}

async function submit(page, form) {
  await page.click(`${form} button[type=submit]`);
}

async function login(page, user, pw) {
  await page.goto(BASE);
  await page.fill('#login input[name=user]', user);
  await page.fill('#login input[name=password]', pw);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('header.top', { timeout: DEADLINE });
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  const page = await ctx.newPage();
  const consoleErrors = [];
  // 401/403 answers are expected (logged-out checks, refusals); the browser logs them.
  const expected = /Failed to load resource: the server responded with a status of 40[13]/;
  page.on('console', (m) => { if (m.type() === 'error' && !expected.test(m.text())) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await step('a wrong password is refused on the login form', async () => {
    await page.goto(BASE);
    await page.fill('#login input[name=user]', 'admin');
    await page.fill('#login input[name=password]', 'not-the-password');
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#login .error').textContent.length > 0, null, { timeout: DEADLINE });
    ok(true, 'a wrong password is refused on the login form');
  });

  await step('admin logs in and sees the overview', async () => {
    await login(page, 'admin', env('ADMIN_PW'));
    await page.waitForSelector('.panel svg.chart', { timeout: DEADLINE });
    ok(await page.isVisible('text=Alerts per minute'), 'admin logs in and sees the overview');
  });

  await step('a live alert appears in the feed without reloading', async () => {
    await page.goto(BASE + '/#/live');
    await page.waitForSelector('#feed-state.on', { timeout: DEADLINE });
    const before = await page.locator('#live-table tbody tr').count();
    addAlertsAllowFound();
    await page.waitForFunction((b) => document.querySelectorAll('#live-table tbody tr.new').length > 0 &&
      document.querySelectorAll('#live-table tbody tr').length > b, before, { timeout: DEADLINE });
    ok(true, 'a live alert appears in the feed without reloading');
  });

  await step('an alert opens with its evidence', async () => {
    await page.click('#live-table tbody tr:first-child a');
    await page.waitForSelector('pre.evidence', { timeout: DEADLINE });
    const ev = await page.textContent('pre.evidence');
    ok(/GET \//.test(ev), 'an alert opens with its evidence', ev.slice(0, 80));
  });

  await step('a state change without the CSRF token is refused (403)', async () => {
    const r = await page.evaluate(async () => {
      const res = await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin' });
      return { status: res.status, body: await res.json() };
    });
    ok(r.status === 403 && r.body.error === 'csrf', 'a state change without the CSRF token is refused (403)', JSON.stringify(r));
  });

  await step('a state change on an incident without the CSRF token is refused (403)', async () => {
    syncIncidents();
    const r = await page.evaluate(async () => {
      const res = await fetch('/api/incidents/1/ack', { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return { status: res.status, body: await res.json() };
    });
    ok(r.status === 403 && r.body.error === 'csrf', 'a state change on an incident without the CSRF token is refused (403)', JSON.stringify(r));
  });

  await step('an incident walks from new to closed in the browser', async () => {
    await page.goto(BASE + '/#/incidents');
    await page.waitForSelector('#incidents tbody tr .sla', { timeout: DEADLINE });
    await page.click('#incidents tbody tr:first-child td:nth-child(4) a');
    await page.waitForSelector('#step-ack', { timeout: DEADLINE });
    await page.fill('#step-ack textarea[name=comment]', 'looking at it');
    await submit(page, '#step-ack');
    await page.waitForSelector('#step-verify', { timeout: DEADLINE });
    ok(/acknowledged/.test(await page.textContent('#inc-state')), 'acknowledging an incident shows it acknowledged');
    await page.selectOption('#step-verify select[name=verdict]', 'tp');
    await page.fill('#step-verify textarea[name=comment]', 'a real injection attempt');
    await submit(page, '#step-verify');
    await page.waitForSelector('#step-dispose', { timeout: DEADLINE });
    await page.selectOption('#step-dispose select[name=action]', 'block');
    await page.fill('#step-dispose input[name=target]', '203.0.113.7');
    await page.fill('#step-dispose input[name=result]', 'blocked at the edge firewall');
    await submit(page, '#step-dispose');
    await page.waitForSelector('#inc-actions tbody tr', { timeout: DEADLINE });
    await page.fill('#step-feedback textarea[name=feedback]', 'Attack blocked; no data left the site.');
    await submit(page, '#step-feedback');
    await page.waitForSelector('#step-close', { timeout: DEADLINE });
    await page.fill('#step-close textarea[name=comment]', 'done');
    await submit(page, '#step-close');
    await page.waitForFunction(() => /closed/.test(document.querySelector('#inc-state').textContent), null, { timeout: DEADLINE });
    const hist = await page.locator('#inc-history tbody tr').allTextContents();
    ok(hist.length === 6 && hist.slice(1).every((r) => r.includes('admin')) && hist[1].includes('looking at it'),
      'an incident walks from new to closed in the browser, each step with who and the comment', hist.join(' | ').slice(0, 300));
    const ev = await page.textContent('#inc-evidence');
    ok(/GET \//.test(ev), 'the incident shows its evidence lines', ev.slice(0, 80));
    await page.screenshot({ path: `${env('SHOTS')}/incident.png`, fullPage: true });
  });

  await step('a notice is added, re-checked and closed with its feedback text', async () => {
    await page.goto(BASE + '/#/notices');
    await page.waitForSelector('#notice-add', { timeout: DEADLINE });
    await page.selectOption('#notice-add select[name=kind]', 'vulnerability');
    await page.fill('#notice-add input[name=ref]', 'CNVD-2026-4711');
    await page.fill('#notice-add input[name=title]', 'Struts2 remote code execution');
    await page.fill('#notice-add input[name=asset]', 'www.example.gov.cn');
    await page.selectOption('#notice-add select[name=severity]', 'high');
    await page.fill('#notice-add input[name=deadline]', '+4h');
    await page.fill('#notice-add input[name=issuer]', 'CNCERT');
    await page.fill('#notice-add textarea[name=required_feedback]', 'version after the fix');
    await submit(page, '#notice-add');
    await page.waitForSelector('#notice-close', { timeout: DEADLINE });
    await page.selectOption('#notice-close select[name=verdict]', 'fixed');
    await page.fill('#notice-close textarea[name=note]', 'upgraded to 2.5.33');
    await submit(page, '#notice-close');
    await page.waitForSelector('#notice-feedback', { timeout: DEADLINE });
    const fb = await page.textContent('#notice-feedback');
    ok(/CNVD-2026-4711/.test(fb) && /upgraded to 2\.5\.33/.test(fb) && /closed/.test(await page.textContent('#notice-state')),
      'a notice is added, re-checked and closed with its feedback text', fb.slice(0, 120));
  });

  await step('notices are imported from a CSV list', async () => {
    await page.goto(BASE + '/#/notices');
    await page.waitForSelector('#notice-import', { timeout: DEADLINE });
    await page.fill('#notice-import textarea[name=text]',
      'kind,ref,title,asset,severity\nasset,A-1,Exposed admin panel,10.0.0.8,medium\nasset,A-2,Open Redis,10.0.0.9,high\n');
    await submit(page, '#notice-import');
    await page.waitForFunction(() => /2/.test(document.querySelector('#import-result').textContent), null, { timeout: DEADLINE });
    await page.waitForFunction(() => document.querySelectorAll('#notices tbody tr').length >= 2, null, { timeout: DEADLINE });
    ok(true, 'notices are imported from a CSV list');
    await page.screenshot({ path: `${env('SHOTS')}/notices.png`, fullPage: true });
  });

  await step('the duty roster records a shift and a handover note', async () => {
    await page.goto(BASE + '/#/duty');
    await page.waitForSelector('#duty-shift', { timeout: DEADLINE });
    await page.fill('#duty-shift input[name=person]', 'alice');
    await page.fill('#duty-shift input[name=contact]', 'alice@example.gov.cn');
    await page.fill('#duty-shift input[name=from]', '2026-01-01 00:00');
    await page.fill('#duty-shift input[name=to]', '2026-01-02 00:00');	// 24 h: on duty at any hour
    await page.check('#duty-shift input[name=daily]');
    await submit(page, '#duty-shift');
    await page.waitForSelector('#on-duty li', { timeout: DEADLINE });
    await page.fill('#duty-handover input[name=to]', 'bob');
    await page.fill('#duty-handover textarea[name=note]', 'incident closed; watch 203.0.113.7');
    await submit(page, '#duty-handover');
    await page.waitForSelector('#handovers li', { timeout: DEADLINE });
    ok(/alice/.test(await page.textContent('#on-duty')) && /203\.0\.113\.7/.test(await page.textContent('#handovers')),
      'the duty roster shows who is on duty and the handover note');
    await page.screenshot({ path: `${env('SHOTS')}/duty.png`, fullPage: true });
  });

  await step('the language switch shows Chinese', async () => {
    await page.goto(BASE + '/#/overview');
    await page.click('#lang');
    await page.waitForSelector('text=每分钟告警', { timeout: DEADLINE });
    ok(true, 'the language switch shows Chinese');
    await page.screenshot({ path: `${env('SHOTS')}/overview-zh.png` });
    await page.click('#lang');
    await page.waitForSelector('text=Alerts per minute', { timeout: DEADLINE });
  });

  await step('overview screenshot', async () => {
    await page.waitForSelector('.panel ol.top li', { timeout: DEADLINE });
    await page.screenshot({ path: `${env('SHOTS')}/overview.png`, fullPage: true });
    ok(true, 'overview screenshot taken');
  });

  await step('the wall screen shows the situation and the live feed', async () => {
    const wall = await ctx.newPage();
    wall.on('pageerror', (e) => consoleErrors.push(String(e)));
    await wall.setViewportSize({ width: 1920, height: 1080 });
    await wall.goto(BASE + '/wall');
    await wall.waitForSelector('#feed-state.on', { timeout: DEADLINE });
    await wall.waitForFunction(() => /^[0-9]+$/.test(document.querySelector('#kpi-total').textContent), null, { timeout: DEADLINE });
    const latest = await wall.locator('#latest li').count();
    ok(latest > 0, 'the wall screen shows the latest alerts', `items=${latest}`);
    await wall.screenshot({ path: `${env('SHOTS')}/wall.png` });
    await wall.close();
  });

  await step('admin logs out', async () => {
    await page.goto(BASE + '/#/overview');
    await page.click('#logout');
    await page.waitForSelector('#login', { timeout: DEADLINE });
    const r = await page.evaluate(async () => (await fetch('/api/overview')).status);
    ok(r === 401, 'after logout the API answers 401', `status=${r}`);
  });

  await step('a viewer is refused what needs a higher role (403)', async () => {
    await login(page, 'viewer', env('VIEWER_PW'));
    const navAudit = await page.locator('header nav a[data-page=audit]').count();
    const r = await page.evaluate(async () => (await fetch('/api/audit')).status);
    ok(navAudit === 0 && r === 403, 'a viewer is refused what needs a higher role (403)', `nav=${navAudit} status=${r}`);
  });

  await step('a viewer sees incidents but may not act on them (403)', async () => {
    await page.goto(BASE + '/#/incidents/1');
    await page.waitForSelector('#inc-history', { timeout: DEADLINE });
    const forms = await page.locator('form.act').count();
    const r = await page.evaluate(async () => {
      const post = async (path, body) => (await fetch(path, { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': V.session.csrf }, body: JSON.stringify(body) })).status;
      return [await post('/api/incidents/2/ack', {}), await post('/api/notices', { kind: 'asset', ref: 'v', title: 't', asset: 'a' })];
    });
    ok(forms === 0 && r[0] === 403 && r[1] === 403, 'a viewer sees incidents but may not act on them (403)', `forms=${forms} status=${r}`);
  });

  ok(consoleErrors.length === 0, 'no JavaScript errors on any page', consoleErrors.slice(0, 3).join(' | '));
  await browser.close();
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`not ok ${n + 1} - browser run failed: ${e.message.split('\n')[0]}`); console.log(`1..${n + 1}`); process.exit(1); });
