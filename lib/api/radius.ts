/**
 * `GET /organisations/within_radius/?lat=&long=&radius=` (the RCPCH later route's parameters;
 * radius in metres): the organisations whose stored coordinates lie within `radius` of the
 * point, nearest first (ties by ODS code), each the `/organisations/{ods_code}/` item with
 * `distance_m`, the great-circle (haversine) distance on a sphere of the Earth's mean radius,
 * rounded to whole metres.
 *
 * Served from the read snapshot's `organisations` view: the items with coordinates are indexed
 * once per data version, and each answer splices `distance_m` into the items' pre-built JSON.
 * Registered before `/organisations/{ods_code}/`, which would otherwise take `within_radius`
 * for a code (and answer 400: an ODS code has no underscore).
 *
 * @module
 */
import type { Hono } from "hono";
import { ApiError } from "./errors.ts";
import { lastParam, parseValue } from "./filters.ts";
import { notModified, sendJson } from "./http.ts";
import type { BuiltItem, BuiltView, SnapshotCache } from "./snapshot.ts";

/** The route, as the OpenAPI document writes it. */
export const RADIUS_PATH = "/organisations/within_radius/";

/** The largest radius served, in metres (1,000 km: the whole of Great Britain and more). */
export const MAX_RADIUS_M = 1_000_000;

/** The Earth's mean radius (IUGG), in metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

/** A parsed query: a point in WGS84 degrees and a radius in metres. */
export interface RadiusQuery {
  lat: number;
  long: number;
  radius: number;
}

const BOUNDS: readonly [keyof RadiusQuery, (n: number) => boolean, string][] = [
  ["lat", (n) => n >= -90 && n <= 90, "a latitude in degrees, from -90 to 90"],
  ["long", (n) => n >= -180 && n <= 180, "a longitude in degrees, from -180 to 180"],
  [
    "radius",
    (n) => n > 0 && n <= MAX_RADIUS_M,
    `a radius in metres, more than 0 and at most ${MAX_RADIUS_M}`,
  ],
];

/**
 * Read `lat`, `long` and `radius` from the query. Throws a 400 naming every missing or
 * out-of-range value (the values are not echoed).
 *
 * @example
 * ```ts
 * import { parseRadiusQuery } from "./radius.ts";
 * import { deepEqual, throws } from "node:assert/strict";
 * deepEqual(parseRadiusQuery(new URLSearchParams("lat=52.17&long=0.14&radius=5000")), {
 *   lat: 52.17,
 *   long: 0.14,
 *   radius: 5000,
 * });
 * throws(() => parseRadiusQuery(new URLSearchParams("lat=91&long=0&radius=1")));
 * ```
 */
export function parseRadiusQuery(params: URLSearchParams): RadiusQuery {
  const out: Partial<RadiusQuery> = {};
  const problems: Record<string, string[]> = {};
  for (const [name, ok, expected] of BOUNDS) {
    const raw = lastParam(params, name)?.trim() ?? "";
    const n = raw === "" ? null : parseValue("number", raw) as number | null;
    if (n === null || !ok(n)) problems[name] = [`${raw === "" ? "required: " : ""}${expected}`];
    else out[name] = n;
  }
  if (Object.keys(problems).length) {
    throw new ApiError(400, "invalid query", problems, "Invalid query value.");
  }
  return out as RadiusQuery;
}

/**
 * The great-circle distance in metres between two WGS84 points (degrees), by the haversine
 * formula on a sphere of {@linkcode EARTH_RADIUS_M}.
 *
 * @example
 * ```ts
 * import { haversineMetres } from "./radius.ts";
 * import { equal } from "node:assert/strict";
 * equal(haversineMetres(52, 0, 52, 0), 0);
 * equal(Math.round(haversineMetres(0, 0, 1, 0)), 111195); // one degree of latitude
 * ```
 */
