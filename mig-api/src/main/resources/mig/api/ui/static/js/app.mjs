// The console's views. Hash routes: #/ dashboard, #/agents, #/agent/<id>, #/actions, #/action/<id>,
// #/launch/<module>, #/investigators. Everything is read from the API's own routes; an action's
// progress is pushed by the server (api.follow). Built with the DOM, no framework.
import * as api from './api.mjs';
import { loadKey, sign, warm, KeyProblem } from './migpgp.mjs';
import { canonicalString } from './gojson.mjs';
import { bars, completion } from './plots.mjs';
import { FORMS, KNOWN } from './modules.mjs';

const main = document.getElementById('main');
let stopFollowing = null;
/** Times (performance.now()) at which progress events reached the page, for bench/web-console. */
window.migProgressLog = [];

// --- small DOM helpers -----------------------------------------------------------------------
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
function status(text) { document.getElementById('status').textContent = text; }
function errorBox(e) { return h('p', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)); }
function when(t) { return t && !t.startsWith('0001-') && !t.startsWith('0009-') && !t.startsWith('9998-') ? t.replace('T', ' ').replace(/\.\d+/, '') : ''; }
function progressBar(c) {
  const sent = (c && c.sent) || 0, done = (c && c.done) || 0;
  const pct = sent ? Math.floor((100 * done) / sent) : 0;
  return h('span', {}, h('span', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct },
    h('span', { style: `width:${pct}%` })), ` ${pct} % (${done}/${sent})`);
}
function table(head, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((x) => h('td', {}, x))))));
}
function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// --- sign in ---------------------------------------------------------------------------------
function showSignin(show) {
  document.getElementById('signin').hidden = !show;
  main.hidden = show;
  if (show) document.getElementById('key-text').focus();
}

async function checkSignedIn() {
  // any authenticated route tells whether the token or API key is accepted
  await api.get('/search', { type: 'action', limit: 1 });
}

async function onKeyForm(ev) {
  ev.preventDefault();
  const err = document.getElementById('signin-error');
  err.textContent = '';
  const file = document.getElementById('key-file').files[0];
  const pass = document.getElementById('passphrase');
  const text = file ? new Uint8Array(await file.arrayBuffer()) : document.getElementById('key-text').value;
  performance.mark('mig-key-submit');
  status('unlocking the key…');
  try {
    const k = await loadKey(text, pass.value);
    api.setAuth({ mode: 'key', key: k.key, fingerprint: k.fingerprint, name: k.userIds[0] || k.fingerprint });
    await checkSignedIn();
  } catch (e) {
    api.setAuth(null);
    err.textContent = e instanceof KeyProblem || e instanceof api.ApiError ? e.message : 'Cannot use this key: ' + e.message;
    status('');
    return;
  } finally {
    pass.value = '';
  }
  document.getElementById('key-text').value = '';
  document.getElementById('key-file').value = '';
  signedIn();
}

async function onApiKeyForm(ev) {
  ev.preventDefault();
  const err = document.getElementById('signin-error');
  err.textContent = '';
  const field = document.getElementById('apikey');
  api.setAuth({ mode: 'apikey', apikey: field.value.trim() });
  try {
    await checkSignedIn();
  } catch (e) {
    api.setAuth(null);
    err.textContent = e.message;
    return;
  } finally {
    field.value = '';
  }
  signedIn();
}

function signedIn() {
  const a = api.currentAuth();
  document.getElementById('who').textContent = a.mode === 'key' ? `signed in: ${a.name} (${a.fingerprint}), key in this page only` : 'API key: read only';
  document.getElementById('signout').hidden = false;
  showSignin(false);
  route();
}

function signOut() {
  api.setAuth(null);
  if (stopFollowing) stopFollowing();
  document.getElementById('who').textContent = 'not signed in';
  document.getElementById('signout').hidden = true;
  main.replaceChildren();
  showSignin(true);
}

