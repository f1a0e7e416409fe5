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

  ok(consoleErrors.length === 0, 'no JavaScript errors on any page', consoleErrors.slice(0, 3).join(' | '));
  await browser.close();
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`not ok ${n + 1} - browser run failed: ${e.message.split('\n')[0]}`); console.log(`1..${n + 1}`); process.exit(1); });
