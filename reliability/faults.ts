/**
 * The fault matrix: every fault the simulator can inject, alone and combined, against a real
 * sync run over HTTP; for each, the run's outcome, cursor and alert state must be what NHS
 * England's guidance (and the README's "A run") say:
 *
 * - a transient fault (retried and then answered) changes nothing: success, cursor moves;
 * - a fault that outlasts the retries fails the run: cursor and algorithm state stay put
 *   (a failure never looks like "no changes", and never counts as an empty day);
 * - an invalid record is quarantined and the run still succeeds; a record that 404s goes on the
 *   review list; duplicate and dangling links cost nothing extra;
 * - three working days without data raise the alert naming the national service desk.
 *
 * @module
 */
import { setLogSink } from "../lib/log.ts";
import { syncStateKey } from "../lib/keys.ts";
import type { OdsConfig } from "../lib/config.ts";
import { type FaultRule, MALFORMED_VARIANTS } from "../testing/ods_sim/faults.ts";
import { createOdsSource } from "../lib/ods/source.ts";
import { Store } from "../lib/store.ts";
import { type RunResult, runSync } from "../lib/sync/run.ts";
import { INITIAL_SYNC_STATE, type SyncMode } from "../lib/sync/state.ts";
import {
  CHANGE_DAY,
  type ChangeWorld,
  NOW,
  odsConfig,
  startChangeWorld,
  StoreTemplate,
} from "../testing/world.ts";
import { checkConsistency } from "../lib/consistency.ts";
import type { Check, PartResult } from "./common.ts";

const ORD = "/ORD/2-0-0";
const TODAY = "2026-11-24";

/** What a scenario must end with. */
export interface Expect {
  outcome: "success" | "failed" | "empty";
  cursor: string | null;
  mode: SyncMode;
  alert: boolean;
  quarantined?: number;
  notFound?: number;
  /** At least this many retries happened. */
  minRetries?: number;
  /** Exactly this many requests. */
  requests?: number;
}

/** One row of the matrix. */
export interface Scenario {
  name: string;
  source?: "ord" | "fhir";
  faults: FaultRule[];
  rateLimit?: { perSecond: number; burst?: number };
  client?: Partial<OdsConfig>;
  /** Simulator config changes (FHIR response cap). */
  fhirMaxBytes?: number;
  expect: (w: ChangeWorld) => Expect;
}

const success = (over: Partial<Expect> = {}) => (_: ChangeWorld): Expect => ({
  outcome: "success",
  cursor: TODAY,
  mode: "bau",
  alert: false,
  quarantined: 0,
  ...over,
});
const failed = (): Expect => ({
  outcome: "failed",
  cursor: CHANGE_DAY,
  mode: "bau",
  alert: false,
});

const once = (path: string) => ({ path, nth: 1 });
const always = (path: string) => ({ path });

/** The paths the faults target: every record, the one tracked record, the change list. */
interface Targets {
  rec: string;
  one: string;
  sync: string;
}

/** Faults that the retries outlast: the run must succeed. */
function transientFaults({ rec, one, sync }: Targets): [string, FaultRule][] {
  return [
    ["429 + Retry-After on the change list", {
      ...once(sync),
      kind: "status",
      status: 429,
      retryAfter: 1,
    }],
    ["500 on the change list", { ...once(sync), kind: "status", status: 500 }],
    ["502 on the change list", { ...once(sync), kind: "status", status: 502 }],
    ["503 on the change list", { ...once(sync), kind: "status", status: 503 }],
    ["504 on the change list", { ...once(sync), kind: "status", status: 504 }],
    ["connection reset on the change list", { ...once(sync), kind: "reset", afterBytes: 20 }],
    ["truncated change list", { ...once(sync), kind: "truncate" }],
    ["HTML 502 page for the change list", { ...once(sync), kind: "html", status: 502 }],
    ["HTML page with 200 for the change list", { ...once(sync), kind: "html", status: 200 }],
    ["change list slower than the timeout", { ...once(sync), kind: "delay", ms: 900 }],
    ["429 on a record", { path: rec, nth: [1, 3], kind: "status", status: 429, retryAfter: 1 }],
    ["503 twice on a record", { path: one, nth: [1, 2], kind: "status", status: 503 }],
    ["connection reset on a record", { ...once(rec), kind: "reset" }],
    ["truncated record", { ...once(rec), kind: "truncate", bytes: 100 }],
    ["HTML page with 200 for a record", { ...once(rec), kind: "html", status: 200 }],
    ["record slower than the timeout", { ...once(one), kind: "delay", ms: 900 }],
  ];
}

