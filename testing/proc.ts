/**
 * Child processes for the benchmarks and the reliability suite: the service (`main.ts`) with a
 * seeded temporary store, helper servers, and what the OS says about them (peak RSS).
 *
 * @module
 */
import { Store } from "../lib/store.ts";
import { ensureSeeded } from "../lib/startup.ts";
import { setLogSink } from "../lib/log.ts";

/** The project root (where `deno.json` is). */
export const ROOT: string = new URL("..", import.meta.url).pathname;

/**
 * The `deno` arguments of `deno task start` (from `deno.json`: permissions, V8 flags, `main.ts`),
 * so the service measured is the service started.
 */
export const START_ARGS: readonly string[] = (() => {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)) as {
    tasks: { start: string };
  };
  const [deno, ...args] = config.tasks.start.trim().split(/\s+/);
  if (deno !== "deno" || args.at(-1) !== "main.ts") {
    throw new Error(`unexpected start task: ${config.tasks.start}`);
  }
  return args;
})();

/** A running child process with its stderr collected line by line. */
export interface Child {
  readonly process: Deno.ChildProcess;
  readonly pid: number;
  /** Lines written to stderr so far (capped to the last 200). */
  readonly stderr: string[];
  /** Lines written to stdout so far (capped to the last 200). */
  readonly stdout: string[];
  /** Resolves with the first line matching `pattern` on stdout or stderr. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM (or `signal`), then wait for the exit. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

async function pump(
  stream: ReadableStream<Uint8Array>,
  lines: string[],
  onLine: (line: string) => void,
  listening: () => boolean,
): Promise<void> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of stream) {
    // Under load the service logs a line per request; splitting them here would take CPU
    // from the very process being measured. Lines are only read while someone waits for one;
    // otherwise the pipe is drained and just the tail is kept for error messages.
    if (!listening()) {
      rest = "";
      lines.length = 0;
      lines.push(decoder.decode(chunk.subarray(Math.max(0, chunk.length - 2000))));
      continue;
    }
    rest += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = rest.indexOf("\n")) >= 0) {
      const line = rest.slice(0, i);
      rest = rest.slice(i + 1);
      lines.push(line);
      if (lines.length > 200) lines.shift();
      onLine(line);
    }
  }
}

/**
 * Spawn a Deno script from the project root. Its output is always drained (a full pipe would
 * stall a server under load); only the last lines are kept.
 *
 * @example
 * ```ts
 * import { spawnDeno } from "./proc.ts";
 * import { equal } from "node:assert/strict";
 * const child = spawnDeno(["eval", "console.log('ready')"]);
 * equal(await child.waitForLine(/ready/), "ready");
 * await child.stop();
 * ```
 */
export function spawnDeno(
  args: string[],
  env: Record<string, string> = {},
  options: { readLines?: "always" | "while-waiting" } = {},
): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr: string[] = [];
  const stdout: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  const listening = options.readLines === "while-waiting" ? () => waiters.length > 0 : () => true;
  pump(process.stdout, stdout, onLine, listening).catch(() => {});
  pump(process.stderr, stderr, onLine, listening).catch(() => {});
  let exited = false;
  const status = process.status.finally(() => exited = true);
  return {
    process,
    pid: process.pid,
    stderr,
    stdout,
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = [...stdout, ...stderr].find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `timed out waiting for ${pattern} from deno ${args.join(" ")}:\n` +
                stderr.slice(-10).join("\n"),
            ),
          );
        }, timeoutMs);
        status.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before ${pattern}:\n${stderr.slice(-10).join("\n")}`));
        });
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    async stop(signal: Deno.Signal = "SIGTERM") {
      if (!exited) {
        try {
          process.kill(signal);
        } catch {
          // already gone
        }
      }
      return await status;
    },
  };
}

/**
 * A free TCP port on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { freePort } from "./proc.ts";
 * import { ok } from "node:assert/strict";
 * ok(freePort() > 0);
 * ```
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Peak resident set size of a process in bytes (`VmHWM`), or `null` when unknown.
 *
 * @example
 * ```ts
 * import { peakRss } from "./proc.ts";
 * import { ok } from "node:assert/strict";
 * const rss = await peakRss(Deno.pid);
 * ok(rss === null || rss > 0);
 * ```
 */
