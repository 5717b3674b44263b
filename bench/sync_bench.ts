/**
 * Sync benchmarks against the simulator: requests per day of changes (ORD and FHIR), wall time
 * under a request-rate limit with latency, re-baseline cost, and the store's apply rate.
 *
 * @module
 */
import { syncStateKey } from "../lib/keys.ts";
import { setLogSink } from "../lib/log.ts";
import type { Organisation } from "../lib/model.ts";
import { createOdsSource } from "../lib/ods/source.ts";
import { recordWrite, Store, type WriteGroup } from "../lib/store.ts";
import { type RunResult, runSync, type SyncRequest } from "../lib/sync/run.ts";
import { INITIAL_SYNC_STATE } from "../lib/sync/state.ts";
import type { Figure } from "../testing/report.ts";
import {
  CHANGE_DAY,
  type ChangeWorld,
  NOW,
  odsConfig,
  startChangeWorld,
  type StoreTemplate,
} from "../testing/world.ts";

/** Settings of the sync benchmarks. */
export interface SyncBenchOptions {
  untracked: number;
  changed: number;
  tracked: number;
  /** Requests per second the simulator allows (and the client is configured to). */
  rate: number;
  latencyMs: number;
  concurrency: number;
  log: (line: string) => void;
}

const FAST = { backoffBaseMs: 1, backoffMaxMs: 5, retryAfterMaxMs: 50 };

async function syncOnce(
  world: ChangeWorld,
  template: StoreTemplate,
  kind: "ord" | "fhir",
  request: SyncRequest,
  over: { rateLimit?: number; concurrency?: number } = {},
): Promise<{ result: RunResult; ms: number; store: Store }> {
  const store = await Store.open(await template.copy(`sync-${kind}`));
  if (request !== "full") {
    await store.kv.set(syncStateKey, { ...INITIAL_SYNC_STATE, cursor: CHANGE_DAY });
  }
  const source = createOdsSource(odsConfig(world.sim, kind, over), FAST);
  world.sim.clearRequests();
  const prev = setLogSink(() => {});
  const start = performance.now();
  try {
    const result = await runSync({
      store,
      source,
      request,
      now: () => new Date(NOW),
      trigger: "test",
    });
    return { result, ms: performance.now() - start, store };
  } finally {
    setLogSink(prev);
  }
}

/**
 * The time a run of `n` requests can't beat: the rate limit spaces them `1/rate` apart (the
 * last one then takes `latency`), and `concurrency` slots each take `latency` per request.
 *
 * @example
 * ```ts
 * import { politeBoundMs } from "./sync_bench.ts";
 * import { equal } from "node:assert/strict";
 * // 101 requests at 100/s: the last leaves after 1 s, then takes its 20 ms.
 * equal(politeBoundMs(101, 100, 4, 20), 1020);
 * ```
 */
export function politeBoundMs(
  n: number,
  rate: number,
  concurrency: number,
  latencyMs: number,
): number {
  return Math.max(((n - 1) / rate) * 1000 + latencyMs, Math.ceil(n / concurrency) * latencyMs);
}

/** How many codes the ORD change list for the day names (asked of the simulator directly). */
async function changesListed(world: ChangeWorld): Promise<number> {
  const res = await fetch(`${world.sim.ordBaseUrl}/sync?LastChangeDate=${CHANGE_DAY}`);
  const body = await res.json() as { Organisations?: unknown[] };
  return body.Organisations?.length ?? 0;
}

/** The change day every measurement syncs, as the simulator serves it. */
interface Day {
  world: ChangeWorld;
  template: StoreTemplate;
  o: SyncBenchOptions;
  /** Links in the day's ORD change list. */
  changes: number;
  /** Tracked records changed on the day. */
  tracked: number;
  /** New parents the run must create. */
  parents: number;
}

/**
 * Requests an ORD sync of the day makes: one per tracked change and new parent, plus the change
 * list and the deletion list (`/notifications`).
 */
async function ordRequestCost(d: Day): Promise<Figure> {
  const ord = await syncOnce(d.world, d.template, "ord", "auto");
  const run = ord.result.run;
  const applied = await appliedCount(ord.store, d.world);
  ord.store.close();
  return {
    group: "sync",
    what: "Sync request cost (ORD)",
    figure: run.requests,
    unit: "requests",
    target: d.tracked + d.parents + 2,
    comparison: "eq",
    detail: `${d.world.sim.dataset.size} records in ODS, ${d.changes} changed links, ` +
      `${d.tracked} tracked changes + ${d.parents} new parents + 1 change list + 1 deletion ` +
      `list; outcome ` +
      `${run.outcome}, ${applied}/${d.tracked} tracked changes applied, ${run.created} created`,
    pass: run.outcome === "success" && applied === d.tracked && run.created === d.parents,
  };
}