// --- views -----------------------------------------------------------------------------------
async function dashboard() {
  const [dash, agentsDoc] = await Promise.all([api.get('/dashboard'), api.get('/search', { type: 'agent', limit: 100000 })]);
  const agents = api.values(agentsDoc, 'agent');
  const count = (s) => agents.filter((a) => a.status === s).length;
  const actions = api.values(dash, 'action');
  const byOs = new Map(), byVersion = new Map();
  for (const a of agents) {
    const os = ((a.environment && (a.environment.ident || a.environment.os)) || 'unknown');
    byOs.set(os, (byOs.get(os) || 0) + 1);
    byVersion.set(a.version || 'unknown', (byVersion.get(a.version || 'unknown') || 0) + 1);
  }
  main.replaceChildren(
    h('h1', {}, 'Dashboard'),
    h('div', { class: 'cards' },
      ['online', 'idle', 'offline'].map((s) => h('div', { class: 'card ' + s, id: 'agents-' + s }, h('div', { class: 'n' }, count(s)), `agents ${s}`))),
    h('div', { class: 'plots' }, bars('Agents per OS', [...byOs]), bars('Agents per version', [...byVersion])),
    h('h2', {}, 'Recent actions'),
    table(['ID', 'Name', 'Target', 'Status', 'Progress'], actions.map((a) => [
      h('a', { href: '#/action/' + a.id }, a.id), a.name, h('span', { class: 'mono' }, a.target), a.status, progressBar(a.counters)])));
}

async function agentsView(params) {
  const target = params.get('target') || "status='online'";
  const input = h('input', { type: 'text', id: 'agent-target', value: target, 'aria-describedby': 'agent-target-error', class: 'mono' });
  const err = h('p', { id: 'agent-target-error', class: 'error', role: 'alert' });
  const results = h('div', { id: 'agent-results' });
  const form = h('form', { onsubmit: (e) => { e.preventDefault(); location.hash = '#/agents?target=' + encodeURIComponent(input.value); } },
    h('label', { for: 'agent-target' }, 'Target (MIG target syntax, e.g. ', h('code', {}, "environment->>'os'='linux' AND status='online'"), ')'),
    input, h('button', { type: 'submit' }, 'Search'));
  main.replaceChildren(h('h1', {}, 'Agents'), form, err, results);
  try {
    const doc = await api.get('/search', { type: 'agent', target, limit: 1000 });
    const agents = api.values(doc, 'agent');
    results.replaceChildren(h('p', {}, `${agents.length} agent(s) match.`),
      table(['Name', 'ID', 'Status', 'OS', 'Version', 'Last heartbeat'], agents.map((a) => [
        h('a', { href: '#/agent/' + a.id }, a.name), a.id, a.status, (a.environment && (a.environment.ident || a.environment.os)) || '', a.version, when(a.heartbeatts)])));
  } catch (e) {
    err.textContent = e.message;
    input.setAttribute('aria-invalid', 'true');
  }
}

async function agentView(id) {
  const [doc, cmds] = await Promise.all([api.get('/agent', { agentid: id }), api.get('/search', { type: 'command', agentid: id, limit: 20 })]);
  const a = api.values(doc, 'agent')[0];
  const env = a.environment || {};
  main.replaceChildren(h('h1', {}, 'Agent ', a.name),
    h('dl', { class: 'kv' }, [['ID', a.id], ['Status', a.status], ['Version', a.version], ['Mode', a.mode], ['PID', a.pid],
      ['OS', `${env.os || ''} ${env.ident || ''} ${env.arch || ''}`], ['Init', env.init], ['Addresses', (env.addresses || []).join(', ')],
      ['Public IP', env.publicip], ['Modules', (env.modules || []).join(', ')], ['Tags', JSON.stringify(a.tags || {})],
      ['Started', when(a.starttime)], ['Last heartbeat', when(a.heartbeatts)], ['Queue', h('span', { class: 'mono' }, a.queueloc)]]
      .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '')])),
    h('h2', {}, 'Last actions on this agent'),
    table(['Action', 'Name', 'Command status', 'Found'], api.values(cmds, 'command').map((c) => [
      h('a', { href: '#/action/' + c.action.id }, c.action.id), c.action.name, c.status, found(c)])));
}

