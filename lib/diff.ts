/**
 * Field-level diffs between two versions of a record.
 *
 * @module
 */

/** One changed field. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

/** Fields that never count as a change on their own. */
const IGNORED = new Set(["updated_at"]);

/**
 * The fields that differ between `before` and `after` (deep comparison of JSON values).
 * A missing record counts as all fields `null`.
 *
 * @example
 * ```ts
 * diffRecords({ name: "A", city: "X" }, { name: "B", city: "X" });
 * // [{ field: "name", old: "A", new: "B" }]
 * ```
 */
export function diffRecords(
  before: object | null | undefined,
  after: object | null | undefined,
): FieldChange[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  const changes: FieldChange[] = [];
  for (const field of fields) {
    if (IGNORED.has(field)) continue;
    const old = a[field] ?? null;
    const next = b[field] ?? null;
    if (!sameValue(old, next)) changes.push({ field, old, new: next });
  }
  return changes;
}

/** Deep equality for JSON-like values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}
