/**
 * The sync history chart: records changed and failures per run, as an inline SVG bar chart.
 * A pure string builder (no DOM, no JavaScript in the page); the table next to it carries the same
 * numbers for screen readers and for reading exact values.
 *
 * @module
 */
import type { RunRecord } from "../sync/run.ts";
import { shortStamp } from "./format.ts";

/** One run in the chart. */
export interface RunPoint {
  /** ISO instant the run started. */
  at: string;
  /** Records changed (updated or created). */
  changes: number;
  /** Quarantined records, codes not found and errors. */
  failures: number;
  /** The run failed as a whole (its cursor did not move). */
  failed: boolean;
}

/** Drawing options. */
export interface ChartOptions {
  width?: number;
  height?: number;
  /** Accessible title (also the `<title>` of the SVG). */
  title?: string;
}

/** NHS colours used by the chart (all at least 4.5:1 on white). */
export const CHART_COLOURS = {
  changes: "#005eb8",
  failures: "#d5281b",
  text: "#212b32",
  grid: "#d8dde0",
  axis: "#4c6272",
} as const;

/** Chart points for runs given newest first (as stored): oldest first, at most `limit`. */
export function runPoints(runs: readonly RunRecord[], limit = 30): RunPoint[] {
  return runs.slice(0, limit).reverse().map((r) => ({
    at: r.started_at,
    changes: r.changed,
    failures: r.quarantined.length + r.not_found.length + r.errors.length,
    failed: r.outcome === "failed",
  }));
}

/**
 * Up to about five round tick values from 0 to at least `max` (steps of 1, 2 or 5 × 10ⁿ).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { niceTicks } from "./chart.ts";
 *
 * deepEqual(niceTicks(635), [0, 200, 400, 600, 800]);
 * ```
 */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v * 1e9) / 1e9);
  return ticks;
}

/** Escape text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const num = (n: number) => String(Math.round(n * 10) / 10);

/** Space around the plot area, for the legend, the value axis and the run labels. */
const MARGIN = { top: 40, right: 12, bottom: 52, left: 52 } as const;

/** Where things go: the SVG's size, the plot area and the value scale. */
interface Frame {
  width: number;
  height: number;
  plotW: number;
  plotH: number;
  /** The largest value on the axis (its last tick). */
  top: number;
  /** The y coordinate of a value. */
  y: (v: number) => number;
}

function frameOf(width: number, height: number, top: number): Frame {
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  return { width, height, plotW, plotH, top, y: (v) => MARGIN.top + plotH - (v / top) * plotH };
}

/** The chart's `<desc>`: the runs' span and totals in words. */
function chartDescription(points: readonly RunPoint[]): string {
  if (!points.length) return "No sync runs yet.";
  const totalChanges = points.reduce((s, p) => s + p.changes, 0);
  const totalFailures = points.reduce((s, p) => s + p.failures, 0);
  const failedRuns = points.filter((p) => p.failed).length;
  return `${points.length} runs from ${shortStamp(points[0].at).join(" ")} to ${
    shortStamp(points[points.length - 1].at).join(" ")
  }: ${totalChanges} records changed, ${totalFailures} failures, ${failedRuns} failed runs.`;
}

