/**
 * Hostile clients and broken stores: idle and slow connections while `/health` is measured,
 * descriptor exhaustion under a low `ulimit -n`, request bodies cut short, and stores that are
 * no Deno KV database. Every loop is bounded in count and time and talks to loopback only.
 *
 * @module
 */
import { START_ARGS, startService } from "../testing/proc.ts";
import type { StoreTemplate } from "../testing/world.ts";
import type { Check, PartResult } from "./common.ts";

const encoder = new TextEncoder();

/** How much to throw at the service. */
export interface HostileSize {
  /** Idle connections held while `/health` is measured. */
  idle: number;
  /** Connections sending one header byte every 200 ms (slowloris). */
  slow: number;
  /** How long the idle and slow connections are held. */
  holdMs: number;
  /** Request bodies cut short. */
  aborted: number;
}

/** The CI size and the full size. */
export const HOSTILE_SIZES: Readonly<Record<"short" | "full", HostileSize>> = {
  short: { idle: 300, slow: 30, holdMs: 2_000, aborted: 50 },
  full: { idle: 2_000, slow: 200, holdMs: 10_000, aborted: 500 },
};

/** `/health` timings (ms) taken one after another for `ms`. */
async function healthLatency(url: string, ms: number): Promise<{ times: number[]; bad: number }> {
  const times: number[] = [];
  let bad = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t = performance.now();
    const res = await fetch(`${url}/health`).catch(() => null);
    if (!res || res.status !== 200) bad++;
    await res?.body?.cancel();
    times.push(performance.now() - t);
  }
  return { times, bad };
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? 0;

/** Connections that connect and then send nothing, or a header byte now and then. */
async function holdConnections(port: number, idle: number, slow: number, holdMs: number) {
  const conns: Deno.Conn[] = [];
  for (let i = 0; i < idle + slow; i++) {
    try {
      conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    } catch {
      break;
    }
  }
  const slowOnes = conns.slice(idle);
  const header = encoder.encode("GET /health HTTP/1.1\r\nX-Slow: ");
  let at = 0;
  const timer = setInterval(() => {
    for (const c of slowOnes) {
      c.write(header.subarray(at % header.length, (at % header.length) + 1)).catch(() => {});
    }
    at++;
  }, 200);
  return {
    opened: conns.length,
    release: () => {
      clearInterval(timer);
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // already closed by the other side
        }
      }
    },
    holdMs,
  };
}

/** Idle and slow connections while `/health` is measured. */
async function idleAndSlow(template: StoreTemplate, size: HostileSize): Promise<Check[]> {
  const service = await startService({ kvPath: await template.copy("hostile-idle") });
  try {
    const held = await holdConnections(service.port, size.idle, size.slow, size.holdMs);
    const { times, bad } = await healthLatency(service.url, size.holdMs);
    held.release();
    return [{
      name: `/health answers while ${held.opened} idle and slow connections are held`,
      ok: bad === 0 && p99(times) <= 100,
      detail: `${times.length} requests, ${bad} failed, p99 ${p99(times).toFixed(1)} ms (≤ 100)`,
    }];
  } finally {
    await service.stop();
  }
}