/** Faults that outlast the retries: the run must fail and leave the cursor. */
function persistentFaults({ one, sync }: Targets): [string, FaultRule][] {
  return [
    ["503 on every change list request", { ...always(sync), kind: "status", status: 503 }],
    ["HTML 200 on every change list request", { ...always(sync), kind: "html", status: 200 }],
    ["truncated change list every time", { ...always(sync), kind: "truncate" }],
    ["connection reset every time", { ...always(sync), kind: "reset" }],
    ["change list always slower than the timeout", { ...always(sync), kind: "delay", ms: 900 }],
    ["406 (outside the ORD window) on the change list", {
      ...always(sync),
      kind: "status",
      status: 406,
    }],
    ["500 on every request for one record", { ...always(one), kind: "status", status: 500 }],
    ["one record always truncated", { ...always(one), kind: "truncate", bytes: 50 }],
  ];
}

/** Bad records and odd change lists: quarantine, review, and no extra cost. */
function recordScenarios({ rec, one, sync }: Targets): Scenario[] {
  return [
    ...MALFORMED_VARIANTS.map((variant): Scenario => {
      const invalid = variant === "missingRoles" || variant === "twoPrimaryRoles";
      return {
        name: `malformed record (${variant})`,
        faults: [{ ...always(one), kind: "malformed", variant }],
        expect: success({ quarantined: invalid ? 1 : 0 }),
      };
    }),
    {
      name: "record withdrawn (404)",
      faults: [{ ...always(one), kind: "status", status: 404 }],
      expect: success({ notFound: 1 }),
    },
    {
      name: "dangling link in the change list",
      faults: [{ ...always(sync), kind: "danglingOrgLink", code: "ZZ404" }],
      expect: (w) => success({ requests: w.trackedChanged.length + w.newParents.length + 2 })(w),
    },
    {
      name: "every link listed twice",
      faults: [{ ...always(sync), kind: "duplicateOrgLinks" }],
      expect: (w) => success({ requests: w.trackedChanged.length + w.newParents.length + 2 })(w),
    },
    {
      name: "stale replica serves older records",
      faults: [{ ...always(rec), kind: "stale", days: 30 }],
      expect: success(),
    },
  ];
}

/** The simulator's rate limit, with a polite client and a too-fast one. */
function rateLimitScenarios(): Scenario[] {
  return [
    {
      name: "rate limit (client polite at the limit)",
      faults: [],
      rateLimit: { perSecond: 200, burst: 2 },
      client: { rateLimit: 200 },
      expect: success(),
    },
    {
      name: "rate limit (client faster than the limit: 429s honoured)",
      faults: [],
      rateLimit: { perSecond: 100, burst: 2 },
      client: { rateLimit: 1000, retries: 8 },
      expect: success({ minRetries: 1 }),
    },
  ];
}

