/**
 * Figures, targets and ratios, and the results files: `bench/results.md` (one section per suite,
 * each rewritten by its own run) and `bench/results.json` (one key per suite).
 *
 * @module
 */

/** How a figure is compared with its target. */
export type Comparison = "ge" | "le" | "eq";

/** One measured figure. */
export interface Figure {
  group: string;
  what: string;
  figure: number;
  unit: string;
  target: number;
  comparison: Comparison;
  /** How it was measured, and side figures. */
  detail: string;
  /** Extra conditions that must hold besides the comparison (outcomes, correctness). */
  pass?: boolean;
}

/** A figure with its verdict. */
export interface Judged extends Figure {
  /** figure / target. */
  ratio: number;
  met: boolean;
}

const SYMBOL: Record<Comparison, string> = { ge: "≥", le: "≤", eq: "=" };

/**
 * Compare a figure with its target.
 *
 * @example
 * ```ts
 * import { judge } from "./report.ts";
 * import { equal } from "node:assert/strict";
 * const j = judge({
 *   group: "api",
 *   what: "x",
 *   figure: 90,
 *   unit: "%",
 *   target: 80,
 *   comparison: "ge",
 *   detail: "",
 * });
 * equal(j.met, true);
 * ```
 */
export function judge(f: Figure): Judged {
  const ratio = f.target === 0 ? (f.figure === 0 ? 1 : Infinity) : f.figure / f.target;
  const holds = f.comparison === "ge"
    ? f.figure >= f.target
    : f.comparison === "le"
    ? f.figure <= f.target
    : f.figure === f.target;
  return { ...f, ratio, met: holds && f.pass !== false };
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString("en-GB");
  return n.toLocaleString("en-GB", { maximumFractionDigits: 2 });
}

/**
 * The Markdown table of judged figures.
 *
 * @example
 * ```ts
 * import { judge, markdownTable } from "./report.ts";
 * import { match } from "node:assert/strict";
 * const row = judge({ group: "g", what: "x", figure: 1, unit: "ms", target: 2, comparison: "le", detail: "a|b" });
 * match(markdownTable([row]), /\| x \| 1 ms \| ≤ 2 ms \| 0\.50 \| yes \| a\\\|b \|/);
 * ```
 */
export function markdownTable(rows: readonly Judged[]): string {
  const lines = [
    "| what | figure | target | ratio | met | how |",
    "|---|---:|---:|---:|:-:|---|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.what} | ${fmt(r.figure)} ${r.unit} | ${SYMBOL[r.comparison]} ${
        fmt(r.target)
      } ${r.unit}` +
        ` | ${r.ratio.toFixed(2)} | ${r.met ? "yes" : "**no**"} | ${
          r.detail.replaceAll("|", "\\|")
        } |`,
    );
  }
  return lines.join("\n");
}

/**
 * A plain-text table for the terminal.
 *
 * @example
 * ```ts
 * import { judge, textTable } from "./report.ts";
 * import { match } from "node:assert/strict";
 * const row = judge({ group: "g", what: "x", figure: 3, unit: "ms", target: 2, comparison: "le", detail: "" });
 * match(textTable([row]), /MISSED/);
 * ```
 */
export function textTable(rows: readonly Judged[]): string {
  const cells = rows.map((r) => [
    r.what,
    `${fmt(r.figure)} ${r.unit}`,
    `${SYMBOL[r.comparison]} ${fmt(r.target)}`,
    r.ratio.toFixed(2),
    r.met ? "ok" : "MISSED",
  ]);
  const head = ["what", "figure", "target", "ratio", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Where the results go. */
export const RESULTS_MD = new URL("../bench/results.md", import.meta.url);
export const RESULTS_JSON = new URL("../bench/results.json", import.meta.url);

const TITLE = "# Performance and reliability results\n\n" +
  "Written by `deno task bench` (benchmarks) and `deno task reliability` (reliability suite); " +
  "each rewrites its own section. Figures are from one run on the machine named in each " +
  "section; throughput is compared side by side, in the same run, with a bare `Deno.serve` " +
  "serving the same bytes.\n";

/**
 * Replace one suite's section of `results.md` and its key in `results.json`, keeping the
 * other suite's.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: it rewrites bench/results.md and bench/results.json.
 * import { writeSection } from "./report.ts";
 * await writeSection("bench", "## Benchmarks\n\n…", { figures: [] });
 * ```
 */
export async function writeSection(
  name: "bench" | "reliability",
  markdown: string,
  json: unknown,
): Promise<void> {
  let md = TITLE;
  try {
    md = await Deno.readTextFile(RESULTS_MD);
  } catch {
    // first run
  }
  const start = `<!-- section:${name} -->`;
  const end = `<!-- /section:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = md.indexOf(start);
  const j = md.indexOf(end);
  if (i >= 0 && j > i) md = md.slice(0, i) + block + md.slice(j + end.length);
  else if (name === "bench" && md.includes("<!-- section:reliability -->")) {
    const at = md.indexOf("<!-- section:reliability -->");
    md = `${md.slice(0, at)}${block}\n\n${md.slice(at)}`;
  } else md = `${md.trimEnd()}\n\n${block}\n`;
  await Deno.writeTextFile(RESULTS_MD, md.endsWith("\n") ? md : `${md}\n`);

  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(await Deno.readTextFile(RESULTS_JSON));
  } catch {
    // first run
  }
  all[name] = json;
  await Deno.writeTextFile(RESULTS_JSON, `${JSON.stringify(all, null, 2)}\n`);
  // Keep the file as `deno fmt` wants it, so `deno task check` stays green after a run.
  await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", RESULTS_JSON.pathname],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => {});
}

/**
 * The machine and runtime, for the record.
 *
 * @example
 * ```ts
 * import { environment } from "./report.ts";
 * import { equal } from "node:assert/strict";
 * equal((await environment()).deno, Deno.version.deno);
 * ```
 */
export async function environment(): Promise<Record<string, string>> {
  let cpu = "unknown";
  try {
    const info = await Deno.readTextFile("/proc/cpuinfo");
    cpu = /model name\s*:\s*(.*)/.exec(info)?.[1] ?? cpu;
  } catch {
    // not Linux
  }
  return {
    date: new Date().toISOString(),
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    cpu,
    cores: String(navigator.hardwareConcurrency),
  };
}
