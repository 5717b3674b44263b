/**
 * `GET /postcodes/{postcode}/` (NEW): a postcode's NHS and statistical geography from the FHIR
 * API's `postcode` CodeSystem, cached in KV (lib/ods/postcode_cache.ts), with the ICB, NHS
 * England region, health board and country named from the store where it holds them.
 *
 * - 400 for a value that is not a UK postcode's shape (case and spacing don't matter);
 * - 404 for a postcode ODS doesn't know (cached for a day);
 * - 503 when the FHIR API is not configured, or can't be reached and nothing is cached;
 * - an expired entry whose refresh failed is answered as it was, with `X-Postcode-Stale: true`.
 *
 * The answer's ETag is a digest of its body (the ETag middleware), so it changes when the
 * cached entry is refetched or a name in the store changes.
 *
 * @module
 */
import type { Hono } from "hono";
import type { Dataset } from "./dataset.ts";
import { ApiError } from "./errors.ts";
import { asciiJson, sendJson } from "./http.ts";
import type { SnapshotCache } from "./snapshot.ts";
import { canonicalPostcode, type PostcodeGeography } from "../ods/postcode_lookup.ts";
import type { PostcodeAnswer, PostcodeResolver } from "../ods/postcode_cache.ts";

/** The route, as the OpenAPI document writes it. */
export const POSTCODE_PATH = "/postcodes/{postcode}/";

/** The header marking an answer whose refresh failed (the cached entry is past 30 days). */
export const STALE_HEADER = "X-Postcode-Stale";

/** The answer of the route. */
export interface PostcodeBody {
  postcode: string;
  country: { boundary_identifier: string; name: string | null } | null;
  primary_care_organisation: { ods_code: string; name: string | null } | null;
  integrated_care_board: { ods_code: string; name: string | null } | null;
  nhs_england_region: { region_code: string; name: string | null } | null;
  local_authority: string | null;
  lsoa_2011: string | null;
  government_office_region: string | null;
  /** When ODS was asked (ISO 8601, UTC). */
  fetched_at: string;
}

/** ONS country codes by the first letter of an ONS area code (the LSOA's). */
const COUNTRY_BY_PREFIX: Readonly<Record<string, string>> = {
  E: "E92000001",
  W: "W92000004",
  S: "S92000003",
};

/**
 * The ONS country of a postcode: from its 2011 LSOA code (`E01…` England, `W01…` Wales), else
 * its government office region (`W` Wales); `null` when neither tells.
 *
 * @example
 * ```ts
 * import { countryOf } from "./postcodes.ts";
 * import { equal } from "node:assert/strict";
 * equal(countryOf({ lsoa11: "E01017960", gor: "G" }), "E92000001");
 * equal(countryOf({ lsoa11: null, gor: "W" }), "W92000004");
 * equal(countryOf({ lsoa11: null, gor: null }), null);
 * ```
 */
export function countryOf(geo: Pick<PostcodeGeography, "lsoa11" | "gor">): string | null {
  const byLsoa = geo.lsoa11 ? COUNTRY_BY_PREFIX[geo.lsoa11[0]] : undefined;
  return byLsoa ?? (geo.gor === "W" ? "W92000004" : null);
}

/** `{[key]: code, name}`, named by `name` when the store holds it; `null` without a code. */
function named<K extends string>(
  key: K,
  code: string | null,
  name: (code: string) => string | undefined,
): (Record<K, string> & { name: string | null }) | null {
  if (code === null) return null;
  return { [key]: code, name: name(code) ?? null } as Record<K, string> & { name: string | null };
}

/**
 * The route's answer for `geo`, naming what `data` holds: the ICB, the region, the primary care
 * organisation when it is a Welsh health board, and the country.
 *
 * @example
 * ```ts
 * import { buildDataset } from "./dataset.ts";
 * import { postcodeBody } from "./postcodes.ts";
 * import { equal } from "node:assert/strict";
 * const empty = { organisation: [], trust: [], local_health_board: [], integrated_care_board: [],
 *   nhs_england_region: [], country: [], london_borough: [], paediatric_diabetes_unit: [],
 *   paediatric_diabetes_network: [], openuk_network: [] };
 * const body = postcodeBody({
 *   postcode: "CB2 0QQ", pco: "06H", icb: "QUE", nhser: "Y61", la: "623",
 *   lsoa11: "E01017960", gor: "G",
 * }, buildDataset(empty), "2026-01-01T00:00:00.000Z");
 * equal(body.integrated_care_board?.ods_code, "QUE");
 * equal(body.integrated_care_board?.name, null); // not in this (empty) store
 * equal(body.country?.boundary_identifier, "E92000001");
 * ```
 */