/**
 * Requests a FHIR sync of the day makes: pages of changes, new parents, one CodeSystem `$lookup`
 * (successions) per tracked record changed and new parent, and the deletion list.
 */
async function fhirRequestCost(d: Day): Promise<Figure> {
  const fhir = await syncOnce(d.world, d.template, "fhir", "auto");
  const run = fhir.result.run;
  const pageSize = odsConfig(d.world.sim, "fhir").pageSize;
  const applied = await appliedCount(fhir.store, d.world);
  fhir.store.close();
  return {
    group: "sync",
    what: "Sync request cost (FHIR)",
    figure: run.requests,
    unit: "requests",
    target: Math.ceil(d.changes / pageSize) + d.parents + 1 + (d.tracked + d.parents) + 1,
    comparison: "le",
    detail: `ceil(${d.changes} / ${pageSize}) pages + ${d.parents} new parents + 1 + ` +
      `${d.tracked + d.parents} $lookups + 1 deletion list; ` +
      `outcome ${run.outcome}, ${applied}/${d.tracked} tracked changes applied`,
    pass: run.outcome === "success" && applied === d.tracked,
  };
}

/** An ORD sync's wall time under the simulator's rate limit and latency, against its bound. */
async function ordWallTime(d: Day): Promise<Figure> {
  const { world, o } = d;
  world.sim.faults.latencyMs = o.latencyMs;
  world.sim.faults.rateLimit = { perSecond: o.rate, burst: 4 };
  const timed = await syncOnce(world, d.template, "ord", "auto", {
    rateLimit: o.rate,
    concurrency: o.concurrency,
  });
  timed.store.close();
  const n = timed.result.run.requests;
  const bound = politeBoundMs(n, o.rate, o.concurrency, o.latencyMs);
  const limited = world.sim.requests.filter((r) => r.faults.includes("rateLimit")).length;
  return {
    group: "sync",
    what: "Sync wall time (ORD)",
    figure: round(timed.ms),
    unit: "ms",
    target: round(bound * 1.15),
    comparison: "le",
    detail: `${n} requests at ≤ ${o.rate}/s, ${o.concurrency} in flight, ${o.latencyMs} ms ` +
      `latency: bound ${round(bound)} ms; ratio ${(timed.ms / bound).toFixed(2)} × bound; ` +
      `${limited} refused by the simulator's rate limit; outcome ${timed.result.run.outcome}`,
    pass: timed.result.run.outcome === "success",
  };
}

/** An ORD re-baseline's wall time, bound by the polite rate. */
async function ordRebaseline(d: Day): Promise<Figure> {
  const { o } = d;
  const base = await syncOnce(d.world, d.template, "ord", "full", {
    rateLimit: o.rate,
    concurrency: o.concurrency,
  });
  base.store.close();
  const run = base.result.run;
  const bn = run.requests;
  const bBound = politeBoundMs(bn, o.rate, o.concurrency, o.latencyMs);
  return {
    group: "sync",
    what: "Re-baseline wall time (ORD)",
    figure: round(base.ms),
    unit: "ms",
    target: round(bBound * 1.15),
    comparison: "le",
    detail: `${run.links_seen} tracked records + ${run.created} created (new parents and the ` +
      `reference PDU sites a seeded store lacks) + 1 deletion list = ${bn} requests at ≤ ` +
      `${o.rate}/s: ` +
      `bound ${round(bBound)} ms; ratio ${(base.ms / bBound).toFixed(2)} × bound; ` +
      `outcome ${run.outcome}`,
    pass: run.outcome === "success" && bn === run.links_seen + run.created + 1,
  };
}

/**
 * Requests a FHIR re-baseline makes: `_id` batches of 100, a batch per level of parents, at most
 * one CodeSystem `$lookup` (successions) per record whose LastChangeDate is new to the store (the
 * records created included), and the deletion list.
 */
async function fhirRebaseline(d: Day): Promise<Figure> {
  const { o } = d;
  const fb = await syncOnce(d.world, d.template, "fhir", "full", {
    rateLimit: o.rate,
    concurrency: o.concurrency,
  });
  fb.store.close();
  const records = fb.result.run.links_seen;
  const created = fb.result.run.created; // new parents and the reference PDU sites
  const batches = Math.ceil(records / 100);
  // New parents come in levels: the new trusts, then their new ICB (one batch each).
  const levels = d.parents ? 2 : 0;
  return {
    group: "sync",
    what: "Re-baseline request cost (FHIR)",
    figure: fb.result.run.requests,
    unit: "requests",
    target: batches + levels + records + created + 1,
    comparison: "le",
    detail: `${records} tracked records in _id batches of 100 (${batches}) + one batch per ` +
      `level of new parents (${levels}) + at most ${records + created} $lookups (one per ` +
      `record, ${created} of them created: new parents and the reference PDU sites a seeded ` +
      `store lacks) + 1 deletion list; ` +
      `${round(fb.ms)} ms; outcome ${fb.result.run.outcome}`,
    pass: fb.result.run.outcome === "success",
  };
}

