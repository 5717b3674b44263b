/**
 * ORD 2-0-0: `GET /sync?LastChangeDate=D` lists changed codes (no paging, 185-day window), then
 * `GET /organisations/{code}` for each tracked code only.
 *
 * @module
 */

import type { OdsConfig } from "../config.ts";
import { addDays } from "../dates.ts";
import { dateProblem } from "./dated.ts";
import type { HttpClient } from "./http.ts";
import {
  type DeletedRecord,
  parseOrdNotifications,
  parseOrdOrganisation,
  parseOrdSync,
} from "./ord.ts";
import { ORD_SEARCH_LIMIT, searchAllCodes } from "./ord_search.ts";
import { normalizeCode } from "./record.ts";
import {
  changeListError,
  type ChangeSet,
  checkSince,
  failureReason,
  type FetchOutcome,
  GP_ROLES,
  mapWithProgress,
  OdsError,
  type OdsSource,
  type OnProgress,
  sourceHttpClient,
  type SourceOptions,
  unreachableError,
} from "./source_base.ts";

/**
 * ORD 2-0-0 (`/sync` + `/organisations/{code}`).
 *
 * @example
 * ```ts
 * import { loadConfig } from "../config.ts";
 * import { OrdSource } from "./ord_source.ts";
 *
 * const source = new OrdSource(loadConfig({ KV_PATH: ":memory:" }).ods);
 * source.stats(); // { requests: 0, retries: 0 }
 * ```
 */
export class OrdSource implements OdsSource {
  readonly name = "ord" as const;
  #base: string;
  #http: HttpClient;

  constructor(config: OdsConfig, options: SourceOptions = {}) {
    this.#base = config.ordBaseUrl.replace(/\/+$/, "");
    this.#http = sourceHttpClient(config, options, "application/json");
  }

  stats(): { requests: number; retries: number } {
    return this.#http.stats();
  }

  async changesSince(
    since: string,
    isTracked: (code: string) => boolean,
    onProgress?: OnProgress,
  ): Promise<ChangeSet> {
    checkSince(since);
    const res = await this.#http.getJson(`${this.#base}/sync?LastChangeDate=${since}`);
    if (!res.ok) {
      if (res.status === 406) {
        throw new OdsError(
          "window",
          `ORD refused LastChangeDate=${since} (HTTP 406): older than the sync window?`,
          { status: 406 },
        );
      }
      throw changeListError(res, `ORD sync since ${since}`);
    }
    const parsed = parseOrdSync(res.body);
    if (!parsed.ok) {
      throw new OdsError("bad_response", `ORD sync since ${since}: ${parsed.reason}`, {
        status: res.status,
      });
    }
    const tracked = parsed.codes.filter((c) => isTracked(c));
    const outcomes = await mapWithProgress(
      tracked,
      (c) => this.fetchOne(c),
      () => 1,
      tracked.length,
      onProgress,
    );
    return { seen: parsed.codes.length, outcomes };
  }

  async fetchOne(code: string): Promise<FetchOutcome> {
    const want = normalizeCode(code);
    const res = await this.#http.getJson(
      `${this.#base}/organisations/${encodeURIComponent(want)}`,
    );
    if (!res.ok) {
      if (res.unreachable) throw unreachableError(res);
      if (res.status === 404 || res.status === 410) return { status: "not_found", code: want };
      return { status: "error", code: want, reason: failureReason(res) };
    }
    const parsed = parseOrdOrganisation(res.body);
    if (!parsed.ok) return { status: "invalid", code: want, reason: parsed.reason };
    const contradiction = dateProblem(parsed.record);
    if (contradiction) return { status: "invalid", code: want, reason: contradiction };
    if (parsed.record.code !== want) {
      return {
        status: "invalid",
        code: want,
        reason: `asked for ${want} but ODS returned ${parsed.record.code}`,
      };
    }
    return { status: "ok", code: want, record: parsed.record };
  }

  async countChangedOn(day: string): Promise<number> {
    checkSince(day);
    const [from, after] = await Promise.all([
      this.#countSince(day),
      this.#countSince(addDays(day, 1)),
    ]);
    return Math.max(0, from - after);
  }

  async fetchMany(codes: readonly string[], onProgress?: OnProgress): Promise<FetchOutcome[]> {
    const wanted = codes.map(normalizeCode);
    const distinct = [...new Set(wanted)];
    const results = await mapWithProgress(
      distinct,
      (c) => this.fetchOne(c),
      () => 1,
      distinct.length,
      onProgress,
    );
    const byCode = new Map(distinct.map((c, i) => [c, results[i]]));
    return wanted.map((c) => byCode.get(c)!);
  }

  /**
   * `Roles=RO76,RO98&Limit=1000` (with `LastChangeDate=since` unless a baseline), every page,
   * then each record at the polite rate: pages + records requests.
   */
  async gpPractices(since: string | null, onProgress?: OnProgress): Promise<ChangeSet> {
    if (since !== null) checkSince(since);
    const query = `Roles=${GP_ROLES.join(",")}&Limit=${ORD_SEARCH_LIMIT}` +
      (since === null ? "" : `&LastChangeDate=${since}`);
    const what = since === null ? "ORD GP practice search" : `ORD GP practices since ${since}`;
    const codes = (await searchAllCodes(this.#http, this.#base, query, what)).sort();
    return { seen: codes.length, outcomes: await this.fetchMany(codes, onProgress) };
  }

  async deletions(): Promise<DeletedRecord[]> {
    const res = await this.#http.getJson(`${this.#base}/notifications`);
    if (!res.ok) throw changeListError(res, "ORD notifications");
    const parsed = parseOrdNotifications(res.body);
    if (!parsed.ok) {
      throw new OdsError("bad_response", `ORD notifications: ${parsed.reason}`, {
        status: res.status,
      });
    }
    return parsed.deleted;
  }

  /** Records with LastChangeDate on or after `day` (`X-Total-Count` of a one-record search). */
  async #countSince(day: string): Promise<number> {
    const res = await this.#http.getJson(
      `${this.#base}/organisations?LastChangeDate=${day}&Limit=1`,
    );
    if (!res.ok) {
      if (res.status === 406) {
        throw new OdsError("window", `ORD refused LastChangeDate=${day} (HTTP 406)`, {
          status: 406,
        });
      }
      throw changeListError(res, `ORD count since ${day}`);
    }
    const total = Number(res.headers.get("X-Total-Count") ?? NaN);
    if (!Number.isInteger(total) || total < 0) {
      throw new OdsError("bad_response", `ORD count since ${day}: no usable X-Total-Count`, {
        status: res.status,
      });
    }
    return total;
  }
}
