/**
 * `deno task reliability [--short]`: crash safety, the fault matrix, bad input, concurrency and
 * a soak, each checked against what must hold; results go to the "Reliability" section of
 * `bench/results.md` and `bench/results.json`. Exits 1 when a check fails.
 *
 * Full: 20 kill points, the whole matrix, 10,000 bad requests, 3 concurrency rounds, a 5-minute
 * soak (about 10 minutes in all). `--short`: 3 kill points, part of the matrix with every
 * combination, 1,000 bad requests, one round, a 20-second soak.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ensureLoadGenerator } from "../testing/loadgen.ts";
import { environment, RESULTS_JSON, writeSection } from "../testing/report.ts";
import { StoreTemplate } from "../testing/world.ts";
import { badInput } from "./bad_input.ts";
import { type PartResult, passed } from "./common.ts";
import { concurrency } from "./concurrency.ts";
import { crashSafety } from "./crash.ts";
import { faultMatrix } from "./faults.ts";
import { HOSTILE_SIZES, hostileClients } from "./hostile.ts";
import { soak } from "./soak.ts";

const HELP = `Reliability suite: crash safety, fault matrix, bad input, concurrency, soak.

Usage: deno task reliability [--short] [--only PART] [--no-write]

  --short        the CI-sized version (about 2 minutes)
  --only PART    one of crash, faults, bad-input, hostile, concurrency, soak
  --no-write     print only; leave bench/results.* alone
`;

/**
 * The Markdown of the suite's results.
 *
 * @example
 * ```ts
 * import { markdown } from "./run.ts";
 * import { match } from "node:assert/strict";
 * const md = markdown([{ part: "Soak", summary: "s", ms: 1000, checks: [] }], "header");
 * match(md, /^## Reliability\n\nheader/);
 * ```
 */
export function markdown(results: readonly PartResult[], header: string): string {
  const lines = ["## Reliability", "", header, ""];
  lines.push("| part | checks passed | time | what |", "|---|---:|---:|---|");
  for (const r of results) {
    const ok = r.checks.filter((c) => c.ok).length;
    lines.push(
      `| ${r.part} | ${ok} / ${r.checks.length}${passed(r) ? "" : " **FAILED**"} | ` +
        `${Math.round(r.ms / 1000)} s | ${r.summary.replaceAll("|", "\\|")} |`,
    );
  }
  for (const r of results) {
    lines.push("", `### ${r.part}`, "", "| check | result | detail |", "|---|:-:|---|");
    for (const c of r.checks) {
      lines.push(
        `| ${c.name.replaceAll("|", "\\|")} | ${c.ok ? "pass" : "**FAIL**"} | ` +
          `${c.detail.replaceAll("|", "\\|")} |`,
      );
    }
  }
  return lines.join("\n");
}

/** The parts of the last report in `bench/results.json` (none when absent). */
async function previousParts(): Promise<PartResult[]> {
  try {
    const all = JSON.parse(await Deno.readTextFile(RESULTS_JSON));
    return (all.reliability?.parts ?? []) as PartResult[];
  } catch {
    return [];
  }
}

/** Runs the parts asked for, in order, reporting each as it ends. */
async function runParts(
  o: { short: boolean; want: (part: string) => boolean; log: (line: string) => void },
): Promise<PartResult[]> {
  const { short, want, log } = o;
  const dir = await Deno.makeTempDir({ prefix: "nhs-reliability-" });
  const template = new StoreTemplate(dir);
  const results: PartResult[] = [];
  const report = (r: PartResult) => {
    results.push(r);
    log(
      `${r.part}: ${r.checks.filter((c) => c.ok).length}/${r.checks.length} checks passed ` +
        `in ${Math.round(r.ms / 1000)} s`,
    );
    for (const c of r.checks.filter((c) => !c.ok)) log(`  FAIL ${c.name}: ${c.detail}`);
  };
  try {
    if (want("crash")) {
      log(`crash safety: ${short ? 3 : 20} kill points`);
      report(await crashSafety({ points: short ? 3 : 20, untracked: short ? 5000 : 30_000 }));
    }
    if (want("faults")) {
      log("fault matrix");
      report(await faultMatrix(!short));
    }
    if (want("bad-input")) {
      log(`bad input: ${short ? 1000 : 10_000} requests`);
      report(await badInput(template, short ? 1000 : 10_000));
    }
    if (want("hostile")) {
      log("hostile clients: idle and slow connections, descriptors, cut bodies, corrupt store");
      report(await hostileClients(template, HOSTILE_SIZES[short ? "short" : "full"]));
    }
    if (want("concurrency")) {
      log(`concurrency: ${short ? 1 : 3} round(s)`);
      report(await concurrency(template, short ? 1 : 3));
    }
    if (want("soak")) {
      const generator = await ensureLoadGenerator(log);
      const seconds = short ? 20 : 300;
      log(`soak: ${seconds} s with ${generator}`);
      report(await soak(template, generator, seconds));
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return results;
}

/** Writes the "Reliability" section; a part re-run alone keeps the others from the last run. */
async function writeResults(
  results: PartResult[],
  o: { short: boolean; only: string | undefined; seconds: number },
): Promise<void> {
  if (o.only) {
    // One part re-run: keep the other parts of the last full report.
    const kept = await previousParts();
    const names = new Set(results.map((r) => r.part));
    results.unshift(...kept.filter((p) => !names.has(p.part)));
  }
  const failed = results.filter((r) => !passed(r));
  const env = await environment();
  const header = `\`deno task reliability${o.short ? " --short" : ""}\`` +
    `${o.only ? ` (part "${o.only}" re-run alone; other parts from the last run)` : ""} on ` +
    `${env.date.slice(0, 10)}: ${env.cpu}, ${env.cores} cores, Deno ${env.deno}; ` +
    `${o.seconds} s. ` +
    (failed.length ? `**${failed.length} part(s) failed.**` : "Every check passed.");
  await writeSection("reliability", markdown(results, header), {
    environment: env,
    short: o.short,
    parts: results,
  });
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      short: { type: "boolean", default: false },
      only: { type: "string" },
      "no-write": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const short = values.short;
  const want = (part: string) => !values.only || values.only === part;
  const log = (line: string) => console.error(`[reliability] ${line}`);
  const started = performance.now();
  const results = await runParts({ short, want, log });
  const seconds = Math.round((performance.now() - started) / 1000);
  for (const r of results) {
    console.log(
      `${passed(r) ? "pass" : "FAIL"}  ${r.part.padEnd(14)} ` +
        `${r.checks.filter((c) => c.ok).length}/${r.checks.length}  ${r.summary}`,
    );
  }
  if (!values["no-write"]) {
    await writeResults(results, { short, only: values.only, seconds });
    log("wrote bench/results.md and bench/results.json");
  }
  return results.some((r) => !passed(r)) ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
