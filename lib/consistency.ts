/**
 * Store invariants, checked by the crash and reliability tests (and usable by operators):
 * every record's index entries exist, and every index entry points back to a record with that
 * value; every change log entry names a known kind.
 *
 * @module
 */
import * as keys from "./keys.ts";
import { isKind, type Kind, KINDS } from "./model.ts";
import { indexEntries, type Store } from "./store.ts";

/**
 * Problems found in the store (empty when consistent).
 *
 * @example
 * ```ts
 * import { checkConsistency } from "./consistency.ts";
 * import { Store } from "./store.ts";
 * const store = await Store.open(":memory:");
 * const problems = await checkConsistency(store);
 * if (problems.length) throw new Error(problems.join("\n"));
 * store.close();
 * ```
 */
export async function checkConsistency(store: Store): Promise<string[]> {
  const problems: string[] = [];
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const expected = new Set<string>();
    const codes = new Set<string>();
    for await (
      const e of store.kv.list<Record<string, unknown>>({ prefix: keys.recordPrefix(kind) })
    ) {
      const code = String(e.key[2]);
      codes.add(code);
      const keyField = KINDS[kind].key;
      if (e.value[keyField] !== code) {
        problems.push(`${kind} ${code}: record key field ${keyField} is ${e.value[keyField]}`);
      }
      for (const k of indexEntries(kind, code, e.value as never)) expected.add(JSON.stringify(k));
    }
    const found = new Set<string>();
    for await (const e of store.kv.list({ prefix: keys.indexKindPrefix(kind) })) {
      const id = JSON.stringify(e.key);
      found.add(id);
      if (!expected.has(id)) {
        const code = String(e.key[e.key.length - 1]);
        problems.push(
          codes.has(code)
            ? `stale index entry ${id}: ${kind} ${code} has another value`
            : `orphan index entry ${id}: no ${kind} ${code}`,
        );
      }
    }
    for (const id of expected) if (!found.has(id)) problems.push(`missing index entry ${id}`);
  }
  for await (const e of store.kv.list({ prefix: keys.logAllPrefix })) {
    if (!isKind(String(e.key[1]))) problems.push(`change log entry for unknown kind: ${e.key}`);
  }
  return problems;
}

/**
 * The records of every kind as plain data, for comparing two stores (volatile fields removed).
 */
export async function dumpRecords(store: Store): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const rows: unknown[] = [];
    for (const r of await store.list(kind)) {
      const { updated_at: _, ...rest } = r as unknown as Record<string, unknown>;
      rows.push(rest);
    }
    out[kind] = rows;
  }
  return out;
}
