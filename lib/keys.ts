/**
 * The one place that knows the Deno KV key layout. Nothing else builds keys by hand.
 *
 * | prefix | key | value |
 * |---|---|---|
 * | `rec` | `["rec", kind, code]` | the record |
 * | `idx` | `["idx", kind, field, value, code]` | `true` (secondary index) |
 * | `log` | `["log", kind, code, versionstamp]` | a change log entry (its commit's versionstamp orders it) |
 * | `tomb` | `["tomb", kind, code]` | a deleted record kept so it can be restored |
 * | `meta` | `["meta", name]` | data and GP practice versions, sync state, seed info |
 * | `run` | `["run", runId]` | a sync run record |
 * | `run_report` | `["run_report", runId, n]` | chunk `n` of a run's field-level diff |
 * | `review` | `["review", id]` | an item on the review list |
 * | `quarantine` | `["quarantine", code]` | an ODS record that failed validation |
 * | `lease` | `["lease", name]` | a lease lock |
 * | `postcode` | `["postcode", postcode]` | a cached FHIR `postcode` CodeSystem answer (lib/ods/postcode_cache.ts) |
 * | `gp_copy` | `["gp_copy", "head"]`, `["gp_copy", "part", n]` | the prepared GP practice cache of one GP version, in parts (lib/api/practice_copy.ts) |
 *
 * @module
 */
import type { Kind } from "./model.ts";

/** A value that can be part of an index key. */
export type IndexValue = string | number | boolean;

/** Key of a record. */
export const recordKey = (kind: Kind, code: string): Deno.KvKey => ["rec", kind, code];

/** Prefix listing every record of a kind. */
export const recordPrefix = (kind: Kind): Deno.KvKey => ["rec", kind];

/** Key of one index entry. */
export const indexKey = (
  kind: Kind,
  field: string,
  value: IndexValue,
  code: string,
): Deno.KvKey => ["idx", kind, field, value, code];

/** Prefix listing the codes whose `field` equals `value`. */
export const indexPrefix = (kind: Kind, field: string, value: IndexValue): Deno.KvKey => [
  "idx",
  kind,
  field,
  value,
];

/** Prefix of every index entry of one field of a kind (every value). */
export const indexFieldPrefix = (kind: Kind, field: string): Deno.KvKey => ["idx", kind, field];

/** Prefix of every index entry of a kind (used by consistency checks). */
export const indexKindPrefix = (kind: Kind): Deno.KvKey => ["idx", kind];

/**
 * Key of one change log entry. Written with `kv.commitVersionstamp()` as `stamp`, so entries
 * sort in commit order whichever process wrote them; read back, that part is the versionstamp.
 */
export const logKey = (kind: Kind, code: string, stamp: string | symbol): Deno.KvKey => [
  "log",
  kind,
  code,
  stamp as string,
];

/** Prefix of an entity's change log. */
export const logPrefix = (kind: Kind, code: string): Deno.KvKey => ["log", kind, code];

/** Prefix of the whole change log. */
export const logAllPrefix: Deno.KvKey = ["log"];

/** Key of a tombstone (a deleted record kept for restoring memberships). */
export const tombstoneKey = (kind: Kind, code: string): Deno.KvKey => ["tomb", kind, code];

/** Prefix of the tombstones of one kind. */
export const tombstonePrefix = (kind: Kind): Deno.KvKey => ["tomb", kind];

/**
 * Key whose versionstamp changes on every data write (but writes of GP practice kinds only):
 * caches compare against it.
 */
export const dataVersionKey: Deno.KvKey = ["meta", "data_version"];

/** Key whose versionstamp changes on every write of a GP practice kind (their read cache's). */
export const gpVersionKey: Deno.KvKey = ["meta", "gp_version"];

/** Key of the sync cursor and defensive-algorithm state. */
export const syncStateKey: Deno.KvKey = ["meta", "sync_state"];

/** Key written when a process opens the store to prove it takes writes. */
export const openedKey: Deno.KvKey = ["meta", "opened"];

/** Key of the seed marker (what seed was loaded, when). */
export const seedInfoKey: Deno.KvKey = ["meta", "seed"];

/** Key of a sync run record. Run ids sort by start time. */
export const runKey = (runId: string): Deno.KvKey => ["run", runId];

/** Prefix of all sync runs. */
export const runPrefix: Deno.KvKey = ["run"];

/** Key of one chunk of a run's diff report. */
export const runReportKey = (runId: string, chunk: number): Deno.KvKey => [
  "run_report",
  runId,
  chunk,
];

/** Prefix of a run's diff report chunks. */
export const runReportPrefix = (runId: string): Deno.KvKey => ["run_report", runId];

/** Key of a review list item. */
export const reviewKey = (id: string): Deno.KvKey => ["review", id];

/** Prefix of the review list. */
export const reviewPrefix: Deno.KvKey = ["review"];

/** Key of a quarantined ODS record. */
export const quarantineKey = (code: string): Deno.KvKey => ["quarantine", code];

/** Prefix of all quarantined records. */
export const quarantinePrefix: Deno.KvKey = ["quarantine"];

/** Key of a named lease lock. */
export const leaseKey = (name: string): Deno.KvKey => ["lease", name];

/** Key of one cached postcode look-up, by canonical postcode (`CB2 0QQ`). */
export const postcodeKey = (postcode: string): Deno.KvKey => ["postcode", postcode];

/** Prefix of every cached postcode look-up. */
export const postcodePrefix: Deno.KvKey = ["postcode"];

/** Key of the head of the stored practice cache copy: its GP version and size. */
export const practiceCopyHeadKey: Deno.KvKey = ["gp_copy", "head"];

/** Key of part `n` of the stored practice cache copy. */
export const practiceCopyPartKey = (n: number): Deno.KvKey => ["gp_copy", "part", n];

/** Prefix of the stored practice cache copy's parts. */
export const practiceCopyPartPrefix: Deno.KvKey = ["gp_copy", "part"];
