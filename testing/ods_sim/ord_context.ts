/**
 * What every ORD route of the simulator shares: its base path, tunable behaviour, the context
 * handlers get, and the query and window checks of the real API.
 *
 * @module
 */

import { addDays, isIsoDate } from "./clock.ts";
import type { OdsDataset } from "./dataset.ts";
import { simJson as json, type SimResponse } from "./response.ts";

/** Base path of the ORD API. */
export const ORD_PREFIX = "/ORD/2-0-0";

/** Tunable ORD behaviour. */
export interface OrdConfig {
  /** Body of an empty sync: `{"Organisations":[]}` (`array`, default) or `{}` (`object`). */
  emptySyncShape: "array" | "object";
  /** Sync/search LastChangeDate window in days (default 185). */
  syncWindowDays: number;
  /** Status for a LastChangeDate older than the window (default 406). */
  windowStatus: number;
  /** Search page size default (20) and maximum (1000; above → 406). */
  defaultLimit: number;
  maxLimit: number;
  /** `Offset` = records skipped (0, default) or 1-based index of the first record (1). */
  offsetBase: 0 | 1;
  /** Body of a 404 (default `{"errorCode":404,"errorText":"Not Found"}`). */
  notFoundBody: unknown;
  /** Partial PostCode: outward-code match (`segment`, official) or plain prefix (`prefix`). */
  postCodeMode: "segment" | "prefix";
  /** Deleted-organisation notices older than this many days are dropped (default 185). */
  notificationDays: number;
}

/**
 * Default {@link OrdConfig}.
 *
 * @example
 * ```ts
 * import { defaultOrdConfig } from "./ord_context.ts";
 * import { equal } from "node:assert/strict";
 * equal(defaultOrdConfig().syncWindowDays, 185);
 * ```
 */
export function defaultOrdConfig(): OrdConfig {
  return {
    emptySyncShape: "array",
    syncWindowDays: 185,
    windowStatus: 406,
    defaultLimit: 20,
    maxLimit: 1000,
    offsetBase: 0,
    notFoundBody: { errorCode: 404, errorText: "Not Found" },
    postCodeMode: "segment",
    notificationDays: 185,
  };
}

/** What the ORD handlers need. */
export interface OrdContext {
  dataset: OdsDataset;
  /** Today (Europe/London) per the simulator clock. */
  today: string;
  /** Absolute base URL, e.g. `http://127.0.0.1:1234/ORD/2-0-0`. */
  ordBaseUrl: string;
  config: OrdConfig;
}

/**
 * A 406 with the ORD error body.
 *
 * @example
 * ```ts
 * import { notAcceptable } from "./ord_context.ts";
 * import { equal } from "node:assert/strict";
 * equal(notAcceptable().status, 406);
 * ```
 */
export function notAcceptable(text = "Not Acceptable"): SimResponse {
  return json(406, { errorCode: 406, errorText: text });
}

/**
 * Case-insensitive query lookup: first value of `name`, or null.
 *
 * @example
 * ```ts
 * import { param } from "./ord_context.ts";
 * import { equal } from "node:assert/strict";
 * equal(param(new URL("http://sim/sync?lastchangedate=2025-06-01"), "LastChangeDate"), "2025-06-01");
 * ```
 */
export function param(url: URL, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === lower) return v;
  return null;
}

/**
 * The OrgLink of a code.
 *
 * @example
 * ```ts
 * import { orgLink } from "./ord_context.ts";
 * import { equal } from "node:assert/strict";
 * equal(orgLink("http://sim/ORD/2-0-0", "RWR"), "http://sim/ORD/2-0-0/organisations/RWR");
 * ```
 */
export function orgLink(ordBaseUrl: string, code: string): string {
  return `${ordBaseUrl}/organisations/${code}`;
}

/**
 * A LastChangeDate query value checked against the sync window.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { checkWindowDate, defaultOrdConfig } from "./ord_context.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ today: () => "2025-06-10" }),
 *   today: "2025-06-10",
 *   ordBaseUrl: "http://sim/ORD/2-0-0",
 *   config: defaultOrdConfig(),
 * };
 * equal(checkWindowDate("2024-12-07", ctx).ok, true);
 * equal(checkWindowDate("2024-12-06", ctx).ok, false);
 * ```
 */
export function checkWindowDate(
  value: string | null,
  ctx: OrdContext,
): { ok: true; date: string } | { ok: false; res: SimResponse } {
  if (value === null || !isIsoDate(value)) return { ok: false, res: notAcceptable() };
  if (value < addDays(ctx.today, -ctx.config.syncWindowDays)) {
    return {
      ok: false,
      res: json(ctx.config.windowStatus, {
        errorCode: ctx.config.windowStatus,
        errorText: `LastChangeDate must be within the last ${ctx.config.syncWindowDays} days`,
      }),
    };
  }
  return { ok: true, date: value };
}
