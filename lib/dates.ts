/**
 * Calendar dates written `YYYY-MM-DD`, and UK local time: the one place for date arithmetic.
 *
 * @module
 */

/** The date (YYYY-MM-DD) in Europe/London at `instant`. */
export function ukDate(instant: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime())
    .toZonedDateTimeISO("Europe/London")
    .toPlainDate()
    .toString();
}

/** The hour (0-23) in Europe/London at `instant`. */
export function ukHour(instant: Date): number {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime())
    .toZonedDateTimeISO("Europe/London").hour;
}

/** `date` plus `days` (may be negative). */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: string, b: string): number {
  return Temporal.PlainDate.from(a).until(Temporal.PlainDate.from(b), { largestUnit: "days" })
    .days;
}

/** Is `value` a real calendar date written `YYYY-MM-DD`? */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    return Temporal.PlainDate.from(value, { overflow: "reject" }).toString() === value;
  } catch {
    return false;
  }
}