/**
 * Run the sync benchmarks; returns their figures.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: minutes of work (`deno task bench` runs it).
 * import { StoreTemplate } from "../testing/world.ts";
 * import { syncBenchmarks } from "./sync_bench.ts";
 * const figures = await syncBenchmarks(new StoreTemplate(await Deno.makeTempDir()), {
 *   untracked: 30_000,
 *   changed: 5_000,
 *   tracked: 400,
 *   rate: 100,
 *   latencyMs: 20,
 *   concurrency: 4,
 *   log: console.error,
 * });
 * ```
 */
export async function syncBenchmarks(
  template: StoreTemplate,
  o: SyncBenchOptions,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  o.log(
    `sync: national dataset of ${o.untracked} records, a day of ${o.changed} changes (${o.tracked} tracked)`,
  );
  const world = await startChangeWorld({
    untracked: o.untracked,
    changed: o.changed,
    tracked: o.tracked,
    newParents: true,
  });
  try {
    const day: Day = {
      world,
      template,
      o,
      changes: await changesListed(world),
      tracked: world.trackedChanged.length,
      parents: world.newParents.length,
    };
    // In this order: the wall-time measurement turns the simulator's rate limit on.
    const measurements = [
      ordRequestCost,
      fhirRequestCost,
      ordWallTime,
      ordRebaseline,
      fhirRebaseline,
    ];
    for (const measurement of measurements) figures.push(await measurement(day));
  } finally {
    await world.sim.close();
  }

  figures.push(await applyRate(template, o.log));
  return figures;
}

/** Tracked changes of the day that the store now holds (by name, address or parent). */
async function appliedCount(store: Store, world: ChangeWorld): Promise<number> {
  let n = 0;
  for (const code of world.trackedChanged) {
    const ods = world.sim.dataset.get(code);
    if (!ods) continue;
    const records = await Promise.all([
      store.get("organisation", code),
      store.get("trust", code),
      store.get("integrated_care_board", code),
      store.get("nhs_england_region", code),
      store.get("local_health_board", code),
    ]);
    if (records.some((r) => r && r.last_change_date === CHANGE_DAY)) n++;
  }
  return n;
}

function round(ms: number): number {
  return Math.round(ms);
}

/**
 * 1,000 changed records into KV, each with its indexes and change log, timed.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: it times 1,000 writes (`deno task bench` runs it).
 * import { StoreTemplate } from "../testing/world.ts";
 * import { applyRate } from "./sync_bench.ts";
 * const figure = await applyRate(new StoreTemplate(await Deno.makeTempDir()), console.error);
 * ```
 */
export async function applyRate(
  template: StoreTemplate,
  log: (line: string) => void,
  n = 1000,
): Promise<Figure> {
  log(`apply: ${n} changed records into KV`);
  const store = await Store.open(await template.copy("apply"));
  try {
    const [proto] = await store.list("organisation");
    const trusts = (await store.list("trust")).map((t) => t.ods_code);
    const codes = Array.from({ length: n }, (_, i) => `ZB${String(i).padStart(4, "0")}`);
    const create: WriteGroup[] = codes.map((code, i) => ({
      writes: [recordWrite("organisation", code, () => ({
        ...proto,
        ods_code: code,
        name: `BENCH SITE ${code}`,
        trust_code: trusts[i % trusts.length],
        paediatric_diabetes_unit_code: null,
        openuk_network_code: null,
      } as Organisation))],
    }));
    await store.write(create, { cause: "sync", runId: "bench-setup" });
    const change: WriteGroup[] = codes.map((code, i) => ({
      writes: [recordWrite("organisation", code, (cur) =>
        cur
          ? {
            ...cur,
            name: `${cur.name} (RENAMED)`,
            city: "BENCHTOWN",
            trust_code: trusts[(i + 1) % trusts.length],
            last_change_date: CHANGE_DAY,
          }
          : undefined, CHANGE_DAY)],
    }));
    const start = performance.now();
    const result = await store.write(change, { cause: "sync", runId: "bench-apply" });
    const ms = performance.now() - start;
    const rate = n / (ms / 1000);
    return {
      group: "store",
      what: "Apply rate",
      figure: Math.round(rate),
      unit: "records/s",
      target: 2000,
      comparison: "ge",
      detail: `${result.entries.length} records (3 fields, 3 index moves, 1 log entry each) ` +
        `in ${result.commits} commits, ${Math.round(ms)} ms`,
      pass: result.entries.length === n,
    };
  } finally {
    store.close();
  }
}
