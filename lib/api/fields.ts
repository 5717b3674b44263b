/**
 * Sparse fieldsets: `?fields=ods_code,name` keeps only those top-level fields, in the view's
 * own field order. An unknown field name is a 400 that lists the valid ones.
 *
 * @module
 */
import { ApiError } from "./errors.ts";
import { asciiJson } from "./http.ts";
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

/** Each item's fields as JSON text (`"name":"…"`), made on first use. */
const fieldTexts = new WeakMap<object, Map<string, string>>();

/**
 * `asciiJson(pickFields(item, fields))`, put together from the item's field texts, which are
 * made once per item: projecting a long list again with other fields serializes nothing.
 *
 * @example
 * ```ts
 * import { pickedJson } from "./fields.ts";
 * pickedJson({ ods_code: "RGT01", name: "Addenbrooke’s", city: "CAMBRIDGE" }, ["ods_code", "name"]);
 * // '{"ods_code":"RGT01","name":"Addenbrooke\\u2019s"}'
 * ```
 */
export function pickedJson(item: object, fields: readonly string[]): string {
  let texts = fieldTexts.get(item);
  if (!texts) {
    texts = new Map();
    for (const [name, value] of Object.entries(item)) {
      if (value !== undefined) texts.set(name, `${asciiJson(name)}:${asciiJson(value)}`);
    }
    fieldTexts.set(item, texts);
  }
  let out = "";
  for (const f of fields) {
    const text = texts.get(f);
    if (text !== undefined) out = out ? `${out},${text}` : text;
  }
  return `{${out}}`;
}
