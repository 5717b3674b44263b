/**
 * Soak: API load on the real service for minutes while the service's own sync (`POST
 * /sync/run?full=true&wait=true`) runs again and again against a simulated ODS that keeps
 * changing. Zero errors; memory stable.
 *
 * @module
 */
import { LIST_PATHS } from "../testing/api_paths.ts";
import { type LoadGenerator, type LoadResult, runLoad } from "../testing/loadgen.ts";
import { currentRss, median, type Service, startService } from "../testing/proc.ts";
import {
  CHANGE_DAY,
  type ChangeWorld,
  startChangeWorld,
  type StoreTemplate,
} from "../testing/world.ts";
import type { Check, PartResult } from "./common.ts";

/** The service's own full sync, run again and again while ODS keeps changing. */
interface SyncLoop {
  runs: { outcome: string; changed: number; ms: number }[];
  errors: number;
}

/** RSS of the service every 2 s while `loading()`. */
async function sampleRss(
  pid: number,
  started: number,
  loading: () => boolean,
  samples: { t: number; rss: number }[],
): Promise<void> {
  while (loading()) {
    const rss = await currentRss(pid);
    if (rss !== null) samples.push({ t: (performance.now() - started) / 1000, rss });
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** While `loading()`: ODS renames five trusts, then the service re-syncs (a full re-baseline). */
async function syncWhileLoaded(
  world: ChangeWorld,
  service: Service,
  token: string,
  loading: () => boolean,
): Promise<SyncLoop> {
  const loop: SyncLoop = { runs: [], errors: 0 };
  const trusts = world.seed.records.trust.filter((t) => t.source === "ods").map((t) => t.ods_code);
  for (let n = 0; loading(); n++) {
    for (let i = 0; i < 5; i++) {
      world.sim.dataset.rename(
        trusts[(n * 5 + i) % trusts.length],
        `SOAK TRUST ${n}-${i}`,
        CHANGE_DAY,
      );
    }
    world.sim.publish("2026-11-24");
    const t = performance.now();
    const res = await fetch(`${service.url}/sync/run?full=true&wait=true`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = await res.json() as { run?: { outcome: string; changed: number } };
    const run = body.run ?? (body as { outcome?: string; changed?: number });
    if (!res.ok || run.outcome !== "success") loop.errors++;
    loop.runs.push({
      outcome: String(run.outcome ?? res.status),
      changed: Number(run.changed ?? 0),
      ms: Math.round(performance.now() - t),
    });
    await new Promise((r) => setTimeout(r, 500));
  }
  return loop;
}

/** The soak's checks: no errors, every sync succeeded, memory stable and within target. */
function soakChecks(
  result: LoadResult,
  loop: SyncLoop,
  samples: { t: number; rss: number }[],
): Check[] {
  const peak = Math.max(...samples.map((s) => s.rss));
  const third = Math.max(1, Math.floor(samples.length / 3));
  const early = median(samples.slice(third, 2 * third).map((s) => s.rss));
  const late = median(samples.slice(-third).map((s) => s.rss));
  const growth = late / early - 1;
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  return [
    {
      name: "zero API errors under load",
      ok: result.errors === 0 && result.non2xx === 0,
      detail: `${result.requests} requests (${Math.round(result.rps)}/s, p99 ` +
        `${result.p99Ms.toFixed(1)} ms): ${result.errors} socket errors, ${result.non2xx} ≥ 400`,
    },
    {
      name: "every sync run succeeded",
      ok: loop.errors === 0 && loop.runs.length > 0,
      detail: `${loop.runs.length} full syncs, ${loop.errors} not successful; changed ` +
        `${loop.runs.map((r) => r.changed).join(", ")} records; median ${
          median(loop.runs.map((r) => r.ms))
        } ms`,
    },
    {
      name: "memory stable",
      ok: growth <= 0.2,
      detail: `RSS median ${mb(early)} in the middle third vs ${mb(late)} in the last ` +
        `third (${(growth * 100).toFixed(1)}%), ${samples.length} samples`,
    },
    {
      name: "peak memory within the 150 MB target",
      ok: peak <= 150 * 1024 * 1024,
      detail: `peak RSS ${mb(peak)}`,
    },
  ];
}

/**
 * Run the soak for `seconds`.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: it loads the service for `seconds` (`deno task reliability`).
 * import { ensureLoadGenerator } from "../testing/loadgen.ts";
 * import { StoreTemplate } from "../testing/world.ts";
 * import { soak } from "./soak.ts";
 * const dir = await Deno.makeTempDir();
 * const part = await soak(new StoreTemplate(dir), await ensureLoadGenerator(), 20);
 * ```
 */
export async function soak(
  template: StoreTemplate,
  generator: LoadGenerator,
  seconds: number,
): Promise<PartResult> {
  const started = performance.now();
  const world = await startChangeWorld({ untracked: 5000, changed: 200, tracked: 60 });
  const token = crypto.randomUUID();
  const service = await startService({
    kvPath: await template.copy("soak"),
    env: {
      ADMIN_TOKEN: token,
      ORD_BASE_URL: world.sim.ordBaseUrl,
      ODS_RATE_LIMIT: "500",
    },
  });
  const samples: { t: number; rss: number }[] = [];
  try {
    const list = await (await fetch(`${service.url}/organisations/`)).json() as {
      ods_code: string;
    }[];
    const paths = [
      ...LIST_PATHS,
      ...list.map((o) => `/organisations/${o.ods_code}/`),
      "/trusts/RGT/",
      "/paediatric_diabetes_units/PZ041/parent/",
      "/health",
    ];
    const load = runLoad(generator, {
      origin: service.url,
      paths,
      connections: 16,
      durationS: seconds,
    });
    let loading = true;
    load.finally(() => loading = false);
    const sampler = sampleRss(service.pid, started, () => loading, samples);
    const loop = await syncWhileLoaded(world, service, token, () => loading);
    const result = await load;
    await sampler;
    return {
      part: "Soak",
      summary: `${seconds} s of API load (${generator}, 16 connections, lists and details) on ` +
        "the service while it re-syncs from a changing simulated ODS, one run after another",
      checks: soakChecks(result, loop, samples),
      ms: performance.now() - started,
      data: { samples, runs: loop.runs, load: result },
    };
  } finally {
    await service.stop();
    await world.sim.close();
  }
}
