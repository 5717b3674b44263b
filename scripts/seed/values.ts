/**
 * Small value helpers of the seed builder: reference text to seed values, and sorting by code.
 *
 * @module
 */

/**
 * Trimmed text, or `null` when empty.
 *
 * @example
 * ```ts
 * import { text } from "./values.ts";
 *
 * text("  HILLS ROAD "); // "HILLS ROAD"
 * text(""); // null
 * ```
 */
export function text(value: string | null | undefined): string | null {
  const t = value?.trim() ?? "";
  return t === "" ? null : t;
}

/**
 * Trimmed text as given, empty text kept as `""`: the original stored the reference lists'
 * strings as they were, so its answers have `""` where a list has nothing (an organisation's
 * `address2`, `telephone`, `county`...; a trust's `address_line_2`).
 *
 * @example
 * ```ts
 * import { given } from "./values.ts";
 *
 * given(" HILLS ROAD "); // "HILLS ROAD"
 * given(""); // ""
 * ```
 */
export function given(value: string): string {
  return value.trim();
}

/**
 * A finite number from text, or `null`.
 *
 * @example
 * ```ts
 * import { num } from "./values.ts";
 *
 * num("52.17513275"); // 52.17513275
 * num("n/a"); // null
 * ```
 */
export function num(value: string): number | null {
  const t = value.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/**
 * ODS date fields of a record seeded from the reference (no ODS dates known yet).
 *
 * @example
 * ```ts
 * import { odsDates } from "./values.ts";
 *
 * odsDates().active; // true
 * ```
 */
export function odsDates() {
  return {
    last_change_date: null,
    active: true,
    operational_start: null,
    operational_end: null,
    legal_start: null,
    legal_end: null,
    successors: [] as string[],
    predecessors: [] as string[],
  };
}

/**
 * A comparator by a text key (code-point order, as `Array.prototype.sort` without one).
 *
 * @example
 * ```ts
 * import { byCode } from "./values.ts";
 *
 * [{ code: "RGT" }, { code: "R0A" }].sort(byCode((r) => r.code)); // R0A first
 * ```
 */
export function byCode<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
