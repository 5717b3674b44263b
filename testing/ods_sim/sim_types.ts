/**
 * The simulator's public shape: its options, a running simulator, and its request log entries.
 *
 * @module
 */

import type { ClockOptions, SimClock } from "./clock.ts";
import type { ChangeDayResult } from "./change_day.ts";
import type { OdsDataset, PublishResult } from "./dataset.ts";
import type { Faults, FaultsOptions } from "./faults.ts";
import type { FhirConfig } from "./fhir_context.ts";
import type { NationalDataset, NationalOptions } from "./national.ts";
import type { OrdConfig } from "./ord_context.ts";
import type { OrdOrganisation, OrdRecord } from "./ord_types.ts";

/** Options for `startOdsSimulator` (server.ts). All optional. */
export interface OdsSimulatorOptions {
  /** Port (default 0 = any free port). */
  port?: number;
  /** Interface (default `127.0.0.1`). */
  hostname?: string;
  /** Initial simulated "now" (default: real now). */
  now?: Date | string | number;
  /** Clock/calendar options (publishTime, calendar, skipDates, delayUntil, frozen …). */
  clock?: ClockOptions;
  /** Initial records (published immediately). Default: `defaultFixtures` (fixtures.ts). */
  records?: (OrdOrganisation | OrdRecord)[];
  /** Also include the default fixtures when `records` is given (default false). */
  withFixtures?: boolean;
  /**
   * Add a generated national dataset: number of untracked records, or generator options (e.g.
   * `{ untracked: 0, gpPractices: 15_000 }` for the national GP practice set; see national.ts).
   */
  national?: number | Partial<Omit<NationalOptions, "today">>;
  /** Welsh LHB role code in fixtures/national data (default RO144). */
  lhbRole?: string;
  /** Welsh LHB site role code (default RO149). */
  welshSiteRole?: string;
  /** Future date checker: End date still active on the End day (default false). */
  endInclusive?: boolean;
  /** ORD behaviour overrides. */
  ord?: Partial<OrdConfig>;
  /** FHIR behaviour overrides (apiKey, rateLimit, maxResponseBytes, defaultCount). */
  fhir?: Partial<FhirConfig>;
  /** Fault rules, seed, global rate limit, fixed latency. */
  faults?: FaultsOptions;
  /** Maximum request log entries kept (default 50,000; oldest dropped). */
  maxLogEntries?: number;
}

/** One logged request (control API calls under `/_sim` are not logged). */
export interface RequestLogEntry {
  method: string;
  /** Path, e.g. `/ORD/2-0-0/sync`. */
  path: string;
  /** Raw query string without `?` (parse with `new URLSearchParams`). */
  query: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** Simulated time of the request (ISO). */
  time: string;
  /** Wall-clock epoch ms when the request arrived. */
  wallTime: number;
  /** Status sent (for a reset: the status line that preceded the abort). */
  status: number;
  durationMs: number;
  /** Kinds of faults applied (e.g. `["status"]`, `["rateLimit"]`). */
  faults: string[];
}

/** A running simulator. */
export interface OdsSimulator {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** `${url}/ORD/2-0-0`. */
  readonly ordBaseUrl: string;
  /** `${url}/fhir`. */
  readonly fhirBaseUrl: string;
  /** `${url}/_sim`. */
  readonly controlUrl: string;
  readonly dataset: OdsDataset;
  readonly clock: SimClock;
  readonly faults: Faults;
  /** Live ORD config (mutable). */
  readonly ord: OrdConfig;
  /** Live FHIR config (mutable). */
  readonly fhir: FhirConfig;
  /** Code lists of the generated national dataset, if any. */
  readonly national: Omit<NationalDataset, "records"> | null;
  /** The request log (live array, oldest first). */
  readonly requests: RequestLogEntry[];
  /** Empties the request log. */
  clearRequests(): void;
  /** Forces a publication as of `day` (default today), regardless of the calendar. */
  publish(day?: string): PublishResult;
  /** Runs any scheduled publications that are due (also done before every request). */
  tick(): string[];
  /** "A day of K changed records of which T are tracked" (needs `national`). */
  changeDay(o: { day?: string; changed: number; tracked: number; seed?: number }): ChangeDayResult;
  /** Restores the initial dataset, clock, faults, configs and empties the log. */
  reset(): void;
  /** Stops the server and cancels pending delayed responses. */
  close(): Promise<void>;
}