/** Several faults at once. */
function combinedScenarios({ rec, one, sync }: Targets): Scenario[] {
  return [
    {
      name: "combined: 429 + truncated record + invalid record + dangling + duplicate links",
      faults: [
        { ...once(sync), kind: "status", status: 429, retryAfter: 1 },
        { ...once(rec), kind: "truncate" },
        { ...always(one), kind: "malformed", variant: "missingRoles" },
        { ...always(sync), kind: "danglingOrgLink" },
        { ...always(sync), kind: "duplicateOrgLinks" },
      ],
      expect: success({ quarantined: 1, minRetries: 2 }),
    },
    {
      name: "combined: resets and 5xx on 20% of records + slow responses",
      faults: [
        { path: rec, probability: 0.2, kind: "status", status: 502 },
        { path: rec, probability: 0.05, kind: "reset" },
        { path: rec, probability: 0.1, kind: "delay", ms: 30 },
      ],
      client: { retries: 8 },
      expect: success({ minRetries: 1 }),
    },
    {
      name: "combined: change list down + invalid record",
      faults: [
        { ...always(sync), kind: "status", status: 503 },
        { ...always(one), kind: "malformed", variant: "missingRoles" },
      ],
      expect: failed,
    },
    {
      name: "combined: record down + 429s + stale replica",
      faults: [
        { ...always(one), kind: "status", status: 502 },
        { path: rec, nth: [2, 4], kind: "status", status: 429, retryAfter: 1 },
        { ...always(rec), kind: "stale" },
      ],
      expect: failed,
    },
  ];
}

/** The FHIR source's faults. */
function fhirScenarios(): Scenario[] {
  return [
    { name: "FHIR: no fault", source: "fhir", faults: [], expect: success() },
    {
      name: "FHIR: transient 503 on a page",
      source: "fhir",
      faults: [{ path: "/fhir/Organization", nth: 1, kind: "status", status: 503 }],
      expect: success({ minRetries: 1 }),
    },
    {
      name: "FHIR: truncated page",
      source: "fhir",
      faults: [{ path: "/fhir/Organization", nth: 1, kind: "truncate" }],
      expect: success({ minRetries: 1 }),
    },
    {
      name: "FHIR: page too costly (422) → smaller pages",
      source: "fhir",
      faults: [],
      fhirMaxBytes: 300_000,
      expect: success(),
    },
    {
      name: "FHIR: search down",
      source: "fhir",
      faults: [{ path: "/fhir/Organization", kind: "status", status: 503 }],
      expect: failed,
    },
    {
      name: "FHIR: API key refused (401)",
      source: "fhir",
      faults: [{ path: "/fhir/Organization", kind: "status", status: 401 }],
      expect: failed,
    },
  ];
}

/**
 * The matrix. `code` is a tracked code changed on the day (targeted by per-record faults).
 *
 * @example
 * ```ts
 * import { scenarios } from "./faults.ts";
 * import { ok } from "node:assert/strict";
 * const all = scenarios("RGT01", true);
 * ok(scenarios("RGT01", false).length < all.length);
 * ok(all.some((s) => s.name === "no fault"));
 * ```
 */
export function scenarios(code: string, full: boolean): Scenario[] {
  const targets: Targets = {
    rec: `${ORD}/organisations/*`,
    one: `${ORD}/organisations/${code}`,
    sync: `${ORD}/sync`,
  };
  const list: Scenario[] = [
    { name: "no fault", faults: [], expect: success({ minRetries: 0 }) },
    ...transientFaults(targets).map(([name, f]): Scenario => ({
      name: `transient: ${name}`,
      faults: [f],
      expect: success({ minRetries: 1 }),
    })),
    ...persistentFaults(targets).map(([name, f]): Scenario => ({
      name: `persistent: ${name}`,
      faults: [f],
      expect: failed,
    })),
    ...recordScenarios(targets),
    ...rateLimitScenarios(),
    ...combinedScenarios(targets),
    ...fhirScenarios(),
  ];
  return full ? list : list.filter((_, i) => i % 3 === 0 || i >= list.length - 8);
}

const FAST = { backoffBaseMs: 2, backoffMaxMs: 20, retryAfterMaxMs: 60 };

