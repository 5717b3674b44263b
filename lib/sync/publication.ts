/**
 * ODS's daily publication time, and what it means for a run: NHS England's guidance says updated
 * records appear "between Tuesday and Saturday after approximately 3am", so before that time a run
 * sees yesterday's publication, not today's. An empty run then is not a missed working day, and a
 * run that returns records has only read up to yesterday (the cursor moves to yesterday, so
 * today's publication is still asked for). A pure decision from the instant and the configured
 * time (`ODS_PUBLICATION_TIME`, Europe/London).
 *
 * @module
 */
import { addDays, ukDate } from "../dates.ts";

/** ODS publishes "after approximately 3am" UK time (NHS England's LastChangeDate guidance). */
export const DEFAULT_PUBLICATION_TIME = "03:00";

/** `HH:MM`, 24-hour. */
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Is `text` a time of day written `HH:MM` (24-hour)?
 *
 * @example
 * ```ts
 * import { isTimeOfDay } from "./publication.ts";
 *
 * isTimeOfDay("03:00"); // true
 * isTimeOfDay("3am"); // false
 * ```
 */
export function isTimeOfDay(text: string): boolean {
  return HH_MM.test(text);
}

/**
 * The Europe/London wall-clock time of `instant`, `HH:MM`.
 *
 * @example
 * ```ts
 * import { ukTimeOfDay } from "./publication.ts";
 *
 * ukTimeOfDay(new Date("2026-07-01T00:30:00Z")); // "01:30" (BST)
 * ukTimeOfDay(new Date("2026-11-25T01:30:00Z")); // "01:30" (GMT)
 * ```
 */
export function ukTimeOfDay(instant: Date): string {
  const t = Temporal.Instant.fromEpochMilliseconds(instant.getTime())
    .toZonedDateTimeISO("Europe/London");
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

/**
 * Is `instant` before the day's publication time (UK time)? Throws a `RangeError` for a
 * publication time that isn't `HH:MM`.
 *
 * @example
 * ```ts
 * import { beforePublication } from "./publication.ts";
 *
 * beforePublication(new Date("2026-11-25T01:30:00Z"), "03:00"); // true
 * beforePublication(new Date("2026-11-25T06:00:00Z"), "03:00"); // false
 * ```
 */
export function beforePublication(instant: Date, publicationTime: string): boolean {
  if (!isTimeOfDay(publicationTime)) {
    throw new RangeError(`publication time must be HH:MM, got ${JSON.stringify(publicationTime)}`);
  }
  return ukTimeOfDay(instant) < publicationTime;
}

/**
 * The UK date of the latest publication a run at `instant` can see: today once the publication
 * time has passed, yesterday before it.
 *
 * @example
 * ```ts
 * import { publishedDay } from "./publication.ts";
 *
 * publishedDay(new Date("2026-11-25T01:30:00Z"), "03:00"); // "2026-11-24"
 * publishedDay(new Date("2026-11-25T06:00:00Z"), "03:00"); // "2026-11-25"
 * ```
 */
export function publishedDay(instant: Date, publicationTime: string): string {
  const today = ukDate(instant);
  return beforePublication(instant, publicationTime) ? addDays(today, -1) : today;
}
