/**
 * Sparse fieldsets: `?fields=ods_code,name` keeps only those top-level fields, in the view's
 * own field order. An unknown field name is a 400 that lists the valid ones.
 *
 * @module
 */
import { ApiError } from "./errors.ts";
import { lastParam } from "./filters.ts";

/** Longest `fields` value read; anything longer is refused before splitting. */
const MAX_FIELDS_LENGTH = 2000;

/**
 * The fields asked for by `?fields=`, in `valid` order; `null` when absent or empty (all
 * fields). Throws a 400 {@linkcode ApiError} when a name is not in `valid`.
 *
 * @example
 * ```ts
 * parseFields(new URLSearchParams("fields=name,ods_code"), ["ods_code", "name", "city"]);
 * // ["ods_code", "name"]
 * ```
 */
export function parseFields(params: URLSearchParams, valid: readonly string[]): string[] | null {
  const raw = lastParam(params, "fields");
  if (raw === null) return null;
  if (raw.length > MAX_FIELDS_LENGTH) {
    throw new ApiError(400, "invalid fields", { fields: ["too long"], valid }, "Invalid fields.");
  }
  const asked = new Set(raw.split(",").map((f) => f.trim()).filter(Boolean));
  if (!asked.size) return null;
  const unknown = [...asked].filter((f) => !valid.includes(f));
  if (unknown.length) {
    throw new ApiError(400, "invalid fields", {
      unknown: unknown.map((f) => f.slice(0, 100)),
      valid,
    }, "Invalid fields.");
  }
  return valid.filter((f) => asked.has(f));
}

/** A copy of `item` with only `fields` (in that order). */
export function pickFields(item: object, fields: readonly string[]): Record<string, unknown> {
  const row = item as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (Object.hasOwn(row, f)) out[f] = row[f];
  return out;
}