async function run(
  world: ChangeWorld,
  store: Store,
  kind: "ord" | "fhir",
  client: Partial<OdsConfig>,
  now: string,
): Promise<RunResult> {
  const source = createOdsSource(
    odsConfig(world.sim, kind, { timeoutMs: 500, retries: 3, pageSize: 200, ...client }),
    FAST,
  );
  return await runSync({ store, source, now: () => new Date(now), trigger: "test" });
}

/** What a run ended with, in the terms of {@link Expect}. */
export interface Got {
  outcome: string;
  cursor: string | null;
  mode: SyncMode;
  alert: boolean;
  quarantined: number;
  notFound: number;
  retries: number;
  requests: number;
}

function gotOf(r: RunResult): Got {
  return {
    outcome: r.run.outcome,
    cursor: r.state.cursor,
    mode: r.state.mode,
    alert: r.state.alert !== null,
    quarantined: r.run.quarantined.length,
    notFound: r.run.not_found.length,
    retries: r.run.retries,
    requests: r.run.requests,
  };
}

/**
 * How a run differs from what its scenario expects (empty when it doesn't).
 *
 * @example
 * ```ts
 * import { differences } from "./faults.ts";
 * import { deepEqual } from "node:assert/strict";
 * const got = {
 *   outcome: "failed",
 *   cursor: "2026-11-23",
 *   mode: "bau" as const,
 *   alert: false,
 *   quarantined: 0,
 *   notFound: 0,
 *   retries: 3,
 *   requests: 4,
 * };
 * const want = { outcome: "success" as const, cursor: "2026-11-24", mode: "bau" as const, alert: false };
 * deepEqual(differences(want, got), ["outcome failed", "cursor 2026-11-23"]);
 * ```
 */
export function differences(want: Expect, got: Got): string[] {
  const problems: string[] = [];
  if (got.outcome !== want.outcome) problems.push(`outcome ${got.outcome}`);
  if (got.cursor !== want.cursor) problems.push(`cursor ${got.cursor}`);
  if (got.mode !== want.mode) problems.push(`mode ${got.mode}`);
  if (got.alert !== want.alert) problems.push(`alert ${got.alert}`);
  if (want.quarantined !== undefined && got.quarantined !== want.quarantined) {
    problems.push(`quarantined ${got.quarantined}`);
  }
  if (want.notFound !== undefined && got.notFound !== want.notFound) {
    problems.push(`not found ${got.notFound}`);
  }
  if (want.minRetries !== undefined && got.retries < want.minRetries) {
    problems.push(`retries ${got.retries}`);
  }
  // Retries (a slow machine may time a request out) don't count against the cost.
  if (want.requests !== undefined && got.requests - got.retries !== want.requests) {
    problems.push(`requests ${got.requests - got.retries} (expected ${want.requests})`);
  }
  return problems;
}

/** One row of the matrix, from a fresh copy of the seeded store with the cursor at the day. */
async function runScenario(
  world: ChangeWorld,
  template: StoreTemplate,
  s: Scenario,
): Promise<{ check: Check; row: Record<string, unknown> }> {
  world.sim.faults.reset(42);
  for (const f of s.faults) world.sim.faults.add(f);
  world.sim.faults.rateLimit = s.rateLimit ?? null;
  world.sim.fhir.maxResponseBytes = s.fhirMaxBytes ?? 10 * 1024 * 1024;
  world.sim.clearRequests();
  const store = await Store.open(await template.copy("fault"));
  try {
    await store.kv.set(syncStateKey, { ...INITIAL_SYNC_STATE, cursor: CHANGE_DAY });
    const got = gotOf(await run(world, store, s.source ?? "ord", s.client ?? {}, NOW));
    const want = s.expect(world);
    const problems = differences(want, got);
    const inconsistent = await checkConsistency(store);
    if (inconsistent.length) problems.push(`store: ${inconsistent[0]}`);
    const check = {
      name: s.name,
      ok: problems.length === 0,
      detail: `${got.outcome}, cursor ${got.cursor}, ${got.mode}${got.alert ? " + alert" : ""}` +
        `, ${got.requests} requests (${got.retries} retries)` +
        (got.quarantined ? `, ${got.quarantined} quarantined` : "") +
        (got.notFound ? `, ${got.notFound} not found` : "") +
        (problems.length
          ? ` — expected ${JSON.stringify(want)}; differs: ${problems.join("; ")}`
          : ""),
    };
    return { check, row: { scenario: s.name, source: s.source ?? "ord", expected: want, got } };
  } finally {
    store.close();
  }
}

