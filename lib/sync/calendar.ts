/**
 * UK dates, working days and the ODS publication calendar.
 *
 * ODS publishes the previous working day's changes Tuesday to Saturday after about 03:00 UK time,
 * so a day is a "publication day" when the day before it was an England and Wales working day.
 *
 * @module
 */
import { addDays } from "../dates.ts";
import bankHolidaysFile from "../../data/bank-holidays.json" with { type: "json" };

/** The gov.uk `bank-holidays.json` format (only the division we use is required). */
export interface BankHolidays {
  "england-and-wales": {
    division: string;
    events: { title: string; date: string; notes?: string; bunting?: boolean }[];
  };
}

/** The bundled England and Wales bank holidays (`data/bank-holidays.json`). */
export function bundledBankHolidays(): BankHolidays {
  return bankHolidaysFile as BankHolidays;
}

/** Working days and publication days for England and Wales. */
export class WorkingCalendar {
  readonly #holidays: Map<string, string>;

  constructor(holidays: BankHolidays = bundledBankHolidays()) {
    const division = holidays["england-and-wales"];
    if (!division || !Array.isArray(division.events)) {
      throw new Error("bank holidays file has no england-and-wales events");
    }
    this.#holidays = new Map(division.events.map((e) => [e.date, e.title]));
  }

  /** The bank holiday on `date`, if any. */
  holiday(date: string): string | undefined {
    return this.#holidays.get(date);
  }

  /** Monday to Friday and not a bank holiday. */
  isWorkingDay(date: string): boolean {
    const dow = Temporal.PlainDate.from(date).dayOfWeek; // 1 = Monday
    return dow <= 5 && !this.#holidays.has(date);
  }

  /** Does ODS normally publish new data on `date` (the day after a working day)? */
  isPublicationDay(date: string): boolean {
    return this.isWorkingDay(addDays(date, -1));
  }

  /** Publication days in `[from, to]`, inclusive. */
  publicationDays(from: string, to: string): string[] {
    const out: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) if (this.isPublicationDay(d)) out.push(d);
    return out;
  }

  /** Working days in `[from, to]`, inclusive. */
  workingDays(from: string, to: string): string[] {
    const out: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) out.push(d);
    return out;
  }
}
