/**
 * Crash safety: `deno task sync` (the real CLI, in its own process) is killed with SIGKILL at
 * seeded random points of a large run — after N requests to ODS or after K commits to the store,
 * so the points follow the run's progress, not the machine's speed. After each kill the store
 * must hold its invariants (indexes ↔ records, whole records matching their change log, cursor
 * never ahead of applied data), and the next run must converge to the same records as an
 * uninterrupted run.
 *
 * @module
 */
import { dumpRecords } from "../lib/consistency.ts";
import { dataVersionKey } from "../lib/keys.ts";
import { setLogSink } from "../lib/log.ts";
import { createOdsSource } from "../lib/ods/source.ts";
import { Store } from "../lib/store.ts";
import { readSyncState, runSync } from "../lib/sync/run.ts";
import { killSyncWhen } from "../testing/proc.ts";
import { type ChangeWorld, odsConfig, startChangeWorld, StoreTemplate } from "../testing/world.ts";
import type { Kind } from "../lib/model.ts";
import {
  type Check,
  dumpDifference,
  fieldsByKind,
  type PartResult,
  rng,
  storeProblems,
} from "./common.ts";

const LEASE_TTL_MS = 1000;

/** Options for {@linkcode crashSafety}. */
export interface CrashOptions {
  points: number;
  /** Untracked national records in the simulated ODS. */
  untracked: number;
  seed?: number;
}

/** The uninterrupted run every killed run must converge to. */
interface Reference {
  expected: Awaited<ReturnType<typeof dumpRecords>>;
  fields: Map<Kind, Set<string>>;
  requests: number;
  commits: number;
  check: Check;
}

/** The uninterrupted run: a first sync of a seeded store re-baselines every tracked record. */
async function referenceRun(world: ChangeWorld, template: StoreTemplate): Promise<Reference> {
  const refStore = await Store.open(await template.copy("reference"));
  try {
    const ref = await runSync({
      store: refStore,
      source: createOdsSource(odsConfig(world.sim, "ord")),
      trigger: "test",
    });
    return {
      expected: await dumpRecords(refStore),
      fields: await fieldsByKind(refStore),
      requests: ref.run.requests,
      commits: Math.max(2, Math.ceil(ref.run.changed / 25)),
      check: {
        name: "uninterrupted run",
        ok: ref.run.outcome === "success",
        detail: `${ref.run.outcome}: ${ref.run.requests} requests, ${ref.run.changed} records ` +
          `changed, ${ref.run.created} created`,
      },
    };
  } finally {
    refStore.close();
  }
}

/** When to kill: after `n` requests to ODS, or after `n` commits to the store at `watcher`. */
async function killPoint(
  world: ChangeWorld,
  watcher: Store,
  byRequests: boolean,
  n: number,
): Promise<() => Promise<boolean>> {
  if (byRequests) {
    const startRequests = world.sim.requests.length;
    return () => Promise.resolve(world.sim.requests.length - startRequests >= n);
  }
  let last = (await watcher.kv.get(dataVersionKey)).versionstamp;
  let commits = 0;
  return async () => {
    const now = (await watcher.kv.get(dataVersionKey)).versionstamp;
    if (now !== last) {
      commits++;
      last = now;
    }
    return commits >= n;
  };
}

/**
 * After a kill: the invariants, the data when the cursor moved, then the next run (once the dead
 * run's lease expired) converging to the reference.
 */
async function afterKill(
  world: ChangeWorld,
  store: Store,
  ref: Reference,
): Promise<{ problems: string[]; cursor: string | null; converged: boolean }> {
  const problems = await storeProblems(store, ref.fields);
  const state = await readSyncState(store);
  if (state.cursor !== null) {
    // The run got to the end: everything must be applied.
    const diff = dumpDifference(await dumpRecords(store), ref.expected);
    if (diff) problems.push(`cursor moved to ${state.cursor} but data differs: ${diff}`);
  }
  await new Promise((r) => setTimeout(r, LEASE_TTL_MS + 100)); // the dead run's lease expires
  const next = await runSync({
    store,
    source: createOdsSource(odsConfig(world.sim, "ord")),
    request: state.cursor === null ? "auto" : "full",
    leaseTtlMs: LEASE_TTL_MS,
    trigger: "test",
  });
  const diff = dumpDifference(await dumpRecords(store), ref.expected);
  const converged = next.run.outcome === "success" && diff === null;
  if (!converged) problems.push(`next run ${next.run.outcome}: ${diff ?? next.run.errors[0]}`);
  problems.push(...await storeProblems(store, ref.fields));
  return { problems, cursor: state.cursor, converged };
}

