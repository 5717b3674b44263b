/**
 * The local authority step of a sync run: after the organisations and GP practices are applied,
 * give each of them the local authority of its postcode, as the FHIR API's `postcode`
 * CodeSystem gives it (`LA`, the value `/postcodes/{postcode}/` answers as `local_authority`).
 *
 * 1. Postcodes whose cache entry (`["postcode", pc]`, lib/ods/postcode_cache.ts) is missing or
 *    expired are looked up through the {@linkcode PostcodeResolver}, one look-up per distinct
 *    postcode, organisations' first, at most a budget per run (`SYNC_POSTCODE_LOOKUPS`); the
 *    rest wait for later runs ({@linkcode postcodesToLookUp}).
 * 2. Every record whose cached geography gives another local authority than it holds (`null`
 *    for a postcode gone or unknown to ODS) is written through the store's normal write path,
 *    cause `sync`, so its change log, ETags, data versions and `?as_of=` work as for any change
 *    ({@linkcode localAuthorityWrites}). A postcode never looked up leaves the record as it is.
 *
 * Look-up failures never fail the run nor touch a cursor: they are counted, and a warning of the
 * run's report. After {@linkcode FAILURES_IN_A_ROW} failures in a row the step stops looking up
 * (FHIR is down: the rest wait for the next run) and writes what the cache already gives.
 * Curated records are left alone, as everywhere in the sync. The decisions are pure; this module's
 * one I/O function is {@linkcode syncLocalAuthorities}.
 *
 * @module
 */
import * as keys from "../keys.ts";
import type { GeneralPractice, LocalAuthority, Organisation, Source } from "../model.ts";
import { type CachedPostcode, isFresh, type PostcodeResolver } from "../ods/postcode_cache.ts";
import { canonicalPostcode } from "../ods/postcode_lookup.ts";
import { type ChangeEntry, recordWrite, type Store, type WriteGroup } from "../store.ts";
import { describeError } from "./fetch.ts";
import { diffRows } from "./report.ts";
import type { LocalAuthoritySummary, RunWork } from "./run_record.ts";

/** The look-ups of a run unless `SYNC_POSTCODE_LOOKUPS` says otherwise. */
export const DEFAULT_POSTCODE_LOOKUPS = 1000;

/** Failed look-ups in a row after which the step stops looking up for this run. */
export const FAILURES_IN_A_ROW = 3;

/** Look-ups in flight at once (the HTTP client's rate limit spaces them anyway). */
const WORKERS = 4;

/** The kinds that carry a local authority. */
export type LocalAuthorityKind = "organisation" | "general_practice";

/** What the step reads of a stored organisation or practice. */
export interface PostcodeHolder {
  kind: LocalAuthorityKind;
  code: string;
  source: Source;
  postcode: string | null;
  /** As stored; absent on a record written before the field was kept (read as `null`). */
  local_authority?: LocalAuthority;
}

/**
 * Why the step does nothing in this run, or `null` when it runs: it runs only after ODS data was
 * applied without error, never in a dry run (its look-ups write the postcode cache), and only
 * with a postcode look-up configured (the FHIR API: `ODT_API_KEY`, or another `ODT_BASE_URL`).
 *
 * @example
 * ```ts
 * import { skipReason } from "./local_authorities.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(skipReason({ errors: 0, dryRun: false, configured: true }), null);
 * equal(skipReason({ errors: 0, dryRun: false, configured: false }),
 *   "no postcode look-up configured (FHIR: ODT_API_KEY or ODT_BASE_URL)");
 * equal(skipReason({ errors: 2, dryRun: true, configured: true }), "the run had errors");
 * ```
 */
export function skipReason(run: { errors: number; dryRun: boolean; configured: boolean }) {
  if (run.errors > 0) return "the run had errors";
  if (run.dryRun) return "dry run";
  if (!run.configured) return "no postcode look-up configured (FHIR: ODT_API_KEY or ODT_BASE_URL)";
  return null;
}

