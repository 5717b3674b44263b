/**
 * Wiring of the geography routes: `/postcodes/{postcode}/` (postcodes.ts, with its look-up
 * built from the ODS settings) and `/organisations/within_radius/` (radius.ts).
 *
 * @module
 */
import type { Hono } from "hono";
import type { OdsConfig } from "../config.ts";
import { PostcodeResolver } from "../ods/postcode_cache.ts";
import { fhirConfigured, PostcodeLookup } from "../ods/postcode_lookup.ts";
import type { SourceOptions } from "../ods/source_base.ts";
import type { Store } from "../store.ts";
import { POSTCODE_PATH, registerPostcodeRoute } from "./postcodes.ts";
import { RADIUS_PATH, registerRadiusRoute } from "./radius.ts";
import { honoPath } from "./routes.ts";
import type { SnapshotCache } from "./snapshot.ts";

/** The routes' paths in Hono's syntax (for the 405 of other methods). */
export const GEOGRAPHY_ROUTE_PATHS: readonly string[] = [POSTCODE_PATH, RADIUS_PATH].map(
  honoPath,
);

/** What the geography routes need. */
export interface GeographyDeps {
  store: Store;
  cache: SnapshotCache;
  /** The ODS settings; without them (or without FHIR configured) postcodes are a 503. */
  ods?: OdsConfig;
  /** The clock of the postcode cache's expiry; default the system clock. */
  now?: () => Date;
  /** HTTP test hooks of the FHIR look-up. */
  http?: SourceOptions;
}

/**
 * The postcode resolver of `deps`, or `null` when the FHIR API is not configured.
 *
 * @example
 * ```ts
 * import { loadConfig } from "../config.ts";
 * import { postcodeResolver } from "./geography_routes.ts";
 * import { Store } from "../store.ts";
 * const store = await Store.open(":memory:");
 * const ods = loadConfig({ KV_PATH: ":memory:" }).ods;
 * if (postcodeResolver({ store, ods }) !== null) throw new Error("no ODT_API_KEY: no look-ups");
 * store.close();
 * ```
 */
export function postcodeResolver(
  deps: Pick<GeographyDeps, "store" | "ods" | "now" | "http">,
): PostcodeResolver | null {
  if (!deps.ods || !fhirConfigured(deps.ods)) return null;
  const lookup = new PostcodeLookup(deps.ods, deps.http);
  return new PostcodeResolver({ kv: deps.store.kv, lookup, now: deps.now });
}

/**
 * Add both routes to `app`: after the API-key check, and before the read routes (which would
 * take `within_radius` for an ODS code).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { onApiError } from "./errors.ts";
 * import { registerGeographyRoutes } from "./geography_routes.ts";
 * import { SnapshotCache } from "./snapshot.ts";
 * import { Store } from "../store.ts";
 * const store = await Store.open(":memory:");
 * const app = new Hono();
 * app.onError(onApiError);
 * registerGeographyRoutes(app, { store, cache: new SnapshotCache(store) });
 * if ((await app.request("/postcodes/CB2 0QQ")).status !== 503) throw new Error("no FHIR");
 * store.close();
 * ```
 */
export function registerGeographyRoutes(app: Hono, deps: GeographyDeps): void {
  registerRadiusRoute(app, deps.cache);
  registerPostcodeRoute(app, { cache: deps.cache, resolver: postcodeResolver(deps) });
}
