/**
 * `deno task bench`: every benchmark on this machine, side by side with its ceiling, then a
 * table on stdout and `bench/results.md` / `bench/results.json`. Exits 1 when a target is missed.
 *
 * ```sh
 * deno task bench            # the full run (about 4 minutes)
 * deno task bench --quick    # shorter measurements, for a smoke test
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { apiBenchmarks } from "./api_bench.ts";
import { ensureLoadGenerator, type LoadGenerator } from "../testing/loadgen.ts";
import { ROOT } from "../testing/proc.ts";
import {
  environment,
  type Figure,
  judge,
  type Judged,
  markdownTable,
  textTable,
  writeSection,
} from "../testing/report.ts";
import { StoreTemplate } from "../testing/world.ts";
import { gpBenchmarks } from "./gp_bench.ts";
import { syncBenchmarks } from "./sync_bench.ts";

const HELP = `Benchmarks: API throughput and latency against a bare Deno.serve, conditional GETs,
start-up, memory, GP practices at national size, sync request cost (ORD, FHIR), sync wall time under a rate limit, re-baseline,
store apply rate, and the hot pure functions (deno bench).

Usage: deno task bench [--quick] [--no-write]

  --quick      shorter measurements (smoke test; figures are noisier)
  --no-write   print the table only; leave bench/results.* alone
`;

interface HotBench {
  name: string;
  avgNs: number;
  p99Ns: number;
}

/** Run `deno bench` on the hot pure functions and read its JSON report. */
async function hotBenchmarks(): Promise<HotBench[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["bench", "--json", "--no-check", "-A", "bench/hot_bench.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const report = JSON.parse(text.slice(text.indexOf("{"))) as {
    benches: { name: string; results: { ok?: { avg: number; p99: number } }[] }[];
  };
  return report.benches.map((b) => ({
    name: b.name,
    avgNs: b.results[0]?.ok?.avg ?? NaN,
    p99Ns: b.results[0]?.ok?.p99 ?? NaN,
  }));
}

function micro(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`;
}

/** What one run measured. */
interface Measured {
  figures: Figure[];
  raw: unknown;
  hot: HotBench[];
}

/** Every benchmark, in order: the API, the sync and the store, then the hot functions. */
async function measure(
  generator: LoadGenerator,
  quick: boolean,
  log: (line: string) => void,
): Promise<Measured> {
  const dir = await Deno.makeTempDir({ prefix: "nhs-bench-" });
  const template = new StoreTemplate(dir);
  try {
    const api = await apiBenchmarks(template, {
      generator,
      connections: 32,
      durationS: quick ? 2 : 3,
      rounds: quick ? 2 : 5,
      stormS: quick ? 4 : 10,
      log,
    });
    log("gp: a national set of GP practices");
    const gp = await gpBenchmarks(template, {
      generator,
      connections: 32,
      durationS: quick ? 2 : 3,
      rounds: quick ? 2 : 5,
      log,
    });
    const sync = await syncBenchmarks(template, {
      untracked: 30_000,
      changed: 5_000,
      tracked: 400,
      rate: 100,
      latencyMs: 20,
      concurrency: 4,
      log,
    });
    log("hot functions: deno bench bench/hot_bench.ts");
    const hot = await hotBenchmarks();
    return { figures: [...api.figures, ...gp, ...sync], raw: api.raw, hot };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The "Benchmarks" section of `bench/results.md`. */
function resultsMarkdown(
  judged: readonly Judged[],
  hot: readonly HotBench[],
  o: { quick: boolean; env: Record<string, string>; generator: LoadGenerator; seconds: number },
): string {
  const missed = judged.filter((j) => !j.met);
  return [
    "## Benchmarks",
    "",
    `\`deno task bench${o.quick ? " --quick" : ""}\` on ${o.env.date.slice(0, 10)}: ` +
    `${o.env.cpu}, ${o.env.cores} cores, Deno ${o.env.deno}, ${o.env.os}; load generator ` +
    `\`${o.generator}\` in its own process; ${o.seconds} s. ${
      missed.length ? `**${missed.length} target(s) missed.**` : "Every target met."
    }`,
    "",
    markdownTable(judged),
    "",
    "Throughput is the service's requests per second as a share of a bare `Deno.serve` " +
    "sending the same bytes for the same paths (the ceiling for this runtime): the service's " +
    "own responses, recorded once and replayed with the same status, headers and body, with " +
    "no routing, conditional-request check or logging. Each round measures the service, that " +
    "server and a second bare server sending only the body and its `Content-Type` (a faster " +
    "path in Deno than any response with more headers; its ratio is in the `how` column), in " +
    "rotating order; the ratio of each round is taken, then the median.",
    "",
    "### Hot pure functions (`deno bench bench/hot_bench.ts`)",
    "",
    "| function | average | p99 |",
    "|---|---:|---:|",
    ...hot.map((h) => `| ${h.name} | ${micro(h.avgNs)} | ${micro(h.p99Ns)} |`),
  ].join("\n");
}

function printResults(judged: readonly Judged[], hot: readonly HotBench[]): void {
  console.log(textTable(judged));
  if (hot.length) {
    console.log("\nhot functions (deno bench):");
    for (const h of hot) console.log(`  ${h.name.padEnd(52)} ${micro(h.avgNs)}`);
  }
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const quick = values.quick;
  const log = (line: string) => console.error(`[bench] ${line}`);
  const started = performance.now();
  const generator = await ensureLoadGenerator(log);
  log(`load generator: ${generator}`);
  const { figures, raw, hot } = await measure(generator, quick, log);
  const judged = figures.map(judge);
  printResults(judged, hot);
  const missed = judged.filter((j) => !j.met);
  if (!values["no-write"]) {
    const env = await environment();
    const seconds = Math.round((performance.now() - started) / 1000);
    const md = resultsMarkdown(judged, hot, { quick, env, generator, seconds });
    await writeSection("bench", md, { environment: env, quick, figures: judged, hot, raw });
    log("wrote bench/results.md and bench/results.json");
  }
  if (missed.length) {
    console.error(`\n${missed.length} target(s) missed: ${missed.map((m) => m.what).join("; ")}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