/** The opening `<svg>` tag with its title, description and the legend. */
function chartHead(width: number, height: number, title: string, desc: string): string[] {
  const c = CHART_COLOURS;
  const m = MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-labelledby="sync-chart-title sync-chart-desc" focusable="false">`,
    `<title id="sync-chart-title">${escapeXml(title)}</title>`,
    `<desc id="sync-chart-desc">${escapeXml(desc)}</desc>`,
    `<rect x="${m.left}" y="10" width="14" height="14" fill="${c.changes}"/>`,
    `<text x="${m.left + 20}" y="22" font-size="14" fill="${c.text}">Records changed</text>`,
    `<rect x="${m.left + 160}" y="10" width="14" height="14" fill="${c.failures}"/>`,
    `<text x="${m.left + 180}" y="22" font-size="14" fill="${c.text}">Failures</text>`,
  ];
}

/** A horizontal grid line and its value label for each tick (the zero line as the axis). */
function gridLines(f: Frame, ticks: readonly number[]): string[] {
  const c = CHART_COLOURS;
  return ticks.flatMap((t) => [
    `<line x1="${MARGIN.left}" x2="${f.width - MARGIN.right}" y1="${num(f.y(t))}" ` +
    `y2="${num(f.y(t))}" stroke="${t === 0 ? c.axis : c.grid}" stroke-width="1"/>`,
    `<text x="${MARGIN.left - 6}" y="${num(f.y(t) + 5)}" font-size="13" text-anchor="end" ` +
    `fill="${c.text}">${t.toLocaleString("en-GB")}</text>`,
  ]);
}

/** One bar at `x`, with its value above it when not zero. */
function valueBar(f: Frame, x: number, width: number, fill: string, v: number): string[] {
  // Non-zero values stay visible next to much larger ones.
  const h = v > 0 ? Math.max(2, (v / f.top) * f.plotH) : 0;
  const out = [
    `<rect x="${num(x)}" y="${num(f.y(0) - h)}" width="${num(width)}" height="${num(h)}" ` +
    `fill="${fill}"/>`,
  ];
  if (v > 0) {
    out.push(
      `<text x="${num(x + width / 2)}" y="${num(f.y(0) - h - 4)}" font-size="12" ` +
        `text-anchor="middle" fill="${fill}">${v}</text>`,
    );
  }
  return out;
}

/** A run's two bars centred on `cx` (changes, failures), marked "failed" above if it failed. */
function runBars(f: Frame, p: RunPoint, cx: number, bar: number): string[] {
  const c = CHART_COLOURS;
  const out = [
    ...valueBar(f, cx - bar - 1, bar, c.changes, p.changes),
    ...valueBar(f, cx + 1, bar, c.failures, p.failures),
  ];
  if (p.failed) {
    out.push(
      `<text x="${num(cx)}" y="${num(f.y(Math.max(p.changes, p.failures)) - 20)}" ` +
        `font-size="12" font-weight="bold" text-anchor="middle" fill="${c.failures}">failed</text>`,
    );
  }
  return out;
}

/** A run's UK date and time below the plot, centred on `cx`. */
function runLabel(f: Frame, at: string, cx: number): string[] {
  const [day, time] = shortStamp(at);
  const row = (dy: number, text: string) =>
    `<text x="${num(cx)}" y="${f.height - MARGIN.bottom + dy}" font-size="13" ` +
    `text-anchor="middle" fill="${CHART_COLOURS.text}">${escapeXml(text)}</text>`;
  return [row(20, day), row(38, time)];
}

/** The plot: grid lines, then each run's bars, with a date label on about twelve of them. */
function plot(points: readonly RunPoint[], width: number, height: number): string[] {
  const ticks = niceTicks(Math.max(1, ...points.map((p) => Math.max(p.changes, p.failures))));
  const f = frameOf(width, height, ticks[ticks.length - 1]);
  const slot = f.plotW / points.length;
  const bar = Math.max(2, Math.min(28, slot * 0.32));
  const labelEvery = Math.ceil(points.length / 12);
  const out = gridLines(f, ticks);
  points.forEach((p, i) => {
    const cx = MARGIN.left + slot * i + slot / 2;
    out.push(...runBars(f, p, cx, bar));
    if (i % labelEvery === 0) out.push(...runLabel(f, p.at, cx));
  });
  return out;
}

/**
 * The chart as an SVG string, sized by its `viewBox` so it scales to its container. Each run is
 * a slot with two bars (changes in blue, failures in red), their values above them, and the
 * run's UK date and time below; a failed run is marked "failed".
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { syncChart } from "./chart.ts";
 *
 * const svg = syncChart([
 *   { at: "2026-11-24T06:00:00Z", changes: 12, failures: 1, failed: false },
 *   { at: "2026-11-25T06:00:00Z", changes: 0, failures: 0, failed: true },
 * ]);
 * ok(svg.startsWith("<svg") && svg.includes(">failed</text>"));
 * ```
 */
export function syncChart(points: readonly RunPoint[], options: ChartOptions = {}): string {
  const width = options.width ?? 760;
  const height = options.height ?? 280;
  const title = options.title ?? "Records changed and failures per sync run";
  const head = chartHead(width, height, title, chartDescription(points));
  const body = points.length ? plot(points, width, height) : [
    `<text x="${width / 2}" y="${height / 2}" font-size="16" text-anchor="middle" ` +
    `fill="${CHART_COLOURS.text}">No sync runs yet</text>`,
  ];
  return [...head, ...body, "</svg>"].join("");
}
