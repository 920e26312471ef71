// Go's encoding/json output for generic values (maps sorted by key, numbers as float64), which is
// what MIG signs: an action's canonical string embeds its operations written this way. Hand-written
// (no npm package reproduces Go's escaping); it mirrors mig.common.json.GoJsonWriter, the Java side
// that verifies the same bytes.

const HEX = '0123456789abcdef';

function u4(code) {
  return '\\u' + HEX[(code >> 12) & 15] + HEX[(code >> 8) & 15] + HEX[(code >> 4) & 15] + HEX[code & 15];
}

/** A string as Go writes it: < > & U+2028 U+2029 and controls escaped, lone surrogates as U+FFFD. */
export function goString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) out += u4(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\\ufffd';
    else out += s[i];
  }
  return out + '"';
}

/** Go's float64 formatting: shortest round-trip digits, exponent form below 1e-6 and from 1e21. */
export function goNumber(n) {
  if (!Number.isFinite(n)) throw new Error('json: unsupported value: ' + n);
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const abs = Math.abs(n);
  if (abs < 1e-6 || abs >= 1e21) {
    // JavaScript writes 1e-7 and 1.5e+21 exactly as Go does once Go drops the exponent's leading zero
    return n.toExponential().replace(/e([+-])0*(\d)/, 'e$1$2');
  }
  return String(n); // plain digits in this range, shortest round trip, as Go's 'f' with precision -1
}

function byCodePoint(a, b) {
  // Go sorts map keys by their UTF-8 bytes, which is code point order (not UTF-16 unit order)
  const x = Array.from(a), y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Writes a JSON value as Go writes an interface{} holding it. */
export function goMarshal(v) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'string') return goString(v);
  if (Array.isArray(v)) return '[' + v.map(goMarshal).join(',') + ']';
  const keys = Object.keys(v).sort(byCodePoint);
  return '{' + keys.map((k) => goString(k) + ':' + goMarshal(v[k])).join(',') + '}';
}

/** An operation as Go's mig.Operation struct: module, parameters, then the two omit-empty flags. */
export function goOperation(op) {
  let s = '{"module":' + goString(op.module) + ',"parameters":' + goMarshal(op.parameters);
  if (op.is_compressed) s += ',"is_compressed":true';
  if (op.want_compressed) s += ',"want_compressed":true';
  return s + '}';
}

/**
 * The string investigators sign (mig.common.Action#canonicalString, the original's Action.String()),
 * including the frozen "%!s(int64=...)" around expireafter. Times are whole epoch seconds.
 */
export function canonicalString(action) {
  const sec = (iso) => Math.floor(Date.parse(iso) / 1000);
  const ops = action.operations === null ? 'null' : '[' + action.operations.map(goOperation).join(',') + ']';
  return 'name=' + action.name + ';target=' + action.target + ';validfrom=' + sec(action.validfrom) +
    ';expireafter=%!s(int64=' + sec(action.expireafter) + ');operations=' + ops + ';';
}