async function actionsView() {
  const doc = await api.get('/search', { type: 'action', limit: 50 });
  const actions = api.values(doc, 'action');
  main.replaceChildren(h('h1', {}, 'Actions'), h('p', {}, h('a', { href: '#/launch/file' }, 'Launch a new action')),
    table(['ID', 'Name', 'Target', 'Status', 'Valid until', 'Progress'], actions.map((a) => [
      h('a', { href: '#/action/' + a.id }, a.id), a.name, h('span', { class: 'mono' }, a.target), a.status, when(a.expireafter), progressBar(a.counters)])));
}

function found(c) {
  const r = (c.results || [])[0];
  if (!r) return h('span', { class: 'notfound' }, c.status === 'sent' ? 'waiting' : 'no result');
  return r.foundanything ? h('span', { class: 'found' }, 'found') : h('span', { class: 'notfound' }, 'not found');
}

/** One line per finding, for the table and the exports. */
function findings(c) {
  const out = [];
  for (const r of c.results || []) {
    const els = r.elements;
    if (els && typeof els === 'object' && !Array.isArray(els)) {
      for (const [search, list] of Object.entries(els)) {
        if (Array.isArray(list)) for (const x of list) out.push(x.file ? `${search}: ${x.file}` + (x.fileinfo ? ` [size ${x.fileinfo.size}, mode ${x.fileinfo.mode}, modified ${x.fileinfo.lastmodified}]` : '') : `${search}: ${JSON.stringify(x)}`);
      }
    }
    for (const e of r.errors || []) out.push('error: ' + e);
  }
  return out;
}

/** An ISO time for when() from epoch milliseconds. */
function c0(t) {
  return new Date(t).toISOString();
}

function csvCell(v) {
  const s = String(v ?? '');
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

async function actionView(id) {
  const doc = await api.get('/action', { actionid: id });
  const a = api.values(doc, 'action')[0];
  const progress = h('div', { id: 'action-progress', 'aria-live': 'polite' });
  const statusCell = h('span', { id: 'action-status' }, a.status);
  const results = h('div', { id: 'action-results' });
  const plot = h('div', { class: 'plots', id: 'action-plot' });
  let commands = [];
  const exportJsonl = () => download(`action-${a.id}-results.jsonl`, 'application/x-ndjson',
    commands.map((c) => JSON.stringify({ agent: c.agent.name, agentid: c.agent.id, commandid: c.id, status: c.status,
      found: !!((c.results || [])[0] || {}).foundanything, results: c.results })).join('\n') + '\n');
  const exportCsv = () => download(`action-${a.id}-results.csv`, 'text/csv',
    ['agent,agentid,commandid,status,found,finding'].concat(commands.flatMap((c) => {
      const f = findings(c);
      const row = (x) => [c.agent.name, c.agent.id, c.id, c.status, !!((c.results || [])[0] || {}).foundanything, x].map(csvCell).join(',');
      return f.length ? f.map(row) : [row('')];
    })).join('\r\n') + '\r\n');
  main.replaceChildren(h('h1', {}, 'Action ', a.id),
    h('dl', { class: 'kv' }, [['Name', a.name], ['Target', h('span', { class: 'mono' }, a.target)], ['Status', statusCell],
      ['Valid', `${when(a.validfrom)} to ${when(a.expireafter)}`], ['Signed by', (a.investigators || []).map((i) => i.name).join(', ')],
      ['Operations', h('details', {}, h('summary', {}, (a.operations || []).map((o) => o.module).join(', ')), h('pre', {}, JSON.stringify(a.operations, null, 2)))]].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h2', {}, 'Progress'), progress, plot,
    h('h2', {}, 'Results per agent'),
    h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'export-jsonl', onclick: exportJsonl }, 'Export JSON lines'), ' ',
      h('button', { type: 'button', class: 'secondary', id: 'export-csv', onclick: exportCsv }, 'Export CSV')),
    results);
  let shownDone = -1;
  const showResults = async () => {
    const cdoc = await api.get('/search', { type: 'command', actionid: id, limit: 10000 });
    commands = api.values(cdoc, 'command');
    results.replaceChildren(table(['Agent', 'Status', 'Found', 'Findings'], commands.map((c) => [
      h('a', { href: '#/agent/' + c.agent.id }, c.agent.name), c.status, found(c), h('div', { class: 'mono finding' }, findings(c).map((x) => h('div', {}, x)))])));
    const times = commands.filter((c) => c.status !== 'sent' && when(c.finishtime)).map((c) => Date.parse(c.finishtime));
    const sent = commands.map((c) => Date.parse(c.starttime)).filter((t) => Number.isFinite(t) && when(c0(t)));
    plot.replaceChildren(completion('Commands finished since they were sent', times, commands.length, sent.length ? Math.min(...sent) : undefined));
  };
  const update = (act, at) => {
    progress.replaceChildren(progressBar(act.counters), ' ', h('span', { class: 'hint' }, act.counters && act.counters.done ? summary(act.counters) : ''));
    statusCell.textContent = act.status;
    if (at !== undefined) window.migProgressLog.push({ at, wall: performance.timeOrigin + at, actionid: act.id, done: (act.counters || {}).done || 0 });
    const done = (act.counters || {}).done || 0;
    if (done !== shownDone) {
      shownDone = done;
      showResults().catch((e) => results.replaceChildren(errorBox(e)));
    }
  };
  update(a);
  stopFollowing = api.follow(id, update, (e) => status('progress stream: ' + e.message));
}