/**
 * Run the matrix (`full`: every row; otherwise a spread of rows plus every combination).
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: tests/reliability/short_test.ts runs the short matrix.
 * import { faultMatrix } from "./faults.ts";
 * const part = await faultMatrix(false);
 * ```
 */
export async function faultMatrix(full: boolean): Promise<PartResult> {
  const started = performance.now();
  const prev = setLogSink(() => {});
  const dir = await Deno.makeTempDir({ prefix: "reliability-faults-" });
  const template = new StoreTemplate(dir);
  const world = await startChangeWorld({
    untracked: 2000,
    changed: 150,
    tracked: 25,
    newParents: true,
  });
  const checks: Check[] = [];
  const rows: Record<string, unknown>[] = [];
  try {
    const code = world.trackedChanged.find((c) => /^[A-Z0-9]{5}$/.test(c)) ??
      world.trackedChanged[0];
    for (const s of scenarios(code, full)) {
      const { check, row } = await runScenario(world, template, s);
      rows.push(row);
      checks.push(check);
    }
    checks.push(await alertScenario(world, template));
  } finally {
    setLogSink(prev);
    await world.sim.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return {
    part: "Fault matrix",
    summary: `${checks.length} scenarios against a real sync run over HTTP (ORD and FHIR), ` +
      `each from the same store and change day (${world.trackedChanged.length} tracked changes)`,
    checks,
    ms: performance.now() - started,
    data: rows,
  };
}

/**
 * ODS stops publishing: empty runs on three working days raise the alert; a failed run on the
 * way doesn't count as an empty day; data returning clears it.
 */
async function alertScenario(world: ChangeWorld, template: StoreTemplate): Promise<Check> {
  world.sim.faults.reset(42);
  const store = await Store.open(await template.copy("alert"));
  const seen: string[] = [];
  try {
    // The cursor is already at today: nothing newer is published on the next days.
    await store.kv.set(syncStateKey, { ...INITIAL_SYNC_STATE, cursor: "2026-11-25" });
    const days: [string, FaultRule[], SyncMode, boolean, string][] = [
      ["2026-11-25T06:00:00Z", [], "requery", false, "empty"],
      [
        "2026-11-26T06:00:00Z",
        [{ path: `${ORD}/sync`, kind: "status", status: 503 }],
        "requery",
        false,
        "failed",
      ],
      ["2026-11-26T09:00:00Z", [], "requery", false, "empty"],
      ["2026-11-27T06:00:00Z", [], "alert", true, "empty"],
    ];
    let ok = true;
    for (const [now, faults, mode, alert, outcome] of days) {
      world.sim.faults.clear();
      for (const f of faults) world.sim.faults.add(f);
      world.sim.clock.set(now);
      const r = await run(world, store, "ord", {}, now);
      const good = r.state.mode === mode && (r.state.alert !== null) === alert &&
        r.run.outcome === outcome && r.state.cursor === "2026-11-25" &&
        (!alert || /ssd\.nationalservicedesk@nhs\.net/.test(r.state.alert ?? ""));
      ok &&= good;
      seen.push(
        `${now.slice(0, 13)}: ${r.run.outcome} → ${r.state.mode}${r.state.alert ? " (alert)" : ""}`,
      );
    }
    return {
      name:
        "ODS stops publishing: 3 empty working days raise the alert (a failed run doesn't count)",
      ok,
      detail: seen.join("; "),
    };
  } finally {
    world.sim.faults.clear();
    world.sim.clock.set(NOW);
    store.close();
  }
}