export async function peakRss(pid: number): Promise<number | null> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Current resident set size of a process in bytes (`VmRSS`), or `null` when unknown.
 *
 * @example
 * ```ts
 * import { currentRss } from "./proc.ts";
 * import { ok } from "node:assert/strict";
 * const rss = await currentRss(Deno.pid);
 * ok(rss === null || rss > 0);
 * ```
 */
export async function currentRss(pid: number): Promise<number | null> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Create a KV file at `path` holding the reference seed (quietly).
 *
 * @example
 * ```ts
 * import { seededStoreFile } from "./proc.ts";
 * import { ok } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await seededStoreFile(`${dir}/store.sqlite`);
 * ok((await Deno.stat(`${dir}/store.sqlite`)).size > 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function seededStoreFile(path: string): Promise<void> {
  const prev = setLogSink(() => {});
  try {
    const store = await Store.open(path);
    try {
      await ensureSeeded(store);
    } finally {
      store.close();
    }
  } finally {
    setLogSink(prev);
  }
}

/** Options for {@linkcode startService}. */
export interface ServiceOptions {
  kvPath: string;
  port?: number;
  env?: Record<string, string>;
  /**
   * Stop reading the service's log lines once it listens (the pipe is still drained): for
   * load measurements, where splitting a line per request would take CPU from the service.
   */
  quietAfterStart?: boolean;
}

/** A running service process. */
export interface Service extends Child {
  url: string;
  port: number;
}

/**
 * Start `main.ts` (what `deno task start` runs) and wait for its "listening" line.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: it starts the whole service (see tests/main_test.ts).
 * import { startService } from "./proc.ts";
 * const service = await startService({ kvPath: "/tmp/store.sqlite" });
 * await fetch(`${service.url}/organisations/RGT01/`);
 * await service.stop();
 * ```
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const port = options.port ?? freePort();
  const child = spawnDeno(
    [...START_ARGS],
    {
      PORT: String(port),
      KV_PATH: options.kvPath,
      SYNC_CRON: "false",
      ...options.env,
    },
    { readLines: options.quietAfterStart ? "while-waiting" : "always" },
  );
  await child.waitForLine(/"msg":"listening"/);
  return { ...child, url: `http://127.0.0.1:${port}`, port };
}

/**
 * Milliseconds elapsed since `start` (a `performance.now()` reading).
 *
 * @example
 * ```ts
 * import { since } from "./proc.ts";
 * import { ok } from "node:assert/strict";
 * ok(since(performance.now()) >= 0);
 * ```
 */
export function since(start: number): number {
  return performance.now() - start;
}

/**
 * Median of a list of numbers (`NaN` when empty).
 *
 * @example
 * ```ts
 * import { median } from "./proc.ts";
 * import { equal } from "node:assert/strict";
 * equal(median([3, 1, 2]), 2);
 * equal(median([4, 1, 2, 3]), 2.5);
 * ```
 */
export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Run `deno task sync` in a child process against `ordBaseUrl` and SIGKILL it as soon as
 * `due()` says so (polled every few milliseconds), so kill points follow the run's progress
 * rather than the machine's speed. Resolves with how the child ended.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: see tests/sync_crash_test.ts and reliability/crash.ts.
 * import { killSyncWhen } from "./proc.ts";
 * let polls = 0;
 * const status = await killSyncWhen("/tmp/store.sqlite", "http://127.0.0.1:9/ORD/2-0-0", () =>
 *   Promise.resolve(++polls > 10), 1000);
 * console.log(status.signal);
 * ```
 */
export async function killSyncWhen(
  kvPath: string,
  ordBaseUrl: string,
  due: () => Promise<boolean>,
  leaseTtlMs: number,
): Promise<Deno.CommandStatus> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "sync.ts", "--quiet"],
    cwd: ROOT,
    env: {
      KV_PATH: kvPath,
      ORD_BASE_URL: ordBaseUrl,
      ODS_RATE_LIMIT: "1000",
      ODS_RETRIES: "1",
      SYNC_LEASE_TTL_MS: String(leaseTtlMs),
      LOG_LEVEL: "error",
    },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let finished = false;
  const status = child.status.finally(() => finished = true);
  while (!finished) {
    if (await due()) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return await status;
}