/**
 * The postcodes to look up in this run, in order, and how many more wait for later runs: the
 * distinct postcodes of the ODS-backed `holders` whose cache entry is missing or expired at
 * `nowMs`; organisations' before practices', and within each kind, postcodes never cached
 * before expired ones (those still give a local authority); at most `budget`.
 *
 * @example
 * ```ts
 * import { postcodesToLookUp } from "./local_authorities.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const holder = (kind: "organisation" | "general_practice", code: string, postcode: string) =>
 *   ({ kind, code, postcode, source: "ods" as const });
 * const cached = new Map([["CB2 0QQ", {
 *   postcode: "CB2 0QQ", geography: null, fetched_at: "2026-11-24T06:00:00.000Z",
 * }]]);
 * const plan = postcodesToLookUp([
 *   holder("general_practice", "G81086", "TN22 5AW"),
 *   holder("organisation", "RGT01", "cb2 0qq"), // cached: not looked up again
 *   holder("organisation", "RGT02", "CB1 2AB"),
 *   holder("general_practice", "G81087", "TN22 5AW"), // the same postcode: one look-up
 *   holder("general_practice", "G81088", "ME14 4PL"),
 * ], cached, Date.parse("2026-11-24T12:00:00Z"), 2);
 * deepEqual(plan, { postcodes: ["CB1 2AB", "TN22 5AW"], deferred: 1 });
 * ```
 */