function summary(c) {
  return ['success', 'failed', 'timeout', 'expired', 'cancelled', 'inflight'].filter((k) => c[k]).map((k) => `${c[k]} ${k}`).join(', ');
}

// --- launcher --------------------------------------------------------------------------------
async function launchView(module) {
  const form = FORMS[module];
  const modules = Array.from(new Set([...Object.keys(FORMS), ...KNOWN]));
  const picker = h('select', { id: 'module', onchange: () => { location.hash = '#/launch/' + picker.value; } },
    modules.map((m) => h('option', { value: m, selected: m === module }, m)));
  const name = h('input', { type: 'text', id: 'action-name', value: `${module} from the web console` });
  const target = h('input', { type: 'text', id: 'launch-target', class: 'mono', value: "status='online'", 'aria-describedby': 'target-count target-error' });
  const count = h('p', { id: 'target-count', 'aria-live': 'polite' });
  const terr = h('p', { id: 'target-error', class: 'error', role: 'alert' });
  const expiry = h('select', { id: 'expiry' }, [['5', '5 minutes'], ['15', '15 minutes'], ['60', '1 hour'], ['240', '4 hours'], ['1440', '1 day']]
    .map(([v, t]) => h('option', { value: v, selected: v === '15' }, t)));
  const second = h('textarea', { id: 'second-signature', rows: 3, class: 'mono', placeholder: 'optional: a second investigator\'s signature of the prepared action' });
  const secondFile = h('input', { type: 'file', id: 'second-signature-file', onchange: async () => { second.value = (await secondFile.files[0].text()).trim(); } });
  const err = h('p', { id: 'launch-error', class: 'error', role: 'alert' });
  const inputs = {};
  const fieldset = h('fieldset', {}, h('legend', {}, `Parameters of ${module}`));
  if (form) {
    fieldset.append(h('p', { class: 'hint' }, form.help));
    for (const [key, label, kind, dflt, hint] of form.fields) {
      const id = 'p-' + key;
      let input;
      if (kind === 'lines') input = h('textarea', { id, rows: 2, class: 'mono' }, String(dflt));
      else if (kind === 'bool') input = h('input', { type: 'checkbox', id, checked: !!dflt });
      else if (kind === 'number') input = h('input', { type: 'number', id, value: dflt, min: 0 });
      else input = h('input', { type: 'text', id, value: dflt });
      inputs[key] = [kind, input];
      fieldset.append(kind === 'bool' ? h('label', { for: id }, input, ' ', label) : h('div', {}, h('label', { for: id }, label), input, hint ? h('span', { class: 'hint' }, hint) : null));
    }
  } else {
    const raw = h('textarea', { id: 'p-json', rows: 6, class: 'mono' }, '{}');
    inputs.json = ['json', raw];
    fieldset.append(h('label', { for: 'p-json' }, 'Parameters as JSON (as the module reads them)'), raw);
  }
  let prepared = null; // an action frozen for a second signature
  const build = () => {
    if (prepared) return prepared;
    const v = {};
    for (const [k, [kind, input]] of Object.entries(inputs)) {
      if (kind === 'lines') v[k] = input.value.split('\n').map((s) => s.trim()).filter((s) => s);
      else if (kind === 'bool') v[k] = input.checked;
      else if (kind === 'number') {
        v[k] = Number(input.value);
        if (!Number.isFinite(v[k]) || input.value === '') throw new Error(`${k} must be a number.`);
      } else if (kind === 'json') {
        try { v.json = JSON.parse(input.value); } catch (e) { throw new Error('The parameters are not valid JSON: ' + e.message); }
      } else v[k] = input.value;
    }
    const parameters = form ? form.build(v) : v.json;
    const now = Math.floor(Date.now() / 1000);
    const iso = (s) => new Date(s * 1000).toISOString().replace(/\.000Z$/, 'Z');
    // valid from a minute ago, as the original client, so an agent whose clock lags still runs it
    return { name: name.value.trim(), target: target.value.trim(), description: {}, threat: {}, validfrom: iso(now - 60),
      expireafter: iso(now + 60 * Number(expiry.value)), operations: [{ module, parameters }], pgpsignatures: [], syntaxversion: 2 };
  };
  let countTimer = null;
  const recount = () => {
    clearTimeout(countTimer);
    countTimer = setTimeout(async () => {
      const t = target.value.trim();
      count.textContent = 'counting…';
      terr.textContent = '';
      target.removeAttribute('aria-invalid');
      try {
        const doc = await api.get('/search', { type: 'agent', target: t, limit: 100000 });
        const n = api.values(doc, 'agent').length;
        count.textContent = `${n} agent${n === 1 ? '' : 's'} will be targeted.`;
      } catch (e) {
        count.textContent = '';
        terr.textContent = e.message;
        target.setAttribute('aria-invalid', 'true');
      }
    }, 250);
  };
  target.addEventListener('input', recount);
  const launch = async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    if (!api.canSign()) { err.textContent = 'Launching needs your investigator key: an API key can only read.'; return; }
    const btn = document.getElementById('launch');
    btn.disabled = true;
    try {
      const action = build();
      if (!action.name) throw new Error('Give the action a name.');
      const sig = await sign(api.currentAuth().key, new TextEncoder().encode(canonicalString(action)));
      const sigs = [sig];
      if (second.value.trim()) {
        if (!prepared) throw new Error('A second signature covers a prepared action: press "Prepare" first, have it signed, then launch.');
        sigs.push(oneLine(second.value));
      }
      const created = await api.post('/action/create/', { action: JSON.stringify({ ...action, pgpsignatures: sigs }) });
      const a = api.firstValue(created); // item 'action ID <id>'
      status(`action ${a.id} launched`);
      location.hash = '#/action/' + a.id;
    } catch (e) {
      err.textContent = e.message;
    } finally {
      btn.disabled = false;
    }
  };
  const prepare = () => {
    err.textContent = '';
    try {
      prepared = null;
      prepared = build();
      // exactly the signed bytes, no trailing line feed: gpg --armor --detach-sign action-to-sign.txt
      download('action-to-sign.txt', 'text/plain', canonicalString(prepared));
      document.getElementById('prepared').textContent = 'Prepared (frozen until you leave this page). The second investigator signs ' +
        'action-to-sign.txt, just downloaded, which holds exactly this canonical string:\n' + canonicalString(prepared) +
        '\nwith: gpg --armor --detach-sign --digest-algo SHA256 -u <their key> action-to-sign.txt\nthen paste or choose action-to-sign.txt.asc below.';
    } catch (e) { err.textContent = e.message; }
  };
  main.replaceChildren(h('h1', {}, 'Launch an action'),
    h('form', { id: 'launch-form', onsubmit: launch },
      h('label', { for: 'module' }, 'Module'), picker,
      h('label', { for: 'action-name' }, 'Name'), name,
      h('label', { for: 'launch-target' }, 'Target'), target, count, terr,
      h('label', { for: 'expiry' }, 'Expires after'), expiry,
      fieldset,
      h('details', {}, h('summary', {}, 'Second signature (optional)'),
        h('button', { type: 'button', class: 'secondary', id: 'prepare', onclick: prepare }, 'Prepare the action for a second signer'),
        h('pre', { id: 'prepared' }),
        h('label', { for: 'second-signature' }, 'Second signature'), second, secondFile),
      h('button', { type: 'submit', id: 'launch' }, 'Sign and launch'), err));
  recount();
}

