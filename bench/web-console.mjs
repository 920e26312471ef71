// The web console's two targets, measured in headless chromium driven over the W3C WebDriver
// protocol (plain HTTP to chromedriver: no npm package needed). Called by bench/web-console.sh,
// which starts the standalone; see there for the arguments.
//
//  1. first load of the dashboard: a fresh browser profile opens /ui/ (page, scripts, OpenPGP.js),
//     the investigator's key is loaded, and the dashboard is drawn; printed as the page's own part
//     (navigation start to the sign-in form) and the dashboard's (key submitted to dashboard drawn:
//     unlocking the key, signing a token, the API's answers, drawing).
//  2. progress latency: while the page follows an action, a command of it is committed as done in
//     PostgreSQL (psql); the time from just before COMMIT (clock_timestamp() inside the transaction)
//     to the moment the page received the pushed progress (window.migProgressLog: performance.timeOrigin
//     + performance.now()), both read from this machine's clock: an upper bound of the delay.
import { spawn, execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const [ui, secring, psqlUrl, runsText] = process.argv.slice(2);
const runs = Number(runsText || 5);
const profiles = process.env.MIG_BENCH_TMP || '/tmp/mig-web-bench-' + process.pid; // web-console.sh removes its folder
const driverPort = 9500 + Math.floor(Math.random() * 400);
const driver = spawn(process.env.MIG_CHROMEDRIVER || 'chromedriver', ['--port=' + driverPort], { stdio: 'ignore' });
const base = `http://127.0.0.1:${driverPort}`;

async function wd(method, path, body) {
  const r = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const j = await r.json();
  if (j.value && j.value.error) throw new Error(path + ': ' + j.value.message);
  return j.value;
}

async function session(profile) {
  const caps = { capabilities: { alwaysMatch: { browserName: 'chrome', 'goog:chromeOptions': {
    binary: process.env.MIG_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--user-data-dir=' + profile] } } } };
  const v = await wd('POST', '/session', caps);
  return v.sessionId;
}

const js = (s, script, args = []) => wd('POST', `/session/${s}/execute/sync`, { script, args });
async function until(s, script, what, ms = 60000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await js(s, script);
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(20);
  }
}
async function el(s, css) {
  const v = await wd('POST', `/session/${s}/element`, { using: 'css selector', value: css });
  return Object.values(v)[0];
}
async function signIn(s) {
  await until(s, "return document.body.dataset.ready === 'signin'", 'the sign-in form');
  await wd('POST', `/session/${s}/element/${await el(s, '#key-file')}/value`, { text: secring });
  await wd('POST', `/session/${s}/element/${await el(s, '#key-load')}/click`, {});
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)} (${xs.length} runs)`;

try {
  for (let i = 0; i < 50; i++) { try { await fetch(base + '/status'); break; } catch { await sleep(100); } }
  const page = [], dash = [], total = [];
  for (let i = 0; i <= runs; i++) {
    const s = await session(`${profiles}/profile-${i}`);
    if (!process.env.MIG_BENCH_COLD_BROWSER) {
      // A visitor's browser is already running: let the one just launched finish its own start-up
      // (on two cores it otherwise competes with the page). The profile is still new and its cache
      // empty, so this is still the page's first load. MIG_BENCH_COLD_BROWSER=1 measures right after
      // the launch instead.
      await wd('POST', `/session/${s}/url`, { url: 'about:blank' });
      await sleep(1500);
    }
    await wd('POST', `/session/${s}/url`, { url: ui });
    await signIn(s);
    await until(s, "return document.body.dataset.ready === 'dashboard'", 'the dashboard');
    const m = await js(s, `const n = (x) => performance.getEntriesByName(x)[0].startTime;
      return [n('mig-view-signin'), n('mig-key-submit'), n('mig-view-dashboard')];`);
    if (process.env.MIG_BENCH_DETAIL && i === runs) { // where the last run's first load went
      const d = await js(s, `const nav = performance.getEntriesByType('navigation')[0];
        const r = (x) => Math.round(x);
        return ['navigation: response end ' + r(nav.responseEnd) + ', DOM interactive ' + r(nav.domInteractive)
          + ', DOMContentLoaded ' + r(nav.domContentLoadedEventEnd) + ', load ' + r(nav.loadEventEnd),
          ...performance.getEntriesByType('resource').map((e) => e.name.replace(/.*\\/ui\\//, '') + ': '
            + r(e.startTime) + ' -> ' + r(e.responseEnd)),
          ...performance.getEntriesByType('mark').map((e) => e.name + ': ' + r(e.startTime))];`);
      console.log(d.join('\n'));
    }
    if (i > 0) { // the first run warms the JVM's code paths, as a second visitor would find them
      page.push(m[0]); dash.push(m[2] - m[1]); total.push(m[0] + (m[2] - m[1]));
    }
    await wd('DELETE', `/session/${s}`);
  }
  console.log(`first load, navigation to sign-in form:      ${fmt(page)}`);
  console.log(`key submitted to dashboard drawn:            ${fmt(dash)}`);
  console.log(`first load of the dashboard (sum, no typing): ${fmt(total)}   target < 300 ms`);

  // progress latency: an action with commands the bench completes itself, followed in the page
  const s = await session(`${profiles}/profile-p`);
  await wd('POST', `/session/${s}/url`, { url: ui });
  await signIn(s);
  await until(s, "return document.body.dataset.ready === 'dashboard'", 'the dashboard');
  // one session, several -c: the clock is read inside the transaction just before COMMIT, so the
  // figure is an upper bound of the delay (it also counts the COMMIT itself)
  const psql = (...sql) => execFileSync('psql', [psqlUrl, '-XAtq', '-v', 'ON_ERROR_STOP=1', ...sql.flatMap((q) => ['-c', q])], { encoding: 'utf8' }).trim();
  const agent = psql("SELECT id FROM agents WHERE status='online' ORDER BY heartbeattime DESC LIMIT 1");
  const n = runs * 2;
  const actionId = psql(`INSERT INTO actions (id, name, target, description, threat, operations, validfrom, expireafter, starttime, finishtime, lastupdatetime, status, pgpsignatures, syntaxversion)
    VALUES ((SELECT COALESCE(MAX(id),0)+1000 FROM actions), 'bench: progress latency', 'status=''online''', '{}', '{}', '[]', now(), now() + interval '1 hour', now(), now() + interval '1 hour', now(), 'inflight', '[]', 2) RETURNING id`);
  const commands = psql(`INSERT INTO commands (id, actionid, agentid, status, results, starttime, finishtime)
    SELECT ${actionId} * 10 + g, ${actionId}, ${agent}, 'sent', '[]', now(), now() FROM generate_series(1, ${n}) g RETURNING id`).split('\n');
  await wd('POST', `/session/${s}/url`, { url: ui.replace(/#.*$/, '') + '#/action/' + actionId });
  await until(s, "return document.body.dataset.ready === 'action' && window.migProgressLog.length > 0", 'the action page');
  const lat = [];
  for (const [i, id] of commands.entries()) {
    await sleep(300);
    const committed = Number(psql('BEGIN', `UPDATE commands SET status='success', finishtime=now() WHERE id=${id}`,
      'SELECT extract(epoch FROM clock_timestamp()) * 1000', 'COMMIT').split('\n').pop());
    const got = await until(s, `const e = window.migProgressLog.find((x) => x.actionid == ${actionId} && x.done === ${i + 1}); return e ? e.wall : null;`, 'the pushed progress');
    lat.push(got - committed);
  }
  console.log(`progress in the page after the result's commit: ${fmt(lat)}   target < 100 ms`);
  psql(`DELETE FROM commands WHERE actionid=${actionId}; DELETE FROM actions WHERE id=${actionId}`);
  await wd('DELETE', `/session/${s}`);
} finally {
  driver.kill();
}
