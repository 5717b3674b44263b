/**
 * The `?as_of=YYYY-MM-DD` query parameter of the read routes: which UK calendar date an answer
 * describes. Absent, a route answers the current state (which the effective-date job keeps to
 * today's UK date) from the fast path; present, the state on that date ({@link ./records_on.ts}).
 *
 * @module
 */
import { isIsoDate, ukDate } from "../dates.ts";
import { ApiError } from "./errors.ts";
import { lastParam } from "./filters.ts";

/** The response header naming the date an as-of answer describes. */
export const AS_OF_HEADER = "X-As-Of";

/** The query parameter. */
export const AS_OF_PARAM = "as_of";

/**
 * The date `params` ask for in `name` (default `as_of`): `null` when it is absent, today's UK
 * date when it is empty, else the date given. A malformed or impossible date is a 400 naming the
 * format.
 *
 * @example
 * ```ts
 * import { parseAsOf } from "./as_of.ts";
 *
 * const now = new Date("2026-06-30T23:30:00Z"); // already 1 July in the UK (BST)
 * parseAsOf(new URLSearchParams("as_of=2019-06-01"), now); // "2019-06-01"
 * parseAsOf(new URLSearchParams("as_of="), now); // "2026-07-01"
 * parseAsOf(new URLSearchParams(""), now); // null
 * ```
 */
export function parseAsOf(
  params: URLSearchParams,
  now: Date = new Date(),
  name: string = AS_OF_PARAM,
): string | null {
  const raw = lastParam(params, name);
  if (raw === null) return null;
  if (raw === "") return ukDate(now);
  if (!isIsoDate(raw)) {
    throw new ApiError(
      400,
      `invalid ${name}`,
      { [name]: ["Enter a date, YYYY-MM-DD."] },
      `Invalid ${name} date.`,
    );
  }
  return raw;
}
