import { STATUSES, type Severity, type Status } from '../core/types.js';

/**
 * Vector charts of status counts as standalone SVG strings. Pure: same input, same bytes (coordinates are rounded),
 * no DOM, no I/O. The geometry helpers are exported so a non-SVG renderer (pdfkit) can draw the same shapes.
 */

export type ChartStatus = Status | 'NOT_COVERED';

/** Status fill colours, chosen to differ in lightness too so a greyscale print still separates them. */
export const STATUS_COLOURS: Record<ChartStatus, { fill: string; text: string }> = {
  PASS: { fill: '#2e7d32', text: '#ffffff' },
  FAIL: { fill: '#c62828', text: '#ffffff' },
  ERROR: { fill: '#4a148c', text: '#ffffff' },
  NOT_APPLICABLE: { fill: '#bdbdbd', text: '#000000' },
  MANUAL: { fill: '#1565c0', text: '#ffffff' },
  INHERITED: { fill: '#00838f', text: '#ffffff' },
  WAIVED: { fill: '#f9a825', text: '#000000' },
  NOT_COVERED: { fill: '#eeeeee', text: '#000000' },
};

/** Human labels; every coloured mark in a report also carries one, so colour is never the only signal. */
export const STATUS_LABELS: Record<ChartStatus, string> = {
  PASS: 'PASS',
  FAIL: 'FAIL',
  ERROR: 'ERROR',
  NOT_APPLICABLE: 'N/A',
  MANUAL: 'MANUAL',
  INHERITED: 'INHERITED',
  WAIVED: 'WAIVED',
  NOT_COVERED: 'NOT COVERED',
};

export interface ChartCount {
  status: ChartStatus;
  count: number;
}

export interface DonutSegment {
  status: ChartStatus;
  count: number;
  share: number;
  /** Angles in radians, clockwise from 12 o'clock. */
  startAngle: number;
  endAngle: number;
}

const TAU = 2 * Math.PI;

/** Number formatting for SVG coordinates: two decimals, no trailing zeros, never `-0`. */
function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Non-zero counts in canonical status order, with their angular extent. */
export function donutSegments(counts: readonly ChartCount[]): DonutSegment[] {
  const order = [...STATUSES, 'NOT_COVERED'] as ChartStatus[];
  const present = counts.filter((c) => c.count > 0).sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  const total = present.reduce((n, c) => n + c.count, 0);
  let angle = 0;
  return present.map((c) => {
    const share = c.count / total;
    const segment = { status: c.status, count: c.count, share, startAngle: angle, endAngle: angle + share * TAU };
    angle = segment.endAngle;
    return segment;
  });
}

function point(cx: number, cy: number, r: number, angle: number): [number, number] {
  return [cx + r * Math.sin(angle), cy - r * Math.cos(angle)];
}

/** Path of one ring segment; a full ring is drawn as two halves because an SVG arc cannot close on itself. */
function ringPath(cx: number, cy: number, outer: number, inner: number, start: number, end: number): string {
  if (end - start >= TAU - 1e-9) {
    return ringPath(cx, cy, outer, inner, start, start + Math.PI) + ' ' + ringPath(cx, cy, outer, inner, start + Math.PI, end);
  }
  const large = end - start > Math.PI ? 1 : 0;
  const [x1, y1] = point(cx, cy, outer, start);
  const [x2, y2] = point(cx, cy, outer, end);
  const [x3, y3] = point(cx, cy, inner, end);
  const [x4, y4] = point(cx, cy, inner, start);
  return [
    `M${num(x1)} ${num(y1)}`,
    `A${num(outer)} ${num(outer)} 0 ${large} 1 ${num(x2)} ${num(y2)}`,
    `L${num(x3)} ${num(y3)}`,
    `A${num(inner)} ${num(inner)} 0 ${large} 0 ${num(x4)} ${num(y4)}`,
    'Z',
  ].join(' ');
}

export interface DonutOptions {
  /** Accessible name of the chart, e.g. "Controls by status". */
  title: string;
  /** Big text in the hole, e.g. the total. */
  centreValue: string;
  centreLabel: string;
}