/**
 * A signature in MIG's one-line form: an armoured one (gpg --armor) becomes its base64 body and
 * checksum joined, as the original client strips it; a one-line one is kept.
 */
function oneLine(text) {
  const t = text.trim();
  if (!t.startsWith('-----BEGIN PGP SIGNATURE-----')) return t;
  const lines = t.split(/\r?\n/);
  const blank = lines.findIndex((l) => l.trim() === '');
  const end = lines.findIndex((l) => l.startsWith('-----END'));
  if (blank < 0 || end < 0) throw new Error('The second signature is not a complete armoured signature.');
  return lines.slice(blank + 1, end).map((l) => l.trim()).join('');
}

let investigatorNotice = ''; // shown once by the next investigators view (after a creation)

async function investigatorsView() {
  const doc = await api.get('/search', { type: 'investigator', limit: 1000 });
  const invs = api.values(doc, 'investigator');
  const msg = h('p', { id: 'investigator-message', role: 'status', class: 'mono' }, investigatorNotice);
  investigatorNotice = '';
  const submit = async (path, form, done) => {
    msg.textContent = '';
    try {
      const r = await api.post(path, form);
      const inv = api.firstValue(r) || {}; // item 'Investigator ID <id>'
      if (done) done(inv);
      else route();
    } catch (e) {
      msg.textContent = e.message;
      msg.className = 'error';
    }
  };
  const update = (form, done) => submit('/investigator/update/', form, done);
  const perms = (p) => Object.entries(p || {}).filter(([, v]) => v).map(([k]) => k).join(' ');
  // permission names, as the table shows them, to the API's JSON object of names
  const permsJson = (text) => JSON.stringify(Object.fromEntries(text.split(/[\s,]+/).filter((n) => n).map((n) => [n, true])));
  const permsFor = h('select', { id: 'permissions-investigator', onchange: () => {
    permsText.value = perms((invs.find((i) => String(i.id) === permsFor.value) || {}).permissions);
  } }, invs.map((i) => h('option', { value: i.id }, `${i.name} (${i.id})`)));
  const permsText = h('input', { type: 'text', id: 'permissions-names', class: 'mono', value: invs.length ? perms(invs[0].permissions) : '' });
  const newName = h('input', { type: 'text', id: 'new-investigator-name' });
  const newKey = h('textarea', { id: 'new-investigator-key', rows: 4, spellcheck: 'false', placeholder: '-----BEGIN PGP PUBLIC KEY BLOCK-----' });
  const newKeyFile = h('input', { type: 'file', id: 'new-investigator-key-file', accept: '.asc,.txt', onchange: async () => { newKey.value = (await newKeyFile.files[0].text()).trim(); } });
  const newPerms = h('input', { type: 'text', id: 'new-investigator-permissions', class: 'mono', value: 'search action action_create command agent dashboard' });
  main.replaceChildren(h('h1', {}, 'Investigators'), msg,
    table(['ID', 'Name', 'Status', 'Fingerprint', 'Permissions', 'Created', ''], invs.map((i) => [
      i.id, i.name, i.status, h('span', { class: 'mono' }, i.pgpfingerprint), h('span', { class: 'mono' }, perms(i.permissions)), when(i.createdat),
      h('span', {},
        h('button', { type: 'button', class: 'secondary', onclick: () => update({ id: i.id, status: i.status === 'active' ? 'disabled' : 'active' }) },
          i.status === 'active' ? 'Disable' : 'Enable'), ' ',
        h('button', { type: 'button', class: 'secondary', onclick: () => update({ id: i.id, apikey: 'active' }, (inv) => {
          msg.className = 'mono';
          msg.textContent = `New API key for ${i.name} (shown once, copy it now): ${inv.apikey || '(none returned)'}`;
        }) }, 'New API key'))])),
    h('h2', {}, 'Permissions'),
    h('form', { id: 'permissions-form', onsubmit: (e) => { e.preventDefault(); update({ id: permsFor.value, permissions: permsJson(permsText.value) }); } },
      h('label', { for: 'permissions-investigator' }, 'Investigator'), permsFor,
      h('label', { for: 'permissions-names' }, 'Permissions (names separated by spaces: all of them, the others are removed)'), permsText,
      h('button', { type: 'submit', id: 'permissions-save' }, 'Save permissions')),
    h('h2', {}, 'New investigator'),
    h('form', { id: 'new-investigator-form', onsubmit: (e) => {
      e.preventDefault();
      const form = { name: newName.value.trim(), permissions: permsJson(newPerms.value) };
      if (newKey.value.trim()) form.publickey = newKey.value.trim(); // optional, as for mig-console
      submit('/investigator/create/', form, (inv) => {
        investigatorNotice = `Investigator ${inv.name} created (id ${inv.id}).`;
        route();
      });
    } },
      h('label', { for: 'new-investigator-name' }, 'Name'), newName,
      h('label', { for: 'new-investigator-key' }, 'Public key (armoured, as gpg --export --armor writes it), pasted or chosen'), newKey, newKeyFile,
      h('label', { for: 'new-investigator-permissions' }, 'Permissions (names separated by spaces)'), newPerms,
      h('button', { type: 'submit', id: 'new-investigator-create' }, 'Create')));
}