/** One kill of `deno task sync` at `label`, from a fresh copy of the seeded store. */
async function killOnce(
  world: ChangeWorld,
  template: StoreTemplate,
  ref: Reference,
  point: { byRequests: boolean; n: number },
): Promise<{ check: Check; kill: Record<string, unknown> }> {
  const label = point.byRequests
    ? `after ${point.n} ODS requests`
    : `after ${point.n} store commits`;
  const kvPath = await template.copy("crash");
  const watcher = await Store.open(kvPath);
  const due = await killPoint(world, watcher, point.byRequests, point.n);
  const status = await killSyncWhen(kvPath, world.sim.ordBaseUrl, due, LEASE_TTL_MS);
  watcher.close();
  const store = await Store.open(kvPath);
  try {
    const { problems, cursor, converged } = await afterKill(world, store, ref);
    const killed = status.signal === "SIGKILL";
    return {
      kill: { point: label, killed, cursor_after_kill: cursor, converged, problems },
      check: {
        name: `killed ${label}`,
        ok: problems.length === 0,
        detail: `${killed ? "SIGKILL" : `exited ${status.code} before the point`}; cursor after ` +
          `the kill ${cursor ?? "unmoved"}; invariants ${
            problems.length ? `FAILED: ${problems.slice(0, 3).join("; ")}` : "hold"
          }; next run converged: ${converged ? "yes" : "no"}`,
      },
    };
  } finally {
    store.close();
  }
}

/**
 * Run the crash-safety part.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: tests/reliability/short_test.ts runs 3 points.
 * import { crashSafety } from "./crash.ts";
 * const part = await crashSafety({ points: 3, untracked: 3000, seed: 7 });
 * ```
 */
export async function crashSafety(o: CrashOptions): Promise<PartResult> {
  const started = performance.now();
  const prev = setLogSink(() => {});
  const dir = await Deno.makeTempDir({ prefix: "reliability-crash-" });
  const template = new StoreTemplate(dir);
  const world = await startChangeWorld({
    untracked: o.untracked,
    changed: 2000,
    tracked: 300,
    newParents: true,
  });
  const checks: Check[] = [];
  const kills: Record<string, unknown>[] = [];
  try {
    const ref = await referenceRun(world, template);
    checks.push(ref.check);
    const rand = rng(o.seed ?? 20261127);
    world.sim.faults.latencyMs = 1;
    for (let i = 0; i < o.points; i++) {
      const byRequests = i % 2 === 0;
      const n = byRequests
        ? 1 + Math.floor(rand() * (ref.requests - 1))
        : 1 + Math.floor(rand() * ref.commits);
      const { check, kill } = await killOnce(world, template, ref, { byRequests, n });
      kills.push(kill);
      checks.push(check);
    }
  } finally {
    setLogSink(prev);
    await world.sim.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  const landed = kills.filter((k) => k.killed).length;
  checks.push({
    name: "kills landed mid-run",
    ok: landed >= Math.ceil(o.points / 2),
    detail: `${landed} of ${o.points} kills landed before the run ended`,
  });
  return {
    part: "Crash safety",
    summary: `SIGKILL of \`deno task sync\` at ${o.points} seeded points of a re-baseline ` +
      `(ODS of ${world.sim.dataset.size} records, ${world.trackedChanged.length} tracked ` +
      `changes, ${world.newParents.length} new parents); each from a fresh seeded store`,
    checks,
    ms: performance.now() - started,
    data: kills,
  };
}
