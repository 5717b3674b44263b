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
 * niceTicks(635); // [0, 200, 400, 600, 800]
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

/**
 * The chart as an SVG string, sized by its `viewBox` so it scales to its container. Each run is
 * a slot with two bars (changes in blue, failures in red), their values above them, and the
 * run's UK date and time below; a failed run is marked "failed".
 *
 * @example
 * ```ts
 * const svg = syncChart(runPoints(await listRuns(store, 30)));
 * ```
 */
export function syncChart(points: readonly RunPoint[], options: ChartOptions = {}): string {
  const width = options.width ?? 760;
  const height = options.height ?? 280;
  const title = options.title ?? "Records changed and failures per sync run";
  const m = { top: 40, right: 12, bottom: 52, left: 52 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const c = CHART_COLOURS;
  const totalChanges = points.reduce((s, p) => s + p.changes, 0);
  const totalFailures = points.reduce((s, p) => s + p.failures, 0);
  const failedRuns = points.filter((p) => p.failed).length;
  const desc = points.length
    ? `${points.length} runs from ${shortStamp(points[0].at).join(" ")} to ${
      shortStamp(points[points.length - 1].at).join(" ")
    }: ${totalChanges} records changed, ${totalFailures} failures, ${failedRuns} failed runs.`
    : "No sync runs yet.";
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-labelledby="sync-chart-title sync-chart-desc" focusable="false">`,
    `<title id="sync-chart-title">${escapeXml(title)}</title>`,
    `<desc id="sync-chart-desc">${escapeXml(desc)}</desc>`,
    // Legend.
    `<rect x="${m.left}" y="10" width="14" height="14" fill="${c.changes}"/>`,
    `<text x="${m.left + 20}" y="22" font-size="14" fill="${c.text}">Records changed</text>`,
    `<rect x="${m.left + 160}" y="10" width="14" height="14" fill="${c.failures}"/>`,
    `<text x="${m.left + 180}" y="22" font-size="14" fill="${c.text}">Failures</text>`,
  ];
  if (!points.length) {
    out.push(
      `<text x="${width / 2}" y="${height / 2}" font-size="16" text-anchor="middle" ` +
        `fill="${c.text}">No sync runs yet</text>`,
      "</svg>",
    );
    return out.join("");
  }
  const ticks = niceTicks(Math.max(1, ...points.map((p) => Math.max(p.changes, p.failures))));
  const top = ticks[ticks.length - 1];
  const y = (v: number) => m.top + plotH - (v / top) * plotH;
  for (const t of ticks) {
    out.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${num(y(t))}" y2="${num(y(t))}" ` +
        `stroke="${t === 0 ? c.axis : c.grid}" stroke-width="1"/>`,
      `<text x="${m.left - 6}" y="${num(y(t) + 5)}" font-size="13" text-anchor="end" ` +
        `fill="${c.text}">${t.toLocaleString("en-GB")}</text>`,
    );
  }
  const slot = plotW / points.length;
  const bar = Math.max(2, Math.min(28, slot * 0.32));
  const labelEvery = Math.ceil(points.length / 12);
  points.forEach((p, i) => {
    const cx = m.left + slot * i + slot / 2;
    const bars: [number, string, number][] = [
      [cx - bar - 1, c.changes, p.changes],
      [cx + 1, c.failures, p.failures],
    ];
    for (const [x, fill, v] of bars) {
      // Non-zero values stay visible next to much larger ones.
      const h = v > 0 ? Math.max(2, (v / top) * plotH) : 0;
      out.push(
        `<rect x="${num(x)}" y="${num(y(0) - h)}" width="${num(bar)}" height="${num(h)}" ` +
          `fill="${fill}"/>`,
      );
      if (v > 0) {
        out.push(
          `<text x="${num(x + bar / 2)}" y="${num(y(0) - h - 4)}" font-size="12" ` +
            `text-anchor="middle" fill="${fill}">${v}</text>`,
        );
      }
    }
    if (p.failed) {
      out.push(
        `<text x="${num(cx)}" y="${num(y(Math.max(p.changes, p.failures)) - 20)}" ` +
          `font-size="12" font-weight="bold" text-anchor="middle" fill="${c.failures}">failed</text>`,
      );
    }
    if (i % labelEvery === 0) {
      const [day, time] = shortStamp(p.at);
      out.push(
        `<text x="${num(cx)}" y="${height - m.bottom + 20}" font-size="13" ` +
          `text-anchor="middle" fill="${c.text}">${escapeXml(day)}</text>`,
        `<text x="${num(cx)}" y="${height - m.bottom + 38}" font-size="13" ` +
          `text-anchor="middle" fill="${c.text}">${escapeXml(time)}</text>`,
      );
    }
  });
  out.push("</svg>");
  return out.join("");
}
