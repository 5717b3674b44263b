/**
 * Exact-match query filters, as django-filter's `filterset_fields` served them: `?name=X&active=true`.
 *
 * - Strings match exactly (case-sensitive).
 * - Booleans accept `true`/`false`/`True`/`False`/`1`/`0`; numbers any decimal; dates `YYYY-MM-DD`.
 * - A value of the wrong type is a 400; an empty value is no filter; a repeated parameter uses
 *   its last value; unknown parameters are ignored.
 *
 * @module
 */
import { isIsoDate } from "../dates.ts";
import { compareText } from "./dataset.ts";
import { ApiError } from "./errors.ts";

/** The type of a filterable field. */
export type FilterType = "string" | "boolean" | "number" | "date";

/** The filterable fields of a view, and their types. */
export type FilterSpec = Readonly<Record<string, FilterType>>;

/** One parsed filter: `item[field]` must equal `value`. */
export interface Filter {
  field: string;
  value: string | number | boolean;
}

const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  True: true,
  "1": true,
  false: false,
  False: false,
  "0": false,
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The last value of a query parameter, or `null` when absent. */
export function lastParam(params: URLSearchParams, name: string): string | null {
  const all = params.getAll(name);
  return all.length ? all[all.length - 1] : null;
}

/** Parse one raw value as `type`; `null` when it is not one. */
export function parseValue(type: FilterType, raw: string): string | number | boolean | null {
  switch (type) {
    case "string":
      return raw;
    case "boolean":
      return Object.hasOwn(BOOLEANS, raw) ? BOOLEANS[raw] : null;
    case "number": {
      const n = Number(raw);
      return NUMBER.test(raw) && Number.isFinite(n) ? n : null;
    }
    case "date":
      return isIsoDate(raw) ? raw : null;
  }
}

const EXPECTED: Readonly<Record<FilterType, string>> = {
  string: "a string",
  boolean: "one of true, false, True, False, 1, 0",
  number: "a number",
  date: "a date, YYYY-MM-DD",
};

/**
 * Read the filters of `spec` from the query. Throws a 400 {@linkcode ApiError} naming every
 * value of the wrong type (the values themselves are not echoed).
 *
 * @example
 * ```ts
 * parseFilters({ active: "boolean" }, new URLSearchParams("active=True&x=1"));
 * // [{ field: "active", value: true }]
 * ```
 */
export function parseFilters(spec: FilterSpec, params: URLSearchParams): Filter[] {
  const filters: Filter[] = [];
  const problems: Record<string, string[]> = {};
  for (const [field, type] of Object.entries(spec)) {
    const raw = lastParam(params, field);
    if (raw === null || raw === "") continue;
    const value = parseValue(type, raw);
    if (value === null) problems[field] = [`expected ${EXPECTED[type]}`];
    else filters.push({ field, value });
  }
  if (Object.keys(problems).length) {
    throw new ApiError(400, "invalid filter", problems, "Invalid filter value.");
  }
  return filters;
}

/**
 * The items whose fields equal every filter's value.
 * @param of the object whose fields are compared (default: the item itself).
 */
export function applyFilters<T>(
  items: readonly T[],
  filters: readonly Filter[],
  of: (item: T) => object = (item) => item as object,
): readonly T[] {
  if (!filters.length) return items;
  return items.filter((item) => {
    const row = of(item) as Record<string, unknown>;
    return filters.every((f) => row[f.field] === f.value);
  });
}

/** A parsed `?ordering=`: a field and a direction. */
export interface Ordering {
  field: string;
  descending: boolean;
}

/**
 * Read `?ordering=field` or `?ordering=-field` (DRF's OrderingFilter) against the allowed
 * fields; `null` when absent or empty. Throws a 400 for any other field.
 */
export function parseOrdering(
  params: URLSearchParams,
  allowed: readonly string[],
): Ordering | null {
  const raw = lastParam(params, "ordering");
  if (raw === null || raw === "") return null;
  const descending = raw.startsWith("-");
  const field = descending ? raw.slice(1) : raw;
  if (!allowed.includes(field)) {
    throw new ApiError(400, "invalid ordering", {
      ordering: [`expected one of ${allowed.flatMap((f) => [f, `-${f}`]).join(", ")}`],
    }, "Invalid ordering.");
  }
  return { field, descending };
}

/**
 * Items sorted by an ordering (stable; values compared as text, nulls first).
 * @param of the object whose field is compared (default: the item itself).
 */
export function applyOrdering<T>(
  items: readonly T[],
  ordering: Ordering | null,
  of: (item: T) => object = (item) => item as object,
): readonly T[] {
  if (!ordering) return items;
  const key = (item: T) => String((of(item) as Record<string, unknown>)[ordering.field] ?? "");
  const sorted = [...items].sort((a, b) => compareText(key(a), key(b)));
  return ordering.descending ? sorted.reverse() : sorted;
}