/** A donut of status counts with a legend (label, count, percentage) to its right. */
export function renderStatusDonut(counts: readonly ChartCount[], options: DonutOptions): string {
  const segments = donutSegments(counts);
  const size = 180;
  const c = size / 2;
  const outer = 84;
  const inner = 52;
  const legendX = size + 24;
  const rowHeight = 22;
  const height = Math.max(size, segments.length * rowHeight + 8);
  const width = legendX + 210;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-donut" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
  );
  if (segments.length === 0) {
    parts.push(`<circle cx="${c}" cy="${c}" r="${(outer + inner) / 2}" fill="none" stroke="#e0e0e0" stroke-width="${outer - inner}"/>`);
  }
  for (const s of segments) {
    const colour = STATUS_COLOURS[s.status];
    parts.push(`<path d="${ringPath(c, c, outer, inner, s.startAngle, s.endAngle)}" fill="${colour.fill}" stroke="#ffffff" stroke-width="1.5"><title>${escapeXml(`${STATUS_LABELS[s.status]}: ${s.count}`)}</title></path>`);
    // Counts on the ring itself when the segment is wide enough to hold them: readable without colour.
    if (s.share >= 0.07) {
      const [tx, ty] = point(c, c, (outer + inner) / 2, (s.startAngle + s.endAngle) / 2);
      parts.push(`<text x="${num(tx)}" y="${num(ty)}" dy="0.35em" text-anchor="middle" font-size="12" font-weight="700" fill="${colour.text}">${s.count}</text>`);
    }
  }
  parts.push(
    `<text x="${c}" y="${c - 4}" text-anchor="middle" font-size="28" font-weight="700" fill="#1a1a1a">${escapeXml(options.centreValue)}</text>`,
    `<text x="${c}" y="${c + 16}" text-anchor="middle" font-size="11" fill="#555555">${escapeXml(options.centreLabel)}</text>`,
  );
  const legendTop = (height - segments.length * rowHeight) / 2;
  segments.forEach((s, i) => {
    const y = legendTop + i * rowHeight;
    const colour = STATUS_COLOURS[s.status];
    parts.push(
      `<rect x="${legendX}" y="${num(y + 3)}" width="14" height="14" rx="2" fill="${colour.fill}" stroke="#757575" stroke-width="0.5"/>`,
      `<text x="${legendX + 22}" y="${num(y + 14.5)}" font-size="13" fill="#1a1a1a">${escapeXml(STATUS_LABELS[s.status])}</text>`,
      `<text x="${legendX + 140}" y="${num(y + 14.5)}" font-size="13" font-weight="700" text-anchor="end" fill="#1a1a1a">${s.count}</text>`,
      `<text x="${legendX + 200}" y="${num(y + 14.5)}" font-size="12" text-anchor="end" fill="#555555">${(s.share * 100).toFixed(1)}%</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface SeverityBar {
  severity: Severity;
  counts: Partial<Record<ChartStatus, number>>;
}

/** Horizontal stacked bars, one per severity, of control statuses; the total is printed at the end of each bar. */
export function renderSeverityBars(bars: readonly SeverityBar[], title: string): string {
  const labelWidth = 104;
  const barWidth = 560;
  const rowHeight = 26;
  const width = labelWidth + barWidth + 50;
  const height = bars.length * rowHeight + 6;
  const max = Math.max(1, ...bars.map((b) => Object.values(b.counts).reduce((n: number, v) => n + (v ?? 0), 0)));
  const order = [...STATUSES, 'NOT_COVERED'] as ChartStatus[];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bars" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
  ];
  bars.forEach((bar, i) => {
    const y = i * rowHeight + 4;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 13}" font-size="12" text-anchor="end" fill="#1a1a1a">${escapeXml(bar.severity)}</text>`);
    parts.push(`<rect x="${labelWidth}" y="${y}" width="${barWidth}" height="18" fill="#f5f5f5"/>`);
    let x = labelWidth;
    let total = 0;
    for (const status of order) {
      const n = bar.counts[status] ?? 0;
      if (n <= 0) continue;
      const w = (n / max) * barWidth;
      const colour = STATUS_COLOURS[status];
      parts.push(`<rect x="${num(x)}" y="${y}" width="${num(w)}" height="18" fill="${colour.fill}" stroke="#ffffff" stroke-width="1"><title>${escapeXml(`${bar.severity} ${STATUS_LABELS[status]}: ${n}`)}</title></rect>`);
      if (w >= 18) parts.push(`<text x="${num(x + w / 2)}" y="${y + 13}" font-size="11" font-weight="700" text-anchor="middle" fill="${colour.text}">${n}</text>`);
      x += w;
      total += n;
    }
    parts.push(`<text x="${labelWidth + barWidth + 8}" y="${y + 13}" font-size="12" fill="#555555">${total}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface TrendPoint {
  /** Axis label, e.g. the run date. */
  label: string;
  /** Tooltip / accessible name of the point, e.g. the run id. */
  name: string;
  score: number | null;
}

/** Trend points from runs: labelled by the date each run started, named by its run id. */
export function trendPoints(runs: readonly { runId: string; startedAt: string; score: number | null }[]): TrendPoint[] {
  return runs.map((r) => ({ label: r.startedAt.slice(0, 10), name: r.runId, score: r.score }));
}

export interface TrendLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  /** Where the first and the last run are placed on x. */
  xRange: { from: number; to: number };
  /** One per input point; `y` is null for a run without a score (nothing scored). */
  points: { x: number; y: number | null; score: number | null; label: string; name: string; showLabel: boolean }[];
  /** Runs of consecutive scored points, joined by lines; an unscored run breaks the line rather than faking a value. */
  lines: { x: number; y: number }[][];
  gridlines: { value: number; y: number }[];
}

/**
 * Geometry of the score trend (0–100 on y, runs evenly spaced on x, oldest left), shared by the SVG and the PDF
 * renderer so both draw the same chart. At most ~10 x-axis labels are shown; the first and last always.
 */
export function trendLayout(points: readonly TrendPoint[], width: number, height: number): TrendLayout {
  const plot = { left: 44, top: 22, right: width - 16, bottom: height - 34 };
  // Points sit inside the plot so the first and last stay clear of the axis labels.
  const xRange = { from: plot.left + 28, to: plot.right - 28 };
  const span = xRange.to - xRange.from;
  const step = Math.max(1, Math.ceil(points.length / 10));
  const yOf = (score: number): number => plot.bottom - (Math.max(0, Math.min(100, score)) / 100) * (plot.bottom - plot.top);
  const laid = points.map((p, i) => ({
    x: points.length === 1 ? xRange.from + span / 2 : xRange.from + (i / (points.length - 1)) * span,
    y: p.score === null ? null : yOf(p.score),
    score: p.score,
    label: p.label,
    name: p.name,
    showLabel: i === 0 || i === points.length - 1 || (i % step === 0 && points.length - 1 - i >= step / 2),
  }));
  const lines: { x: number; y: number }[][] = [];
  let current: { x: number; y: number }[] = [];
  for (const p of laid) {
    if (p.y === null) {
      if (current.length) lines.push(current);
      current = [];
    } else current.push({ x: p.x, y: p.y });
  }
  if (current.length) lines.push(current);
  return { width, height, plot, xRange, points: laid, lines, gridlines: [0, 25, 50, 75, 100].map((value) => ({ value, y: yOf(value) })) };
}

/** A line chart of the security score per run (0–100), each point labelled with its value. */
export function renderScoreTrend(points: readonly TrendPoint[], title: string): string {
  const layout = trendLayout(points, 720, 240);
  const { plot } = layout;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-trend" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
  ];
  for (const g of layout.gridlines) {
    parts.push(
      `<line x1="${plot.left}" y1="${num(g.y)}" x2="${plot.right}" y2="${num(g.y)}" stroke="${g.value === 0 ? '#9e9e9e' : '#e0e0e0'}" stroke-width="1"/>`,
      `<text x="${plot.left - 6}" y="${num(g.y)}" dy="0.35em" font-size="11" text-anchor="end" fill="#555555">${g.value}</text>`,
    );
  }
  if (points.length === 0) {
    parts.push(`<text x="${num((plot.left + plot.right) / 2)}" y="${num((plot.top + plot.bottom) / 2)}" font-size="13" text-anchor="middle" fill="#555555">no runs to compare</text>`);
  }
  for (const line of layout.lines) {
    if (line.length > 1) parts.push(`<polyline points="${line.map((p) => `${num(p.x)},${num(p.y)}`).join(' ')}" fill="none" stroke="#0b3d91" stroke-width="2.5" stroke-linejoin="round"/>`);
  }
  for (const p of layout.points) {
    const tip = `${p.name}: ${p.score === null ? 'no score' : p.score.toFixed(1)}`;
    if (p.y === null) {
      parts.push(`<text x="${num(p.x)}" y="${num(plot.bottom - 6)}" font-size="11" text-anchor="middle" fill="#555555">n/a<title>${escapeXml(tip)}</title></text>`);
    } else {
      parts.push(
        `<circle cx="${num(p.x)}" cy="${num(p.y)}" r="4.5" fill="#ffffff" stroke="#0b3d91" stroke-width="2"><title>${escapeXml(tip)}</title></circle>`,
        `<text x="${num(p.x)}" y="${num(p.y - 9)}" font-size="11" font-weight="700" text-anchor="middle" fill="#1a1a1a">${p.score!.toFixed(1)}</text>`,
      );
    }
    if (p.showLabel) parts.push(`<text x="${num(p.x)}" y="${num(plot.bottom + 18)}" font-size="11" text-anchor="middle" fill="#555555">${escapeXml(p.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
