/**
 * The HTTP load generator, always a separate process: `wrk` from Debian (installed with apt-get
 * when missing), or `autocannon` from npm (run by Node through npx) when apt is not available.
 * Traffic goes to loopback only; every run is bounded in time.
 *
 * @module
 */

/** Which load generator is in use. */
export type LoadGenerator = "wrk" | "autocannon";

/** The autocannon release used when wrk can't be installed. */
export const AUTOCANNON = "autocannon@9.0.0";

/** One load run. */
export interface LoadOptions {
  /** Origin, e.g. `http://127.0.0.1:8000` (must be loopback). */
  origin: string;
  /** Paths requested, picked at random per request (wrk) or cycled (autocannon). */
  paths: readonly string[];
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
}

/** What a load run measured. */
export interface LoadResult {
  requests: number;
  /** Requests per second over the run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Responses with status ≥ 400. */
  non2xx: number;
  bytes: number;
}

async function has(command: string): Promise<boolean> {
  try {
    const out = await new Deno.Command("sh", { args: ["-c", `command -v ${command}`] }).output();
    return out.success;
  } catch {
    return false;
  }
}

/**
 * Make sure a load generator is installed: `wrk` (apt-get when missing and running as root),
 * else `autocannon` through npx. Returns the one to use.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: it may install wrk with apt-get.
 * import { ensureLoadGenerator } from "./loadgen.ts";
 * const generator = await ensureLoadGenerator(console.error);
 * ```
 */
export async function ensureLoadGenerator(
  log: (line: string) => void = () => {},
): Promise<LoadGenerator> {
  if (await has("wrk")) return "wrk";
  if (await has("apt-get")) {
    log("installing wrk with apt-get ...");
    const cmd =
      "(apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))";
    const out = await new Deno.Command("sh", {
      args: ["-c", `${cmd} >/dev/null 2>&1`],
      env: { DEBIAN_FRONTEND: "noninteractive" },
    }).output();
    if (out.success && await has("wrk")) return "wrk";
  }
  if (!await has("npx")) throw new Error("no load generator: install wrk, or Node.js for npx");
  log(`wrk unavailable; using ${AUTOCANNON} through npx`);
  const warm = await new Deno.Command("npx", { args: ["-y", AUTOCANNON, "--version"] }).output();
  if (!warm.success) throw new Error(`could not run npx ${AUTOCANNON}`);
  return "autocannon";
}

function assertLoopback(origin: string): void {
  const host = new URL(origin).hostname;
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(host)) {
    throw new Error(`load is only ever sent to loopback, not ${host}`);
  }
}

/**
 * The wrk Lua script: random paths, extra headers, and a JSON summary line at the end.
 *
 * @example
 * ```ts
 * import { wrkScript } from "./loadgen.ts";
 * import { match } from "node:assert/strict";
 * match(wrkScript(["/trusts/"], { "X-Key": "k" }), /"\/trusts\/"/);
 * ```
 */
export function wrkScript(paths: readonly string[], headers: Record<string, string>): string {
  const lua = (s: string) => JSON.stringify(s); // JSON string escapes are valid Lua for ASCII
  return [
    `local paths = {${paths.map(lua).join(",")}}`,
    `local n = #paths`,
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`),
    `local counter = 0`,
    `function setup(thread) counter = counter + 1; thread:set("id", counter) end`,
    `function init(args) math.randomseed(20261127 + (id or 0)) end`,
    `function request() return wrk.format("GET", paths[math.random(n)]) end`,
    `function done(summary, latency, requests)`,
    `  local e = summary.errors`,
    `  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"errors":%d,` +
    `"non2xx":%d,"p50_us":%d,"p99_us":%d,"bytes":%d}\\n', summary.requests, summary.duration,` +
    ` e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50),` +
    ` latency:percentile(99), summary.bytes))`,
    `end`,
  ].join("\n");
}

async function runWrk(o: LoadOptions): Promise<LoadResult> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  try {
    await Deno.writeTextFile(script, wrkScript(o.paths, o.headers ?? {}));
    const out = await new Deno.Command("wrk", {
      args: [
        "-t1",
        `-c${o.connections}`,
        `-d${o.durationS}s`,
        "--timeout",
        "5s",
        "-s",
        script,
        o.origin,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const m = /WRKJSON (\{.*\})/.exec(text);
    if (!m) throw new Error(`wrk gave no summary: ${text}${new TextDecoder().decode(out.stderr)}`);
    const j = JSON.parse(m[1]);
    return {
      requests: j.requests,
      rps: j.requests / (j.duration_us / 1e6),
      p50Ms: j.p50_us / 1000,
      p99Ms: j.p99_us / 1000,
      errors: j.errors,
      non2xx: j.non2xx,
      bytes: j.bytes,
    };
  } finally {
    await Deno.remove(script).catch(() => {});
  }
}

async function runAutocannon(o: LoadOptions): Promise<LoadResult> {
  // The CLI takes one URL; cycle through a few paths by splitting the time between them.
  const paths = o.paths.slice(0, Math.min(o.paths.length, 4));
  const each = Math.max(1, Math.round(o.durationS / paths.length));
  const results: LoadResult[] = [];
  for (const path of paths) {
    const args = ["-y", AUTOCANNON, "--json", "-c", String(o.connections), "-d", String(each)];
    for (const [k, v] of Object.entries(o.headers ?? {})) args.push("-H", `${k}=${v}`);
    args.push(`${o.origin}${path}`);
    const out = await new Deno.Command("npx", { args, stdout: "piped", stderr: "piped" }).output();
    const j = JSON.parse(new TextDecoder().decode(out.stdout));
    results.push({
      requests: j.requests.total,
      rps: j.requests.average,
      p50Ms: j.latency.p50,
      p99Ms: j.latency.p99,
      errors: j.errors + j.timeouts,
      non2xx: j.non2xx,
      bytes: j.throughput.total,
    });
  }
  const sum = (f: (r: LoadResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    requests: sum((r) => r.requests),
    rps: sum((r) => r.rps) / results.length,
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    bytes: sum((r) => r.bytes),
  };
}

/**
 * Run one bounded load against loopback with the chosen generator.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: it loads the machine for `durationS` seconds.
 * import { runLoad } from "./loadgen.ts";
 * const r = await runLoad("wrk", {
 *   origin: "http://127.0.0.1:8000",
 *   paths: ["/trusts/"],
 *   connections: 16,
 *   durationS: 5,
 * });
 * console.log(r.rps, r.p99Ms);
 * ```
 */
export async function runLoad(generator: LoadGenerator, o: LoadOptions): Promise<LoadResult> {
  assertLoopback(o.origin);
  return generator === "wrk" ? await runWrk(o) : await runAutocannon(o);
}
