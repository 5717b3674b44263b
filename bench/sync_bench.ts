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
import type { Figure } from "./report.ts";
import {
  CHANGE_DAY,
  type ChangeWorld,
  NOW,
  odsConfig,
  startChangeWorld,
  type StoreTemplate,
} from "./world.ts";

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

/** Run the sync benchmarks; returns their figures. */
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
    const changes = await changesListed(world);
    const tracked = world.trackedChanged.length;
    const parents = world.newParents.length;

    // Request cost: ORD.
    const ord = await syncOnce(world, template, "ord", "auto");
    const ordRun = ord.result.run;
    const ordExpected = tracked + parents + 1;
    const applied = await appliedCount(ord.store, world);
    ord.store.close();
    figures.push({
      group: "sync",
      what: "Sync request cost (ORD)",
      figure: ordRun.requests,
      unit: "requests",
      target: ordExpected,
      comparison: "eq",
      detail: `${world.sim.dataset.size} records in ODS, ${changes} changed links, ${tracked} ` +
        `tracked changes + ${parents} new parents + 1 change list; outcome ${ordRun.outcome}, ` +
        `${applied}/${tracked} tracked changes applied, ${ordRun.created} created`,
      pass: ordRun.outcome === "success" && applied === tracked &&
        ordRun.created === parents,
    });

    // Request cost: FHIR.
    const fhir = await syncOnce(world, template, "fhir", "auto");
    const fhirRun = fhir.result.run;
    const pageSize = odsConfig(world.sim, "fhir").pageSize;
    const fhirBound = Math.ceil(changes / pageSize) + parents + 1;
    const fhirApplied = await appliedCount(fhir.store, world);
    fhir.store.close();
    figures.push({
      group: "sync",
      what: "Sync request cost (FHIR)",
      figure: fhirRun.requests,
      unit: "requests",
      target: fhirBound,
      comparison: "le",
      detail: `ceil(${changes} / ${pageSize}) pages + ${parents} new parents + 1; ` +
        `outcome ${fhirRun.outcome}, ${fhirApplied}/${tracked} tracked changes applied`,
      pass: fhirRun.outcome === "success" && fhirApplied === tracked,
    });

    // Wall time under a rate limit with latency.
    world.sim.faults.latencyMs = o.latencyMs;
    world.sim.faults.rateLimit = { perSecond: o.rate, burst: 4 };
    const timed = await syncOnce(world, template, "ord", "auto", {
      rateLimit: o.rate,
      concurrency: o.concurrency,
    });
    timed.store.close();
    const n = timed.result.run.requests;
    const bound = politeBoundMs(n, o.rate, o.concurrency, o.latencyMs);
    const limited = world.sim.requests.filter((r) => r.faults.includes("rateLimit")).length;
    figures.push({
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
    });

    // Re-baseline: ORD bound by the polite rate.
    const base = await syncOnce(world, template, "ord", "full", {
      rateLimit: o.rate,
      concurrency: o.concurrency,
    });
    base.store.close();
    const bn = base.result.run.requests;
    const bBound = politeBoundMs(bn, o.rate, o.concurrency, o.latencyMs);
    figures.push({
      group: "sync",
      what: "Re-baseline wall time (ORD)",
      figure: round(base.ms),
      unit: "ms",
      target: round(bBound * 1.15),
      comparison: "le",
      detail: `${base.result.run.links_seen} tracked records, ${bn} requests at ≤ ${o.rate}/s: ` +
        `bound ${round(bBound)} ms; ratio ${(base.ms / bBound).toFixed(2)} × bound; ` +
        `outcome ${base.result.run.outcome}`,
      pass: base.result.run.outcome === "success" &&
        bn === base.result.run.links_seen + base.result.run.created,
    });

    // Re-baseline: FHIR batched.
    const fb = await syncOnce(world, template, "fhir", "full", {
      rateLimit: o.rate,
      concurrency: o.concurrency,
    });
    fb.store.close();
    const records = fb.result.run.links_seen;
    const batches = Math.ceil(records / 100);
    // New parents come in levels: the new trusts, then their new ICB (one batch each).
    const levels = parents ? 2 : 0;
    figures.push({
      group: "sync",
      what: "Re-baseline request cost (FHIR)",
      figure: fb.result.run.requests,
      unit: "requests",
      target: batches + levels,
      comparison: "le",
      detail: `${records} tracked records in _id batches of 100 (${batches}) + one batch per ` +
        `level of new parents (${levels}); ` +
        `${round(fb.ms)} ms; outcome ${fb.result.run.outcome}`,
      pass: fb.result.run.outcome === "success",
    });
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

/** 1,000 changed records into KV, each with its indexes and change log, timed. */
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
