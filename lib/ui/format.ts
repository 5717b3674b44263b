/**
 * Formatting for the web pages: UK dates and times, ages, values of the change log, labels of
 * entity kinds. Pure functions.
 *
 * @module
 */
import { KIND_PATHS } from "../api/routes.ts";
import type { Kind } from "../model.ts";

const INSTANT = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

const DAY = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  day: "numeric",
  month: "short",
  year: "numeric",
});

const SHORT_DAY = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "short",
});

const SHORT_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

function valid(d: Date): boolean {
  return !Number.isNaN(d.getTime());
}

/**
 * An ISO instant in UK time, e.g. `Wed 25 Nov 2026, 06:00`. Returns the input unchanged when it
 * is not a date, and an em dash for `null`.
 */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return valid(d) ? INSTANT.format(d).replace(" at ", ", ") : iso;
}

/** A calendar date (`YYYY-MM-DD`) as `24 Nov 2026`; other text is returned unchanged. */
export function formatDay(date: string | null | undefined): string {
  if (!date) return "—";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const d = new Date(`${date}T00:00:00Z`);
  return valid(d) ? DAY.format(d) : date;
}

/** Day and time on two short lines for chart labels: `["24 Nov", "06:00"]` (UK time). */
export function shortStamp(iso: string): [string, string] {
  const d = new Date(iso);
  return valid(d) ? [SHORT_DAY.format(d), SHORT_TIME.format(d)] : [iso, ""];
}

/**
 * How long ago `iso` was, relative to `now`: `just now`, `5 minutes ago`, `3 hours ago`,
 * `2 days ago` (or `in the future`).
 */
export function formatAge(iso: string | null | undefined, now: Date): string {
  if (!iso) return "never";
  const then = new Date(iso);
  if (!valid(then)) return iso;
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < -60) return "in the future";
  if (seconds < 60) return "just now";
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, "hour");
  return plural(Math.floor(hours / 24), "day");
}

/** Milliseconds as `850 ms`, `12.3 s` or `4 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * A value of the change log or of a record as text, as the Markdown report writes it: strings
 * as they are, empty for `null`, anything else as JSON.
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The singular label of each entity kind, as used in sentences. */
const SINGULAR: { readonly [K in Kind]: string } = {
  organisation: "organisation",
  trust: "trust",
  local_health_board: "local health board",
  integrated_care_board: "integrated care board",
  nhs_england_region: "NHS England region",
  country: "country",
  london_borough: "London borough",
  paediatric_diabetes_unit: "paediatric diabetes unit",
  paediatric_diabetes_network: "paediatric diabetes network",
  openuk_network: "OPEN UK network",
  general_practice: "GP practice",
  sub_icb_location: "sub-ICB location",
};

/** Singular and plural labels of each entity kind (the plural is the kind's API tag). */
export const KIND_LABELS: { readonly [K in Kind]: { one: string; many: string } } = Object
  .fromEntries(
    (Object.keys(SINGULAR) as Kind[]).map((
      k,
    ) => [k, { one: SINGULAR[k], many: KIND_PATHS[k].tag }]),
  ) as { [K in Kind]: { one: string; many: string } };

/** The label of a kind given as a string (unknown kinds are shown with spaces for `_`). */
export function kindLabel(kind: string): string {
  return (KIND_LABELS as Record<string, { one: string }>)[kind]?.one ?? kind.replaceAll("_", " ");
}

/** `1 item`, `2 items`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}