export function haversineMetres(lat1: number, long1: number, lat2: number, long2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLong = (long2 - long1) * rad;
  const h = Math.sin(dLat / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLong / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A value at a point, with the code that breaks distance ties. */
export interface Located<T> {
  code: string;
  lat: number;
  long: number;
  value: T;
}

/**
 * The points within `q.radius` of `q`'s point (distance ≤ radius), nearest first, ties by code.
 *
 * @example
 * ```ts
 * import { withinRadius } from "./radius.ts";
 * import { deepEqual } from "node:assert/strict";
 * const points = [
 *   { code: "FAR", lat: 53, long: 0, value: "far" },
 *   { code: "NEAR", lat: 52.01, long: 0, value: "near" },
 * ];
 * const hits = withinRadius(points, { lat: 52, long: 0, radius: 5000 });
 * deepEqual(hits.map((h) => [h.value, Math.round(h.distance)]), [["near", 1112]]);
 * ```
 */
export function withinRadius<T>(
  points: readonly Located<T>[],
  q: RadiusQuery,
): { code: string; value: T; distance: number }[] {
  const hits: { code: string; value: T; distance: number }[] = [];
  for (const p of points) {
    const distance = haversineMetres(q.lat, q.long, p.lat, p.long);
    if (distance <= q.radius) hits.push({ code: p.code, value: p.value, distance });
  }
  return hits.sort((a, b) =>
    a.distance - b.distance || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/** The located items of each built `organisations` view. */
const indexes = new WeakMap<BuiltView, Located<BuiltItem>[]>();

/** The items of `view` that have coordinates, built once per view. */
function located(view: BuiltView): Located<BuiltItem>[] {
  let index = indexes.get(view);
  if (!index) {
    index = [];
    for (const [code, row] of view.byCode) {
      const { latitude, longitude } = row.item as { latitude?: unknown; longitude?: unknown };
      if (typeof latitude !== "number" || typeof longitude !== "number") continue;
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) continue;
      index.push({ code, lat: latitude, long: longitude, value: row });
    }
    indexes.set(view, index);
  }
  return index;
}

/**
 * The JSON array of `hits`: each item's pre-built JSON with `distance_m` added last.
 *
 * @example
 * ```ts
 * import { radiusJson } from "./radius.ts";
 * import { equal } from "node:assert/strict";
 * const row = { item: {}, json: '{"ods_code":"RGT01"}', etag: '"x"' };
 * equal(radiusJson([{ value: row, distance: 52.6 }]), '[{"ods_code":"RGT01","distance_m":53}]');
 * ```
 */
export function radiusJson(hits: readonly { value: BuiltItem; distance: number }[]): string {
  const items = hits.map((h) =>
    `${h.value.json.slice(0, -1)},"distance_m":${Math.round(h.distance)}}`
  );
  return `[${items.join(",")}]`;
}

/**
 * Add `GET /organisations/within_radius/` to `app`; call it before the read routes.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { onApiError } from "./errors.ts";
 * import { registerRadiusRoute } from "./radius.ts";
 * import { SnapshotCache } from "./snapshot.ts";
 * import { Store } from "../store.ts";
 * const store = await Store.open(":memory:");
 * const app = new Hono();
 * app.onError(onApiError);
 * registerRadiusRoute(app, new SnapshotCache(store));
 * const res = await app.request("/organisations/within_radius?lat=52&long=0&radius=1000");
 * if (res.status !== 200 || (await res.text()) !== "[]") throw new Error("an empty store");
 * store.close();
 * ```
 */
export function registerRadiusRoute(app: Hono, cache: SnapshotCache): void {
  app.get("/organisations/within_radius", async (c) => {
    const q = parseRadiusQuery(new URL(c.req.url).searchParams);
    const snap = await cache.current();
    const etag = snap.etag(`within_radius|${q.lat}|${q.long}|${q.radius}`);
    const cached = notModified(c, etag, snap.version);
    if (cached) return cached;
    return sendJson(c, radiusJson(withinRadius(located(snap.view("organisations")), q)));
  });
}
