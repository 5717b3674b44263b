/**
 * Text from data made safe to print on a terminal: control characters (C0 but newline and tab,
 * DEL, C1, and the bidirectional overrides that reorder what a reader sees) are shown as
 * `\u{…}` escapes instead of being obeyed, so an ODS name can't clear the screen, retitle the
 * terminal or hide text.
 *
 * @module
 */

/** C0 (but newline and tab), DEL, C1, and the bidirectional marks and overrides. */
const UNPRINTABLE =
  // deno-lint-ignore no-control-regex -- control characters are what it looks for
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every control character shown as an escape.
 *
 * @example
 * ```ts
 * import { printable } from "./printable.ts";
 * const shown = printable("ST JOHN'S\u001b[2J\u001b]0;owned\u0007");
 * if (shown !== "ST JOHN'S\\u{1b}[2J\\u{1b}]0;owned\\u{7}") throw new Error(shown);
 * if (printable("line one\nline\ttwo") !== "line one\nline\ttwo") throw new Error("kept");
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);
}

/**
 * A copy of `value` with {@linkcode printable} applied to every string in it (object keys
 * included), for showing data on a terminal without changing the data itself.
 *
 * @example
 * ```ts
 * import { printableCopy } from "./printable.ts";
 * const record = { name: "A\u001b[2JB", codes: ["X\u0007"], n: 1 };
 * const shown = printableCopy(record);
 * if (shown.name !== "A\\u{1b}[2JB" || shown.codes[0] !== "X\\u{7}" || shown.n !== 1) {
 *   throw new Error(JSON.stringify(shown));
 * }
 * if (record.name !== "A\u001b[2JB") throw new Error("the original changed");
 * ```
 */
export function printableCopy<T>(value: T): T {
  if (typeof value === "string") return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableCopy) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[printable(k)] = printableCopy(v);
    return out as T;
  }
  return value;
}
