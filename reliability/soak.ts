/**
 * Soak: API load on the real service for minutes while the service's own sync (`POST
 * /sync/run?full=true&wait=true`) runs again and again against a simulated ODS that keeps
 * changing. Zero errors; memory stable.
 *
 * @module
 */
import { type LoadGenerator, runLoad } from "../bench/loadgen.ts";
import { currentRss, median, startService } from "../bench/proc.ts";
import { LIST_PATHS } from "../bench/api_bench.ts";
import { CHANGE_DAY, startChangeWorld, type StoreTemplate } from "../bench/world.ts";
import type { Check, PartResult } from "./common.ts";

/** Run the soak for `seconds`. */
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
  const runs: { outcome: string; changed: number; ms: number }[] = [];
  let syncErrors = 0;
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
    const sampler = (async () => {
      while (loading) {
        const rss = await currentRss(service.pid);
        if (rss !== null) samples.push({ t: (performance.now() - started) / 1000, rss });
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    let n = 0;
    const trusts = world.seed.records.trust.filter((t) => t.source === "ods").map((t) =>
      t.ods_code
    );
    while (loading) {
      // ODS changes a few records, then the service syncs them in (a full re-baseline).
      for (let i = 0; i < 5; i++) {
        world.sim.dataset.rename(
          trusts[(n * 5 + i) % trusts.length],
          `SOAK TRUST ${n}-${i}`,
          CHANGE_DAY,
        );
      }
      world.sim.publish("2026-11-24");
      n++;
      const t = performance.now();
      const res = await fetch(`${service.url}/sync/run?full=true&wait=true`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
      });
      const body = await res.json() as { run?: { outcome: string; changed: number } };
      const run = body.run ?? (body as { outcome?: string; changed?: number });
      if (!res.ok || run.outcome !== "success") syncErrors++;
      runs.push({
        outcome: String(run.outcome ?? res.status),
        changed: Number(run.changed ?? 0),
        ms: Math.round(performance.now() - t),
      });
      await new Promise((r) => setTimeout(r, 500));
    }
    const result = await load;
    await sampler;
    const peak = Math.max(...samples.map((s) => s.rss));
    const third = Math.max(1, Math.floor(samples.length / 3));
    const early = median(samples.slice(third, 2 * third).map((s) => s.rss));
    const late = median(samples.slice(-third).map((s) => s.rss));
    const growth = late / early - 1;
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
    const checks: Check[] = [
      {
        name: "zero API errors under load",
        ok: result.errors === 0 && result.non2xx === 0,
        detail: `${result.requests} requests (${Math.round(result.rps)}/s, p99 ` +
          `${result.p99Ms.toFixed(1)} ms): ${result.errors} socket errors, ${result.non2xx} ≥ 400`,
      },
      {
        name: "every sync run succeeded",
        ok: syncErrors === 0 && runs.length > 0,
        detail: `${runs.length} full syncs, ${syncErrors} not successful; changed ` +
          `${runs.map((r) => r.changed).join(", ")} records; median ${
            median(runs.map((r) => r.ms))
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
    return {
      part: "Soak",
      summary: `${seconds} s of API load (${generator}, 16 connections, lists and details) on ` +
        "the service while it re-syncs from a changing simulated ODS, one run after another",
      checks,
      ms: performance.now() - started,
      data: { samples, runs, load: result },
    };
  } finally {
    await service.stop();
    await world.sim.close();
  }
}
