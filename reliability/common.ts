/**
 * What every part of the reliability suite reports, and the store checks they share.
 *
 * @module
 */
import { checkConsistency, dumpRecords } from "../lib/consistency.ts";
import { sameValue } from "../lib/diff.ts";
import * as keys from "../lib/keys.ts";
import { type Kind, KINDS } from "../lib/model.ts";
import type { ChangeEntry, Store } from "../lib/store.ts";
import { mulberry32 } from "../testing/ods_sim/random.ts";

/** One check inside a part, with what was seen. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** The outcome of one part of the suite. */
export interface PartResult {
  part: string;
  /** What was run, in one line. */
  summary: string;
  checks: Check[];
  ms: number;
  /** Extra figures for the JSON report. */
  data?: unknown;
}

/**
 * Did every check of a part pass?
 *
 * @example
 * ```ts
 * import { passed } from "./common.ts";
 * import { equal } from "node:assert/strict";
 * equal(passed({ part: "p", summary: "", ms: 0, checks: [{ name: "a", ok: true, detail: "" }] }), true);
 * ```
 */
export function passed(r: PartResult): boolean {
  return r.checks.every((c) => c.ok);
}

/**
 * A seeded PRNG (mulberry32), so every run draws the same points and inputs.
 *
 * @example
 * ```ts
 * import { rng } from "./common.ts";
 * import { equal } from "node:assert/strict";
 * equal(rng(7)(), rng(7)());
 * ```
 */
export function rng(seed: number): () => number {
  return mulberry32(seed);
}

/**
 * Fields a record carries only once ODS has given them (`lib/model.ts` `OdsDates`): the dated
 * facts, from the first sync that writes the record; the deletion date, when ODS deletes it.
 * A seeded record without them is whole.
 */
const ODS_ONLY: ReadonlySet<string> = new Set(["ods_facts", "ods_deleted"]);

/**
 * Store invariants after any interruption:
 * - every index entry points to a record with that value, and every record has its entries
 *   (`checkConsistency`);
 * - no half-written record: every record has exactly its kind's fields (as a complete record of
 *   the kind has), and its fields equal what its change log says they were last set to (record
 *   and log are written in the same commit).
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: see the reliability parts that call it.
 * import { Store } from "../lib/store.ts";
 * import { fieldsByKind, storeProblems } from "./common.ts";
 * const store = await Store.open("/tmp/store.sqlite");
 * const problems = await storeProblems(store, await fieldsByKind(store));
 * ```
 */
export async function storeProblems(
  store: Store,
  fieldsOf: ReadonlyMap<Kind, ReadonlySet<string>>,
): Promise<string[]> {
  const problems = await checkConsistency(store);
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const want = fieldsOf.get(kind);
    for await (
      const e of store.kv.list<Record<string, unknown>>({ prefix: keys.recordPrefix(kind) })
    ) {
      const code = String(e.key[2]);
      if (want) {
        const have = Object.keys(e.value);
        const missing = [...want].filter((f) => !(f in e.value) && !ODS_ONLY.has(f));
        const extra = have.filter((f) => !want.has(f) && !ODS_ONLY.has(f));
        if (missing.length || extra.length) {
          problems.push(
            `${kind} ${code}: incomplete record (missing ${missing.join(",") || "-"}, ` +
              `unexpected ${extra.join(",") || "-"})`,
          );
        }
      }
      const last = new Map<string, unknown>();
      for await (const l of store.kv.list<ChangeEntry>({ prefix: keys.logPrefix(kind, code) })) {
        for (const c of l.value.changes) last.set(c.field, c.new);
      }
      for (const [field, value] of last) {
        if (field === "updated_at") continue;
        if (!sameValue(e.value[field], value)) {
          problems.push(`${kind} ${code}: ${field} differs from its last change log entry`);
        }
      }
    }
  }
  return problems;
}

/**
 * The field names of each kind, read from a complete store (e.g. a freshly seeded one).
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: see the reliability parts that call it.
 * import { Store } from "../lib/store.ts";
 * import { fieldsByKind } from "./common.ts";
 * const fields = await fieldsByKind(await Store.open("/tmp/seeded.sqlite"));
 * ```
 */
export async function fieldsByKind(store: Store): Promise<Map<Kind, Set<string>>> {
  const out = new Map<Kind, Set<string>>();
  for (const kind of Object.keys(KINDS) as Kind[]) {
    for await (
      const e of store.kv.list<Record<string, unknown>>({ prefix: keys.recordPrefix(kind) })
    ) {
      out.set(kind, new Set(Object.keys(e.value)));
      break;
    }
  }
  return out;
}

/**
 * The first difference between two record dumps, or `null` when equal.
 *
 * @example
 * ```ts
 * import { dumpDifference } from "./common.ts";
 * import { equal } from "node:assert/strict";
 * equal(dumpDifference({ trust: [] }, { trust: [] }), null);
 * equal(dumpDifference({ trust: [] }, { trust: [{ ods_code: "RGT" }] }), "trust: 0 records vs 1");
 * ```
 */
export function dumpDifference(
  a: Awaited<ReturnType<typeof dumpRecords>>,
  b: Awaited<ReturnType<typeof dumpRecords>>,
): string | null {
  for (const kind of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = (a[kind] ?? []) as Record<string, unknown>[];
    const y = (b[kind] ?? []) as Record<string, unknown>[];
    if (x.length !== y.length) return `${kind}: ${x.length} records vs ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      if (!sameValue(x[i], y[i])) {
        const key = KINDS[kind as Kind]?.key ?? "";
        const field = Object.keys({ ...x[i], ...y[i] }).find((f) => !sameValue(x[i][f], y[i][f]));
        return `${kind} ${String(x[i][key])}: ${field} is ${JSON.stringify(x[i][field!])}, ` +
          `expected ${JSON.stringify(y[i][field!])}`;
      }
    }
  }
  return null;
}