export function postcodeBody(
  geo: PostcodeGeography,
  data: Dataset,
  fetchedAt: string,
): PostcodeBody {
  const r = data.records;
  return {
    postcode: geo.postcode,
    country: named("boundary_identifier", countryOf(geo), (c) => r.country.get(c)?.name),
    primary_care_organisation: named("ods_code", geo.pco, (c) => r.local_health_board.get(c)?.name),
    integrated_care_board: named("ods_code", geo.icb, (c) => r.integrated_care_board.get(c)?.name),
    nhs_england_region: named("region_code", geo.nhser, (c) => r.nhs_england_region.get(c)?.name),
    local_authority: geo.la,
    lsoa_2011: geo.lsoa11,
    government_office_region: geo.gor,
    fetched_at: fetchedAt,
  };
}

/** The 400 for a value that is not a postcode (not echoed). */
function malformed(): never {
  throw new ApiError(400, "malformed postcode", {
    postcode: ["expected a UK postcode, e.g. CB2 0QQ (case and spacing don't matter)"],
  }, "Malformed postcode.");
}

/** The 503 when the FHIR API is not configured. */
function notConfigured(): never {
  throw new ApiError(503, "postcode look-up not configured", {
    explanation: "postcode geography comes from the FHIR API's postcode CodeSystem: set " +
      "ODT_API_KEY (or ODT_BASE_URL for a FHIR API that needs no key)",
  }, "Postcode look-ups are not configured on this service.");
}

/** The 503 when FHIR failed and nothing is cached. */
function unavailable(answer: Extract<PostcodeAnswer, { status: "unavailable" }>): never {
  const why = answer.kind === "auth"
    ? "the FHIR API refused this service's API key (ODT_API_KEY)"
    : answer.kind === "unreachable"
    ? "the FHIR API can't be reached"
    : "the FHIR API did not answer the look-up";
  throw new ApiError(503, "postcode look-up unavailable", {
    explanation: `${why}, and the postcode is not cached; try again later`,
  }, "Postcode look-up temporarily unavailable, try again later.");
}

/** What the route needs. */
export interface PostcodeRouteDeps {
  cache: SnapshotCache;
  /** `null` when the FHIR API is not configured (every look-up is then a 503). */
  resolver: PostcodeResolver | null;
}

/**
 * Add `GET /postcodes/{postcode}/` to `app` (after the API-key check, so it is protected).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { onApiError } from "./errors.ts";
 * import { registerPostcodeRoute } from "./postcodes.ts";
 * import { SnapshotCache } from "./snapshot.ts";
 * import { Store } from "../store.ts";
 * const store = await Store.open(":memory:");
 * const app = new Hono();
 * app.onError(onApiError);
 * registerPostcodeRoute(app, { cache: new SnapshotCache(store), resolver: null });
 * if ((await app.request("/postcodes/CB2 0QQ")).status !== 503) throw new Error("not configured");
 * if ((await app.request("/postcodes/nonsense")).status !== 400) throw new Error("malformed");
 * store.close();
 * ```
 */
export function registerPostcodeRoute(app: Hono, deps: PostcodeRouteDeps): void {
  app.get("/postcodes/:postcode", async (c) => {
    const postcode = canonicalPostcode(c.req.param("postcode") ?? "");
    if (postcode === null) malformed();
    if (!deps.resolver) notConfigured();
    const answer = await deps.resolver.resolve(postcode);
    if (answer.status === "unavailable") {
      c.header("Retry-After", "60");
      unavailable(answer);
    }
    c.header("Cache-Control", "no-cache");
    if (answer.stale) c.header(STALE_HEADER, "true");
    const { entry } = answer;
    if (entry.geography === null) {
      throw new ApiError(404, "not found", {
        postcode,
        explanation: "ODS doesn't know this postcode",
        fetched_at: entry.fetched_at,
      });
    }
    const snap = await deps.cache.current();
    c.header("X-Data-Version", snap.version);
    return sendJson(c, asciiJson(postcodeBody(entry.geography, snap.data, entry.fetched_at)));
  });
}
