/**
 * The body of a filtered, ordered or sparse list, put together from a view's built rows (their
 * JSON made once per data version): the same function runs on the request path and in the
 * build worker (build_worker.ts).
 *
 * @module
 */
import { pickedJson } from "./fields.ts";
import { applyFilters, applyOrdering, type Filter, type Ordering } from "./filters.ts";

/** A built row: the item and its JSON. */
export interface Row {
  item: object;
  json: string;
}

/** What a list query asks for, parsed. */
export interface ListQuery {
  filters: readonly Filter[];
  fields: readonly string[] | null;
  ordering: Ordering | null;
}

/**
 * The JSON list of the rows that pass the filters, in the ordering, with only the fields.
 *
 * @example
 * ```ts
 * import { listBody } from "./list_body.ts";
 * const rows = [
 *   { item: { ods_code: "A1", active: true }, json: '{"ods_code":"A1","active":true}' },
 *   { item: { ods_code: "B2", active: false }, json: '{"ods_code":"B2","active":false}' },
 * ];
 * listBody(rows, { filters: [{ field: "active", value: true }], fields: ["ods_code"], ordering: null });
 * // '[{"ods_code":"A1"}]'
 * ```
 */
export function listBody(rows: readonly Row[], q: ListQuery): string {
  const item = (r: Row) => r.item;
  const kept = applyOrdering(applyFilters(rows, q.filters, item), q.ordering, item);
  const fields = q.fields;
  if (!fields) return `[${kept.map((r) => r.json).join(",")}]`;
  return `[${kept.map((r) => pickedJson(r.item, fields)).join(",")}]`;
}
