/**
 * Injectable clock and publication calendar for the ODS simulator.
 *
 * The real ODS data is edited by analysts during the day and published overnight (the ORD/FHIR
 * APIs are reloaded at about 02:00–03:00 UK time); a "future date checker" runs before each
 * load.  This module models:
 *
 * - `now` (frozen by default, settable and advanceable; or following wall time with an offset),
 * - the publication time of day in Europe/London (default 02:30),
 * - a publication calendar (daily by default; optionally only after working days, skipping given
 *   dates, weekdays or bank holidays),
 * - a "delay publication until X" knob for data that failed assurance.
 *
 * All calendar days are `YYYY-MM-DD` strings in Europe/London.
 *
 * @module
 */

import { addDays, daysBetween, isIsoDate, ukDate } from "../../lib/dates.ts";
import { bundledBankHolidays } from "../../lib/sync/calendar.ts";

export { addDays, daysBetween, isIsoDate };

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const londonTimeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function dayToUtcMs(day: string): number {
  const m = ISO_DATE.exec(day);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/**
 * Day of the week of a `YYYY-MM-DD` date: 0 = Sunday … 6 = Saturday.
 *
 * @example
 * ```ts
 * import { weekday } from "./clock.ts";
 * import { equal } from "node:assert/strict";
 * equal(weekday("2025-06-10"), 2);
 * ```
 */
export function weekday(day: string): number {
  return new Date(dayToUtcMs(day)).getUTCDay();
}

/**
 * The Europe/London calendar date of an instant, as `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * import { londonDate } from "./clock.ts";
 * import { equal } from "node:assert/strict";
 * equal(londonDate(new Date("2025-06-10T23:30:00Z")), "2025-06-11");
 * ```
 */
export function londonDate(instant: Date | number): string {
  return ukDate(typeof instant === "number" ? new Date(instant) : instant);
}

/**
 * The instant at which the Europe/London wall clock shows `hhmm` (`"HH:MM"`) on `day`.
 * Ambiguous (autumn) times resolve to the earlier instant; non-existent ones to GMT.
 *
 * @example
 * ```ts
 * import { londonInstant } from "./clock.ts";
 * import { equal } from "node:assert/strict";
 * equal(londonInstant("2025-07-15", "02:30").toISOString(), "2025-07-15T01:30:00.000Z");
 * ```
 */
export function londonInstant(day: string, hhmm: string): Date {
  const [h, m] = hhmm.split(":").map(Number);
  const base = dayToUtcMs(day) + (h * 60 + m) * 60_000;
  for (const offsetMin of [60, 0]) {
    const candidate = new Date(base - offsetMin * 60_000);
    if (londonDate(candidate) === day && londonTimeFormat.format(candidate) === hhmm) {
      return candidate;
    }
  }
  return new Date(base);
}

/**
 * England and Wales bank holidays (the project's bundled gov.uk file), used when the calendar
 * skips bank holidays. Override with {@link ClockOptions.bankHolidays}.
 */
export const ENGLAND_WALES_BANK_HOLIDAYS: readonly string[] = bundledBankHolidays()[
  "england-and-wales"
].events.map((e) => e.date);

/**
 * Which days have a publication.
 * - `daily`: every day (default);
 * - `workingDays`: a day is published only if the previous day was a working day (Mon–Fri and
 *   not a bank holiday) — i.e. Tue–Sat, as in the NHS LastChangeDate guidance.
 */
export type CalendarMode = "daily" | "workingDays";

/** Options for {@link SimClock}. */
export interface ClockOptions {
  /** Initial "now" (Date, ISO string or epoch ms). Default: the real current time. */
  now?: Date | string | number;
  /** When true (default) `now` only moves when set/advanced; otherwise it follows wall time. */
  frozen?: boolean;
  /** Europe/London publication time of day, `HH:MM`. Default `02:30`. */
  publishTime?: string;
  /** Calendar mode, default `daily`. */
  calendar?: CalendarMode;
  /** Days (`YYYY-MM-DD`) on which no publication happens. */
  skipDates?: string[];
  /** Weekdays (0 = Sunday … 6 = Saturday) on which no publication happens. */
  skipWeekdays?: number[];
  /** Skip publications on bank holidays. Default false. */
  skipBankHolidays?: boolean;
  /** Bank holiday list; default {@link ENGLAND_WALES_BANK_HOLIDAYS}. */
  bankHolidays?: string[];
  /**
   * Failed assurance: no scheduled publication happens before this instant (ISO datetime) or
   * before the publication time of this day (`YYYY-MM-DD`); at that point one catch-up
   * publication happens.
   */
  delayUntil?: string | null;
}

/** Serializable view of a clock's settings and state. */
export interface ClockState {
  now: string;
  today: string;
  frozen: boolean;
  publishTime: string;
  calendar: CalendarMode;
  skipDates: string[];
  skipWeekdays: number[];
  skipBankHolidays: boolean;
  delayUntil: string | null;
}

function toMs(v: Date | string | number): number {
  const ms = v instanceof Date ? v.getTime() : typeof v === "number" ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new RangeError(`invalid instant: ${String(v)}`);
  return ms;
}

/**
 * The injectable simulator clock.
 *
 * @example
 * ```ts
 * import { SimClock } from "./clock.ts";
 * import { equal } from "node:assert/strict";
 * const clock = new SimClock({ now: "2025-06-10T09:00:00Z", frozen: true });
 * equal(clock.today(), "2025-06-10");
 * clock.advanceDays(1);
 * equal(clock.today(), "2025-06-11");
 * ```
 */
export class SimClock {
  #frozenAt: number;
  #offset = 0;
  frozen: boolean;
  publishTime: string;
  calendar: CalendarMode;
  skipDates: Set<string>;
  skipWeekdays: Set<number>;
  skipBankHolidays: boolean;
  bankHolidays: Set<string>;
  delayUntil: string | null;

  /** Creates a clock; see {@link ClockOptions}. */
  constructor(options: ClockOptions = {}) {
    this.#frozenAt = toMs(options.now ?? Date.now());
    this.frozen = options.frozen ?? true;
    if (!this.frozen) this.#offset = this.#frozenAt - Date.now();
    this.publishTime = "02:30";
    this.calendar = "daily";
    this.skipDates = new Set();
    this.skipWeekdays = new Set();
    this.skipBankHolidays = false;
    this.bankHolidays = new Set(ENGLAND_WALES_BANK_HOLIDAYS);
    this.delayUntil = null;
    this.configure(options);
  }

  /** Applies calendar settings (everything in {@link ClockOptions} except `now`/`frozen`). */
  configure(options: Omit<ClockOptions, "now" | "frozen">): void {
    if (options.publishTime !== undefined) {
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(options.publishTime)) {
        throw new RangeError(`publishTime must be HH:MM, got ${options.publishTime}`);
      }
      this.publishTime = options.publishTime;
    }
    if (options.calendar !== undefined) this.calendar = options.calendar;
    if (options.skipDates !== undefined) this.skipDates = new Set(options.skipDates);
    if (options.skipWeekdays !== undefined) this.skipWeekdays = new Set(options.skipWeekdays);
    if (options.skipBankHolidays !== undefined) this.skipBankHolidays = options.skipBankHolidays;
    if (options.bankHolidays !== undefined) this.bankHolidays = new Set(options.bankHolidays);
    if (options.delayUntil !== undefined) this.delayUntil = options.delayUntil;
  }

  /** The current simulated instant. */
  now(): Date {
    return new Date(this.nowMs());
  }

  /** The current simulated instant in epoch milliseconds. */
  nowMs(): number {
    return this.frozen ? this.#frozenAt : Date.now() + this.#offset;
  }

  /** Today's date in Europe/London. */
  today(): string {
    return londonDate(this.nowMs());
  }

  /** Sets "now". */
  set(now: Date | string | number): void {
    const ms = toMs(now);
    if (this.frozen) this.#frozenAt = ms;
    else this.#offset = ms - Date.now();
  }

  /** Moves "now" forward by `ms` (negative moves back). */
  advance(ms: number): void {
    this.set(this.nowMs() + ms);
  }

  /** Moves "now" forward by whole days. */
  advanceDays(days: number): void {
    this.advance(days * DAY_MS);
  }

  /** Sets "now" to `time` (`HH:MM`, Europe/London) on `day`. */
  setLondon(day: string, time: string): void {
    this.set(londonInstant(day, time));
  }

  /** The instant of the scheduled publication on `day`. */
  publicationInstant(day: string): Date {
    return londonInstant(day, this.publishTime);
  }

  /** True when `day` is a working day (Mon–Fri, not a bank holiday). */
  isWorkingDay(day: string): boolean {
    const wd = weekday(day);
    return wd !== 0 && wd !== 6 && !this.bankHolidays.has(day);
  }

  /** True when the calendar (ignoring `delayUntil`) has a publication on `day`. */
  isPublicationDay(day: string): boolean {
    if (this.skipDates.has(day) || this.skipWeekdays.has(weekday(day))) return false;
    if (this.skipBankHolidays && this.bankHolidays.has(day)) return false;
    if (this.calendar === "workingDays" && !this.isWorkingDay(addDays(day, -1))) return false;
    return true;
  }

  #delayInstant(): number | null {
    if (!this.delayUntil) return null;
    return isIsoDate(this.delayUntil)
      ? this.publicationInstant(this.delayUntil).getTime()
      : toMs(this.delayUntil);
  }

  /**
   * The publication days due after `lastPublishedDay` up to now, oldest first.
   * Scheduled publications before `delayUntil` are suppressed; once `delayUntil` has passed one
   * catch-up publication dated that day is due.
   */
  duePublications(lastPublishedDay: string): string[] {
    const nowMs = this.nowMs();
    const today = this.today();
    const delay = this.#delayInstant();
    const due: string[] = [];
    const span = daysBetween(lastPublishedDay, today);
    for (let i = 1; i <= span; i++) {
      const day = addDays(lastPublishedDay, i);
      if (!this.isPublicationDay(day)) continue;
      const at = this.publicationInstant(day).getTime();
      if (at > nowMs) continue;
      if (delay !== null && at < delay) continue;
      due.push(day);
    }
    if (delay !== null && delay <= nowMs) {
      const day = londonDate(delay);
      if (day > lastPublishedDay && !due.includes(day)) due.push(day);
      due.sort();
    }
    return due;
  }

  /** The most recent day whose publication time has passed (ignoring the calendar). */
  latestPublicationDayAtOrBefore(): string {
    const today = this.today();
    return this.publicationInstant(today).getTime() <= this.nowMs() ? today : addDays(today, -1);
  }

  /** A serializable snapshot of settings and state. */
  state(): ClockState {
    return {
      now: this.now().toISOString(),
      today: this.today(),
      frozen: this.frozen,
      publishTime: this.publishTime,
      calendar: this.calendar,
      skipDates: [...this.skipDates].sort(),
      skipWeekdays: [...this.skipWeekdays].sort(),
      skipBankHolidays: this.skipBankHolidays,
      delayUntil: this.delayUntil,
    };
  }
}

/** Something that can be published on a day (the dataset). */
export interface Publishable {
  readonly lastPublishedDay: string;
  publish(day: string): unknown;
}

/**
 * Runs every publication that the clock says is due for `target`, oldest first.
 * Returns the days published.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { runDuePublications, SimClock } from "./clock.ts";
 * import { deepEqual } from "node:assert/strict";
 * const clock = new SimClock({ now: "2025-06-10T09:00:00Z", frozen: true });
 * const dataset = new OdsDataset({ today: () => clock.today(), lastPublishedDay: "2025-06-10" });
 * clock.setLondon("2025-06-11", "03:00");
 * deepEqual(runDuePublications(clock, dataset), ["2025-06-11"]);
 * ```
 */
export function runDuePublications(clock: SimClock, target: Publishable): string[] {
  const due = clock.duePublications(target.lastPublishedDay);
  for (const day of due) target.publish(day);
  return due;
}
