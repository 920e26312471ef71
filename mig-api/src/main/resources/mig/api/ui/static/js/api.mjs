// The console's calls to the API: the same routes, headers and permissions as the mig client.
// With a key, each request carries an X-PGPAUTHORIZATION token made in this page (migpgp.mjs); a
// token is reused for a minute, as the original client reuses one per session. With an API key,
// X-MIGAPIKEY. Nothing else leaves the page.
import { makeToken } from './migpgp.mjs';

let base = '/api/v1';
let auth = null; // {mode:'key', key, fingerprint, name} | {mode:'apikey', apikey}
let token = null;
let tokenMadeAt = 0;
const TOKEN_REUSE_MS = 60_000;

/** An API refusal or failure, with a sentence for the page. */
export class ApiError extends Error {
  constructor(status, message, raw) {
    super(message);
    this.status = status;
    this.raw = raw;
  }
}

let configured = null;
/**
 * Reads the API's base route (config.json) once; every request waits for it, the sign-in form does
 * not (the page shows it while config.json is on its way).
 */
export function init() {
  if (!configured) {
    configured = fetch('config.json').then(async (r) => {
      if (!r.ok) throw new ApiError(r.status, 'config.json: ' + r.status + ' ' + r.statusText);
      base = (await r.json()).baseroute;
    });
    configured.catch(() => { configured = null; }); // a later request tries again
  }
  return configured;
}

export function setAuth(a) {
  auth = a;
  token = null;
}

export function currentAuth() {
  return auth;
}

export function canSign() {
  return auth !== null && auth.mode === 'key';
}

async function headers() {
  if (!auth) throw new ApiError(0, 'Sign in first: load your key or an API key.');
  if (auth.mode === 'apikey') return { 'X-MIGAPIKEY': auth.apikey };
  if (!token || Date.now() - tokenMadeAt > TOKEN_REUSE_MS || Date.now() < tokenMadeAt) {
    tokenMadeAt = Date.now();
    token = await makeToken(auth.key, new Date(tokenMadeAt));
  }
  return { 'X-PGPAUTHORIZATION': token };
}

/** What a refusal means for the person in front of the page. */
export function explain(status, message, serverDate) {
  const fp = auth && auth.fingerprint ? auth.fingerprint : '';
  if (/no investigator found for fingerprint|signature made by unknown key id/.test(message)) {
    return 'This key (' + fp + ') is not an investigator\'s key on this platform: the API knows no ' +
      'investigator with it. Load your investigator key, or ask an administrator to register your public key.';
  }
  if (/not within acceptable time limits/.test(message)) {
    const tokenTime = token ? token.split(';')[1] : '?';
    return 'The API refused the token as expired: it was made at ' + tokenTime + ' by this computer\'s clock, ' +
      'and the server\'s clock reads ' + (serverDate || 'a time too far from it') + '. ' +
      'Check this computer\'s clock (tokens are valid for a few minutes either side of the server\'s time).';
  }
  if (/is not active/.test(message)) return 'Your investigator account is disabled on this platform.';
  if (/API key authentication failed/.test(message)) return 'The API key was refused: check it was copied whole.';
  if (/too many failed API key attempts/.test(message)) return message;
  if (/Insufficient permissions/.test(message)) return 'Your investigator lacks the permission for this: ' + message;
  if (/Valid authentication header not found/.test(message)) return 'Sign in first: load your key or an API key.';
  return message;
}

async function answer(res) {
  const text = await res.text();
  let doc = null;
  try {
    doc = JSON.parse(text);
  } catch {
    // plain-text 404 of the original's router
  }
  if (!res.ok) {
    const message = doc && doc.collection && doc.collection.error ? doc.collection.error.message
      : doc && doc.error ? doc.error : text.trim() || res.statusText;
    if (res.status === 404 && message === 'no results found') {
      return { collection: { items: [] } }; // the original's search answers an empty result so
    }
    if (res.status === 401 || res.status === 403) {
      // the next request makes a fresh token: an expired one must not stick
      token = null;
    }
    throw new ApiError(res.status, explain(res.status, message, res.headers.get('Date')), message);
  }
  return doc;
}

/** GET a route below the base route with query parameters; returns the Collection+JSON document. */
export async function get(path, params = {}) {
  const q = new URLSearchParams(params).toString();
  await init();
  const res = await fetch(base + path + (q ? '?' + q : ''), { headers: await headers() });
  return answer(res);
}

/** POST an url-encoded form. */
export async function post(path, form) {
  await init();
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { ...(await headers()), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return answer(res);
}

/** The values named `name` of every item of a Collection+JSON document. */
export function values(doc, name) {
  const out = [];
  for (const item of (doc && doc.collection && doc.collection.items) || []) {
    for (const d of item.data || []) if (d.name === name) out.push(d.value);
  }
  return out;
}

/** The value of the first item's first datum (the API names some items after their id). */
export function firstValue(doc) {
  const item = ((doc && doc.collection && doc.collection.items) || [])[0];
  return item && item.data && item.data[0] ? item.data[0].value : undefined;
}

/**
 * Follows an action's progress over Server-Sent Events (/ui/events/action), read with fetch so the
 * token header goes with it. Calls onAction for each update; reconnects when the server asks.
 * Returns a function that stops following.
 */
export function follow(actionId, onAction, onError) {
  const stop = new AbortController();
  (async () => {
    for (;;) {
      let reason = null;
      try {
        const res = await fetch('events/action?actionid=' + encodeURIComponent(actionId),
          { headers: await headers(), signal: stop.signal });
        if (!res.ok) {
          await answer(res);
          return;
        }
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let cut;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            let event = 'message', data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (event === 'action') onAction(JSON.parse(data), performance.now());
            else if (event === 'end') reason = JSON.parse(data);
          }
        }
      } catch (e) {
        if (stop.signal.aborted) return;
        if (onError) onError(e);
        if (e instanceof ApiError) return;
        await new Promise((r) => setTimeout(r, 2000));
        continue;
      }
      if (reason !== 'reconnect') return;
    }
  })();
  return () => stop.abort();
}
