/**
 * When the sync runs on its own (`Deno.cron`, schedules in UTC).
 *
 * ODS publishes Tuesday to Saturday after about 03:00 UK time. The daily run is at 04:30 UTC,
 * which is 04:30 in winter (GMT) and 05:30 in summer (BST): after publication either way. It runs
 * every day: empty runs on Sundays and Mondays are expected and not counted by the defensive
 * algorithm, and ODS sometimes publishes bulk changes at weekends. Re-query attempts run every two
 * hours through the working day, and only do something while the algorithm is re-querying, after a
 * failed run, or when today's run hasn't succeeded yet. The effective-date job runs at the start
 * of each UK day and applies what ODS published in advance for that day.
 *
 * @module
 */
import { log } from "../log.ts";
import type { PostcodeResolver } from "../ods/postcode_cache.ts";
import type { OdsSource } from "../ods/source.ts";
import type { Store } from "../store.ts";
import { ukDate } from "../dates.ts";
import { runEffective } from "./effective.ts";
import { readSyncState } from "./history.ts";
import { runSync } from "./run.ts";
import type { SyncState } from "./state.ts";

/** Daily run, UTC. */
export const DAILY_SCHEDULE = "30 4 * * *";

/** Re-query attempts, UTC (08:00 to 18:00 every two hours). */
export const REQUERY_SCHEDULE = "0 8-18/2 * * *";

/**
 * The effective-date job, UTC: 00:05 UK time all year (23:05 UTC in summer, 00:05 UTC in
 * winter); the other of the two finds nothing new due, as the job is idempotent.
 */
export const EFFECTIVE_SCHEDULE = "5 23,0 * * *";

/**
 * Should a re-query attempt at `now` run?
 *
 * @example
 * ```ts
 * import { requeryDue } from "./schedule.ts";
 * import { INITIAL_SYNC_STATE } from "./state.ts";
 *
 * requeryDue(INITIAL_SYNC_STATE, new Date()); // true: no run has succeeded yet
 * ```
 */
export function requeryDue(state: SyncState, now: Date): boolean {
  if (state.mode !== "bau") return true;
  if (state.last_outcome === "failed") return true;
  if (!state.last_success_at) return true;
  return ukDate(new Date(state.last_success_at)) !== ukDate(now);
}

/** What the cron handlers need. */
export interface ScheduleDeps {
  store: Store;
  /** A fresh source per run. */
  createSource: () => OdsSource;
  now?: () => Date;
  /** The lease TTL of the runs (`SYNC_LEASE_TTL_MS`); default 120 s. */
  leaseTtlMs?: number;
  /** ODS's daily publication time (`ODS_PUBLICATION_TIME`); default 03:00. */
  publicationTime?: string;
  /** Sync GP practices too (`SYNC_GP_PRACTICES`); default false. */
  gpPractices?: boolean;
  /** A postcode look-up per run for the local authority step; none: the step is skipped. */
  createPostcodes?: () => Pick<PostcodeResolver, "resolve"> | null;
  /** The step's look-ups per run (`SYNC_POSTCODE_LOOKUPS`); default 1000. */
  postcodeLookups?: number;
}

/** One cron-triggered run. */
function cronRun(deps: ScheduleDeps): Promise<unknown> {
  return runSync({
    store: deps.store,
    source: deps.createSource(),
    trigger: "cron",
    now: deps.now,
    leaseTtlMs: deps.leaseTtlMs,
    publicationTime: deps.publicationTime,
    gpPractices: deps.gpPractices,
    postcodes: deps.createPostcodes?.() ?? null,
    postcodeLookups: deps.postcodeLookups,
  });
}

/**
 * The daily job: the sync, then the effective-date job again, which catches up on a day whose
 * 00:05 run was missed (the service was down) and finds nothing otherwise.
 */
export async function dailyJob(deps: ScheduleDeps): Promise<void> {
  await cronRun(deps);
  await effectiveJob(deps);
}

/** The effective-date job: applies what falls due on today's UK date. */
export async function effectiveJob(deps: ScheduleDeps): Promise<void> {
  await runEffective({ store: deps.store, now: deps.now, leaseTtlMs: deps.leaseTtlMs });
}

/** The re-query job: runs only when {@linkcode requeryDue}. */
export async function requeryJob(deps: ScheduleDeps): Promise<boolean> {
  const now = (deps.now ?? (() => new Date()))();
  const state = await readSyncState(deps.store);
  if (!requeryDue(state, now)) return false;
  log("info", "re-query attempt", { mode: state.mode, cursor: state.cursor });
  await cronRun(deps);
  return true;
}

/** The part of `Deno.cron` used here. */
export type CronRegister = (
  name: string,
  schedule: string,
  handler: () => Promise<void>,
) => unknown;

/**
 * Register the jobs with `Deno.cron` (or `cron`): the daily sync, its re-query attempts and the
 * effective-date job. A job that throws is logged as an error and doesn't reach the scheduler,
 * so a crash never stops later runs.
 */
export function registerCronJobs(
  deps: ScheduleDeps,
  cron: CronRegister = (name, schedule, handler) => Deno.cron(name, schedule, handler),
): void {
  const guard = (name: string, job: () => Promise<unknown>) => async () => {
    try {
      await job();
    } catch (err) {
      log("error", `cron job ${name} crashed`, { error: String(err) });
    }
  };
  cron("ods-sync-daily", DAILY_SCHEDULE, guard("daily", () => dailyJob(deps)));
  cron("ods-sync-requery", REQUERY_SCHEDULE, guard("requery", () => requeryJob(deps)));
  cron("ods-effective-daily", EFFECTIVE_SCHEDULE, guard("effective", () => effectiveJob(deps)));
}
