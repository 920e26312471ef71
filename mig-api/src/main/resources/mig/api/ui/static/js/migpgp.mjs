// MIG's signatures in the browser: the X-PGPAUTHORIZATION token and action signatures, made with
// OpenPGP.js (vendor/openpgp.min.mjs, built from npm, see docs/web-console.md) so that the
// investigator's secret key stays in this page's memory. The bytes are those of mig-common's
// Signatures.sign and the original's client: a detached binary v4 signature, SHA-256, by the
// primary key, the RSA value at the key's full length, in the one-line "<base64>=<crc24>" form.
//
// The library (400 kB) is imported on first use, not with the page, so the sign-in form and an
// API-key session do not wait for it; warm() starts loading it once the form is shown.
let library = null;
let openpgp = null;
let CONFIG = null;

async function lib() {
  if (!library) library = import('../vendor/openpgp.min.mjs');
  openpgp = await library;
  CONFIG = {
    preferredHashAlgorithm: openpgp.enums.hash.sha256,
    // v4 signatures carry no salt notation: the original's x/crypto/openpgp never saw one
    nonDeterministicSignaturesViaNotation: false,
  };
  return openpgp;
}

/** Starts loading OpenPGP.js in the background. */
export function warm() {
  lib().catch(() => {}); // a failure shows when the key is loaded
}

/** A problem the user can fix, with a sentence to show in the page. */
export class KeyProblem extends Error {}

/**
 * Reads a secret key, armoured text or binary (a GnuPG secring.gpg, as mig-standalone writes), and
 * unlocks it with the passphrase when it is protected.
 * @param {string|Uint8Array} input
 * @returns {{key, fingerprint: string, userIds: string[]}}
 */
export async function loadKey(input, passphrase) {
  await lib();
  let key;
  if (input instanceof Uint8Array && !new TextDecoder().decode(input.subarray(0, 64)).trimStart().startsWith('-----BEGIN')) {
    try {
      key = await openpgp.readPrivateKey({ binaryKey: input });
    } catch (e) {
      throw new KeyProblem('This file holds no OpenPGP secret key: ' + e.message);
    }
  } else {
    const text = (input instanceof Uint8Array ? new TextDecoder().decode(input) : input || '').trim();
    if (!text) throw new KeyProblem('Paste or choose your secret key first.');
    if (text.includes('BEGIN PGP PUBLIC KEY BLOCK')) {
      throw new KeyProblem('This is a public key: signing needs your secret key (-----BEGIN PGP PRIVATE KEY BLOCK-----).');
    }
    try {
      key = await openpgp.readPrivateKey({ armoredKey: text });
    } catch (e) {
      throw new KeyProblem('This is not an armoured OpenPGP secret key: ' + e.message);
    }
  }
  if (!key.isDecrypted()) {
    if (!passphrase) throw new KeyProblem('This key is protected: enter its passphrase.');
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch (e) {
      throw new KeyProblem(/passphrase/i.test(e.message)
        ? 'Wrong passphrase for this key.'
        : 'Cannot unlock this key: ' + e.message);
    }
  }
  if (key.keyPacket.algorithm !== openpgp.enums.publicKey.rsaEncryptSign &&
      key.keyPacket.algorithm !== openpgp.enums.publicKey.rsaSign) {
    throw new KeyProblem('MIG keys are RSA keys (the original cannot check others); this key is ' +
      key.keyPacket.algorithm + '.');
  }
  return {
    key,
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
  };
}

/** Signs bytes (Uint8Array) with the primary key; returns MIG's one-line signature. */
export async function sign(key, bytes, date = new Date(Date.now())) {
  await lib();
  const message = await openpgp.createMessage({ binary: bytes });
  const packets = await openpgp.sign({
    message,
    signingKeys: key,
    signingKeyIDs: key.getKeyID(),
    detached: true,
    format: 'binary',
    date: new Date(Math.floor(date.getTime() / 1000) * 1000),
    config: CONFIG,
  });
  return toMig(fullLength(packets, key.keyPacket.publicParams.n.length));
}

/** Go's UTC "2006-01-02T15:04:05Z" of a date. */
export function tokenTime(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A fresh X-PGPAUTHORIZATION token: "1;<time>;<nonce>;<signature of '1;<time>;<nonce>\n'>". */
export async function makeToken(key, now = new Date(Date.now())) {
  const rnd = new Uint32Array(2);
  crypto.getRandomValues(rnd);
  // below 2^53, as mig-common's AuthToken, so a server reading it as float64 is exact
  const nonce = (BigInt(rnd[0] & 0x1fffff) << 32n) + BigInt(rnd[1]) + 1n;
  const payload = '1;' + tokenTime(now) + ';' + nonce.toString();
  const sig = await sign(key, new TextEncoder().encode(payload + '\n'), now);
  return payload + ';' + sig;
}

/**
 * Rewrites the RSA value of a v4 signature packet at the modulus length: OpenPGP MPIs drop leading
 * zeros and the original's Go verifiers refuse a value shorter than the key (mig-common FullLengthMpi).
 */
export function fullLength(packets, modulusBytes) {
  let i = 0;
  const b0 = packets[i++];
  if ((b0 & 0xc0) !== 0xc0 || (b0 & 0x3f) !== 2) return packets; // not a new-format signature packet
  let len;
  const l1 = packets[i++];
  if (l1 < 192) len = l1;
  else if (l1 < 224) len = ((l1 - 192) << 8) + packets[i++] + 192;
  else if (l1 === 255) {
    len = (packets[i] << 24 | packets[i + 1] << 16 | packets[i + 2] << 8 | packets[i + 3]) >>> 0;
    i += 4;
  } else return packets;
  const body = packets.subarray(i, i + len);
  if (body[0] !== 4 || (body[2] !== 1 && body[2] !== 3)) return packets;
  let p = 4;
  p += 2 + ((body[p] << 8) | body[p + 1]); // hashed subpackets
  p += 2 + ((body[p] << 8) | body[p + 1]); // unhashed subpackets
  p += 2; // left 16 bits of the hash
  const bits = (body[p] << 8) | body[p + 1];
  const have = (bits + 7) >> 3;
  if (have >= modulusBytes) return packets;
  const out = new Uint8Array(p + 2 + modulusBytes);
  out.set(body.subarray(0, p));
  out[p] = (modulusBytes * 8) >> 8;
  out[p + 1] = (modulusBytes * 8) & 0xff;
  out.set(body.subarray(p + 2, p + 2 + have), p + 2 + modulusBytes - have);
  return packet(2, out);
}

function packet(tag, body) {
  const n = body.length;
  const head = n < 192 ? [0xc0 | tag, n]
    : n < 8384 ? [0xc0 | tag, ((n - 192) >> 8) + 192, (n - 192) & 0xff]
      : [0xc0 | tag, 255, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(head.length + n);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function base64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** OpenPGP's CRC-24 (RFC 4880 6.1). */
function crc24(bytes) {
  let crc = 0xb704ce;
  for (const b of bytes) {
    crc ^= b << 16;
    for (let k = 0; k < 8; k++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** The original's armour-stripped form: base64 of the packets, '=', base64 of the CRC-24. */
export function toMig(bytes) {
  const c = crc24(bytes);
  return base64(bytes) + '=' + base64(new Uint8Array([c >> 16, (c >> 8) & 0xff, c & 0xff]));
}
