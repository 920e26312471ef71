// Two small inline SVG plots (horizontal bars, a step line): a chart library would weigh more than
// the whole console for what these draw.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Horizontal bars of [label, count] pairs, largest first. */
export function bars(title, pairs) {
  const rows = [...pairs].sort((a, b) => b[1] - a[1]).slice(0, 12);
  const w = 420, rowH = 20, left = 170, h = 28 + rows.length * rowH;
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const svg = el('svg', { width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': title });
  svg.append(el('title', {}, title));
  svg.append(el('text', { x: 0, y: 14, 'font-weight': 700 }, title));
  rows.forEach(([label, n], i) => {
    const y = 24 + i * rowH;
    const bw = Math.max(1, ((w - left - 40) * n) / max);
    svg.append(el('text', { x: 0, y: y + 13 }, label.length > 26 ? label.slice(0, 25) + '…' : label));
    svg.append(el('rect', { x: left, y: y + 2, width: bw, height: rowH - 6, fill: '#0b5cad' }));
    svg.append(el('text', { x: left + bw + 4, y: y + 13 }, String(n)));
  });
  if (rows.length === 0) svg.append(el('text', { x: 0, y: 40 }, 'no data'));
  return svg;
}

/** Cumulative completions over time: times (ms) of finished commands out of `total`. */
export function completion(title, times, total, start) {
  const w = 420, h = 180, l = 40, r = 10, t = 24, b = 28;
  const svg = el('svg', { width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': title });
  svg.append(el('title', {}, title));
  svg.append(el('text', { x: 0, y: 14, 'font-weight': 700 }, title));
  svg.append(el('line', { x1: l, y1: h - b, x2: w - r, y2: h - b, stroke: '#888' }));
  svg.append(el('line', { x1: l, y1: t, x2: l, y2: h - b, stroke: '#888' }));
  const sorted = [...times].sort((a, c) => a - c);
  if (sorted.length === 0 || total === 0) {
    svg.append(el('text', { x: l + 10, y: h / 2 }, 'no command finished yet'));
    return svg;
  }
  const t0 = start !== undefined && start <= sorted[0] ? start : sorted[0];
  const t1 = Math.max(sorted[sorted.length - 1], t0 + 1);
  const x = (v) => l + ((w - l - r) * (v - t0)) / (t1 - t0);
  const y = (n) => h - b - ((h - b - t) * n) / total;
  let d = `M ${x(t0)} ${y(0)}`;
  sorted.forEach((v, i) => { d += ` L ${x(v)} ${y(i)} L ${x(v)} ${y(i + 1)}`; });
  svg.append(el('path', { d, fill: 'none', stroke: '#1a7f37', 'stroke-width': 2 }));
  svg.append(el('text', { x: 2, y: t + 8 }, String(total)));
  svg.append(el('text', { x: 2, y: h - b }, '0'));
  const secs = ((t1 - t0) / 1000).toFixed(1);
  svg.append(el('text', { x: l, y: h - 8 }, '0 s'));
  svg.append(el('text', { x: w - r - 40, y: h - 8 }, secs + ' s'));
  return svg;
}