// --- routing and keys ------------------------------------------------------------------------
async function route() {
  if (stopFollowing) { stopFollowing(); stopFollowing = null; }
  if (!api.currentAuth()) {
    showSignin(true);
    document.body.dataset.ready = 'signin';
    performance.mark('mig-view-signin');
    setTimeout(warm, 0);
    return;
  }
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query || '');
  const parts = (path || '/').split('/').filter((p) => p);
  const view = parts[0] || 'dashboard';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('current', a.dataset.view === view || (view === 'action' && a.dataset.view === 'actions') || (view === 'agent' && a.dataset.view === 'agents'));
  document.body.dataset.ready = '';
  status('loading…');
  try {
    if (view === 'dashboard') await dashboard();
    else if (view === 'agents') await agentsView(params);
    else if (view === 'agent') await agentView(parts[1]);
    else if (view === 'actions') await actionsView();
    else if (view === 'action') await actionView(parts[1]);
    else if (view === 'launch') await launchView(parts[1] || 'file');
    else if (view === 'investigators') await investigatorsView();
    else main.replaceChildren(h('p', {}, 'No such view: ', location.hash));
    status('');
  } catch (e) {
    main.replaceChildren(errorBox(e));
    status('');
  }
  document.body.dataset.ready = view;
  performance.mark('mig-view-' + view); // bench/web-console.sh reads these
  main.focus({ preventScroll: true });
}

document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT'))) return;
  const views = { 1: '#/', 2: '#/agents', 3: '#/actions', 4: '#/launch/file', 5: '#/investigators' };
  if (views[e.key] && api.currentAuth()) { location.hash = views[e.key]; e.preventDefault(); }
  else if (e.key === '/') { const f = document.querySelector('#agent-target, #launch-target'); if (f) { f.focus(); e.preventDefault(); } }
  else if (e.key === '?') { status('1 dashboard · 2 agents · 3 actions · 4 launch · 5 investigators · / target field · Tab moves, Enter activates'); }
});

document.getElementById('key-form').addEventListener('submit', onKeyForm);
document.getElementById('apikey-form').addEventListener('submit', onApiKeyForm);
document.getElementById('signout').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
api.init().catch(() => {}); // started now, awaited by the first request; its error shows there
route();