export function postcodesToLookUp(
  holders: Iterable<PostcodeHolder>,
  cached: ReadonlyMap<string, CachedPostcode>,
  nowMs: number,
  budget: number,
): { postcodes: string[]; deferred: number } {
  const due = new Map<string, number>();
  for (const h of holders) {
    const postcode = h.source === "ods" && h.postcode ? canonicalPostcode(h.postcode) : null;
    if (postcode === null || due.has(postcode)) continue;
    const entry = cached.get(postcode);
    if (entry && isFresh(entry, nowMs)) continue;
    due.set(postcode, (h.kind === "organisation" ? 0 : 2) + (entry ? 1 : 0));
  }
  const ordered = [...due].map(([postcode, rank], i) => ({ postcode, rank, i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((d) => d.postcode);
  const take = Math.max(0, Math.min(budget, ordered.length));
  return { postcodes: ordered.slice(0, take), deferred: ordered.length - take };
}

/**
 * The local authority a record with `postcode` should hold, from the cached geography: its `LA`;
 * `null` when it has no postcode (or none of a postcode's shape) or ODS doesn't know it;
 * `undefined` when the postcode was never looked up (the record is left as it is).
 *
 * @example
 * ```ts
 * import { targetLocalAuthority } from "./local_authorities.ts";
 * import { equal } from "node:assert/strict";
 *
 * const geography = { postcode: "CB2 0QQ", pco: "06H", icb: "QUE", nhser: "Y61", la: "623",
 *   lsoa11: null, gor: null };
 * const fetched_at = "2026-11-24T06:00:00.000Z";
 * const cached = new Map([
 *   ["CB2 0QQ", { postcode: "CB2 0QQ", geography, fetched_at }],
 *   ["ZZ9 9ZZ", { postcode: "ZZ9 9ZZ", geography: null, fetched_at }],
 * ]);
 * equal(targetLocalAuthority("cb20qq", cached), "623");
 * equal(targetLocalAuthority("ZZ9 9ZZ", cached), null); // unknown to ODS
 * equal(targetLocalAuthority(null, cached), null); // no postcode
 * equal(targetLocalAuthority("CB1 2AB", cached), undefined); // not looked up yet
 * ```
 */
export function targetLocalAuthority(
  postcode: string | null,
  cached: ReadonlyMap<string, CachedPostcode>,
): LocalAuthority | undefined {
  const canonical = postcode ? canonicalPostcode(postcode) : null;
  if (canonical === null) return null;
  const entry = cached.get(canonical);
  return entry ? entry.geography?.la ?? null : undefined;
}

/** The record with the local authority its postcode gives, or `undefined` to leave it. */
function withLocalAuthority<T extends Organisation | GeneralPractice>(
  cur: T | null,
  cached: ReadonlyMap<string, CachedPostcode>,
): T | undefined {
  if (!cur || cur.source !== "ods") return undefined;
  const la = targetLocalAuthority(cur.postcode, cached);
  if (la === undefined || la === (cur.local_authority ?? null)) return undefined;
  return { ...cur, local_authority: la };
}

/**
 * One write group per ODS-backed holder whose local authority differs from what the cache gives
 * ({@linkcode targetLocalAuthority}). Each update works again from the record as it is at commit
 * time, so a postcode another writer changed meanwhile gets its own postcode's authority.
 *
 * @example
 * ```ts
 * import { localAuthorityWrites } from "./local_authorities.ts";
 * import { equal } from "node:assert/strict";
 *
 * const geography = { postcode: "CB2 0QQ", pco: "06H", icb: "QUE", nhser: "Y61", la: "623",
 *   lsoa11: null, gor: null };
 * const cached = new Map([["CB2 0QQ",
 *   { postcode: "CB2 0QQ", geography, fetched_at: "2026-11-24T06:00:00.000Z" }]]);
 * const holder = { kind: "organisation" as const, code: "RGT01", source: "ods" as const,
 *   postcode: "CB2 0QQ" };
 * equal(localAuthorityWrites([holder], cached).length, 1);
 * equal(localAuthorityWrites([{ ...holder, local_authority: "623" }], cached).length, 0);
 * equal(localAuthorityWrites([{ ...holder, source: "curated" as const }], cached).length, 0);
 * ```
 */
export function localAuthorityWrites(
  holders: Iterable<PostcodeHolder>,
  cached: ReadonlyMap<string, CachedPostcode>,
): WriteGroup[] {
  const groups: WriteGroup[] = [];
  for (const h of holders) {
    if (h.source !== "ods") continue;
    const la = targetLocalAuthority(h.postcode, cached);
    if (la === undefined || la === (h.local_authority ?? null)) continue;
    const write = h.kind === "organisation"
      ? recordWrite("organisation", h.code, (cur) => withLocalAuthority(cur, cached))
      : recordWrite("general_practice", h.code, (cur) => withLocalAuthority(cur, cached));
    groups.push({ writes: [write] });
  }
  return groups;
}

/** What {@linkcode syncLocalAuthorities} needs. */
export interface LocalAuthorityRun {
  store: Store;
  /** The FHIR postcode look-up with its KV cache. */
  resolver: Pick<PostcodeResolver, "resolve">;
  /** Look-ups allowed in this run (`SYNC_POSTCODE_LOOKUPS`); 0: none, the cache only. */
  budget: number;
  /** Give GP practices theirs too (`SYNC_GP_PRACTICES`). */
  practices: boolean;
  runId: string;
  /** ISO instant of the run's writes. */
  time: string;
  /** The clock of the cache's expiry. */
  now: () => Date;
  onProgress?: (done: number, total: number) => void;
}

/** The step's outcome: its summary and the change entries it wrote. */
export interface LocalAuthorityWork {
  summary: LocalAuthoritySummary;
  entries: ChangeEntry[];
}

/**
 * A skipped step's summary.
 *
 * @example
 * ```ts
 * import { skippedStep } from "./local_authorities.ts";
 * skippedStep("dry run").summary.skipped_reason; // "dry run"
 * ```
 */
export function skippedStep(reason: string): LocalAuthorityWork {
  const summary = { looked_up: 0, failed: 0, updated: 0, deferred: 0, skipped_reason: reason };
  return { summary, entries: [] };
}

/**
 * Look up what is due, then write the local authorities that differ. Never throws: failed
 * look-ups and a failed write are counted and named in `summary.warnings`.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { syncLocalAuthorities } from "./local_authorities.ts";
 *
 * const store = await Store.open(":memory:");
 * const work = await syncLocalAuthorities({
 *   store,
 *   resolver: { resolve: () => Promise.reject(new Error("not called: nothing is stored")) },
 *   budget: 1000, practices: true, runId: "r1", time: "2026-11-24T06:00:00.000Z",
 *   now: () => new Date("2026-11-24T06:00:00Z"),
 * });
 * work.summary.looked_up; // 0
 * store.close();
 * ```
 */
export async function syncLocalAuthorities(run: LocalAuthorityRun): Promise<LocalAuthorityWork> {
  try {
    return await step(run);
  } catch (err) {
    const summary = { looked_up: 0, failed: 0, updated: 0, deferred: 0 };
    return {
      summary: { ...summary, warnings: [`reading the store failed: ${describeError(err)}`] },
      entries: [],
    };
  }
}

async function step(run: LocalAuthorityRun): Promise<LocalAuthorityWork> {
  const { store } = run;
  const holders = (await store.list("organisation")).map((o) => holderOf("organisation", o));
  if (run.practices) holders.push(...await practiceHolders(store));
  const cached = await readCache(store.kv, holders);
  const plan = postcodesToLookUp(holders, cached, run.now().getTime(), run.budget);
  const looked = await lookUpAll(run.resolver, plan.postcodes, run.onProgress);
  for (const [postcode, entry] of looked.entries) cached.set(postcode, entry);
  const summary: LocalAuthoritySummary = {
    looked_up: looked.lookedUp,
    failed: looked.failed,
    updated: 0,
    deferred: plan.deferred + plan.postcodes.length - looked.lookedUp,
  };
  const warnings = looked.failed
    ? [
      `${looked.failed} postcode look-up(s) failed (${looked.reason}); their records keep the ` +
      "local authority they hold, and later runs look them up again",
    ]
    : [];
  let entries: ChangeEntry[] = [];
  try {
    const groups = localAuthorityWrites(holders, cached);
    const written = await store.write(groups, { cause: "sync", runId: run.runId, time: run.time });
    entries = written.entries;
  } catch (err) {
    warnings.push(`writing local authorities failed: ${describeError(err)}`);
  }
  summary.updated = new Set(entries.map((e) => `${e.entity}:${e.code}`)).size;
  return { summary: warnings.length ? { ...summary, warnings } : summary, entries };
}

function holderOf(kind: LocalAuthorityKind, r: Organisation | GeneralPractice): PostcodeHolder {
  return {
    kind,
    code: r.ods_code,
    source: r.source,
    postcode: r.postcode,
    local_authority: r.local_authority,
  };
}

/**
 * Every practice as a postcode holder, read a batch at a time: only the few fields a holder
 * keeps stay in memory, not 15,000 whole records (some 45 MB of heap at once).
 */
async function practiceHolders(store: Store): Promise<PostcodeHolder[]> {
  const holders: PostcodeHolder[] = [];
  const prefix = keys.recordPrefix("general_practice");
  for await (const e of store.kv.list<GeneralPractice>({ prefix })) {
    holders.push(holderOf("general_practice", e.value));
  }
  return holders;
}

/** The cache entries (fresh or expired) of the holders' postcodes. */
async function readCache(
  kv: Deno.Kv,
  holders: readonly PostcodeHolder[],
): Promise<Map<string, CachedPostcode>> {
  const postcodes = new Set<string>();
  for (const h of holders) {
    const canonical = h.postcode ? canonicalPostcode(h.postcode) : null;
    if (canonical) postcodes.add(canonical);
  }
  const list = [...postcodes];
  const out = new Map<string, CachedPostcode>();
  for (let i = 0; i < list.length; i += 10) {
    const got = await kv.getMany<CachedPostcode[]>(list.slice(i, i + 10).map(keys.postcodeKey));
    for (const e of got) if (e.value) out.set(e.value.postcode, e.value);
  }
  return out;
}

/** Resolve `postcodes` a few at a time, stopping after {@linkcode FAILURES_IN_A_ROW} failures. */
async function lookUpAll(
  resolver: Pick<PostcodeResolver, "resolve">,
  postcodes: readonly string[],
  onProgress?: (done: number, total: number) => void,
) {
  const out = { entries: new Map<string, CachedPostcode>(), lookedUp: 0, failed: 0, reason: "" };
  let next = 0;
  let inARow = 0;
  const worker = async () => {
    while (next < postcodes.length && inARow < FAILURES_IN_A_ROW) {
      const postcode = postcodes[next++];
      out.lookedUp++;
      const answer = await resolver.resolve(postcode);
      if (answer.status === "unavailable" || answer.stale) {
        out.failed++;
        inARow++;
        out.reason ||= answer.status === "unavailable"
          ? answer.reason
          : "the refresh of an expired entry failed";
      } else {
        inARow = 0;
      }
      if (answer.status !== "unavailable") out.entries.set(postcode, answer.entry);
      onProgress?.(out.lookedUp, postcodes.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WORKERS, postcodes.length) }, worker));
  return out;
}

/**
 * A run's work with its local authority step added: its summary, and the diff rows of its
 * writes. The run's `changed`, `created` and `field_changes` stay what ODS data changed; the
 * step's writes are counted in `local_authorities.updated`.
 *
 * @example
 * ```ts
 * import { skippedStep, withLocalAuthorities } from "./local_authorities.ts";
 * import { noWork } from "./run_record.ts";
 *
 * const work = withLocalAuthorities(noWork("incremental", "2026-11-23"), skippedStep("dry run"));
 * work.local_authorities?.skipped_reason; // "dry run"
 * ```
 */
export function withLocalAuthorities(work: RunWork, la: LocalAuthorityWork): RunWork {
  return { ...work, rows: [...work.rows, ...diffRows(la.entries)], local_authorities: la.summary };
}