/** Twice the descriptor limit in idle connections: the service stays up and answers again. */
async function descriptorExhaustion(template: StoreTemplate): Promise<Check[]> {
  const kvPath = await template.copy("hostile-fds");
  const child = new Deno.Command("sh", {
    args: ["-c", 'ulimit -n 256 && exec "$0" "$@"', Deno.execPath(), ...START_ARGS],
    env: { PORT: "0", KV_PATH: kvPath, SYNC_CRON: "false" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const reading = (async () => {
    let rest = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      lines.push(...parts);
    }
  })();
  const wait = async (pattern: RegExp, ms: number) => {
    for (const end = performance.now() + ms; performance.now() < end;) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    return null;
  };
  try {
    const listening = await wait(/"msg":"listening"/, 20_000);
    if (!listening) return [{ name: "descriptor exhaustion", ok: false, detail: "never listened" }];
    const port = Number(new URL(JSON.parse(listening).url).port);
    const held = await holdConnections(port, 512, 0, 0);
    const failed = await wait(/the listener failed/, 5_000);
    held.release();
    const t = performance.now();
    let status = 0;
    while (status !== 200 && performance.now() - t < 5_000) {
      status = await fetch(`http://127.0.0.1:${port}/health`)
        .then(async (r) => (await r.body?.cancel(), r.status)).catch(() => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    const back = performance.now() - t;
    const episodes = lines.filter((l) => l.includes("the listener failed")).length;
    return [
      {
        name: "under ulimit -n 256, 512 idle connections don't stop the service",
        ok: status === 200,
        detail: `${held.opened} connections opened; ${
          failed ? "listener failure logged" : "no failure"
        }`,
      },
      {
        name: "/health answers within a second of the connections closing",
        ok: status === 200 && back <= 1_000,
        detail: `${back.toFixed(0)} ms`,
      },
      {
        name: "the episode is logged once",
        ok: episodes <= 1,
        detail: `${episodes} error line(s)`,
      },
    ];
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await reading.catch(() => {});
  }
}

/** Request bodies cut short: no 5xx, no error-level log line. */
async function abortedBodies(template: StoreTemplate, n: number): Promise<Check[]> {
  const service = await startService({
    kvPath: await template.copy("hostile-aborted"),
    env: { API_KEYS: "hostile-suite-key-0123456789" },
  });
  try {
    for (let i = 0; i < n; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: service.port });
      const origin = `http://127.0.0.1:${service.port}`;
      await conn.write(encoder.encode(
        `POST /ui/login HTTP/1.1\r\nHost: 127.0.0.1:${service.port}\r\nOrigin: ${origin}\r\n` +
          "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nkey=",
      ));
      conn.close();
    }
    await service.waitForLine(/"path":"\/ui\/login"/, 5_000).catch(() => "");
    const health = await fetch(`${service.url}/health`);
    await health.body?.cancel();
    const errors = service.stderr.filter((l) => l.includes('"level":"error"')).length;
    return [{
      name: `${n} request bodies cut short: no error-level log line, the service answers`,
      ok: errors === 0 && health.status === 200,
      detail: `${errors} error line(s); /health ${health.status}`,
    }];
  } finally {
    await service.stop();
  }
}

/** A store file that is no Deno KV database: exit 5 naming KV_PATH, no stack trace. */
async function corruptStore(): Promise<Check[]> {
  const dir = await Deno.makeTempDir({ prefix: "hostile-store-" });
  try {
    const path = `${dir}/store.sqlite`;
    await Deno.writeFile(path, crypto.getRandomValues(new Uint8Array(8192)));
    const out = await new Deno.Command(Deno.execPath(), {
      args: [...START_ARGS],
      env: { PORT: "0", KV_PATH: path, SYNC_CRON: "false" },
      stdout: "null",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    return [{
      name: "a corrupt store stops the start with exit 5, naming KV_PATH and the problem",
      ok: out.code === 5 && stderr.includes(`KV_PATH=${path}`) && !stderr.includes("    at "),
      detail: `exit ${out.code}: ${stderr.trim().split("\n").at(-1)?.slice(0, 120)}`,
    }];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * The hostile-clients part of the suite.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: it starts the service several times.
 * import { hostileClients, HOSTILE_SIZES } from "./hostile.ts";
 * const result = await hostileClients(template, HOSTILE_SIZES.short);
 * ```
 */
export async function hostileClients(
  template: StoreTemplate,
  size: HostileSize,
): Promise<PartResult> {
  const started = performance.now();
  const checks = [
    ...await idleAndSlow(template, size),
    ...await descriptorExhaustion(template),
    ...await abortedBodies(template, size.aborted),
    ...await corruptStore(),
  ];
  return {
    part: "Hostile clients",
    summary: `${size.idle} idle and ${size.slow} slow connections for ${size.holdMs / 1000} s, ` +
      `512 connections under ulimit -n 256, ${size.aborted} bodies cut short, a corrupt store`,
    checks,
    ms: performance.now() - started,
  };
}
