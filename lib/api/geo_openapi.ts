/**
 * The OpenAPI description of the geography routes, `/postcodes/{postcode}/`
 * (lib/api/postcodes.ts) and `/organisations/within_radius/` (lib/api/radius.ts), merged into
 * the service's `/schema/` by api.ts.
 *
 * @module
 */
import type { JsonObject } from "./openapi.ts";
import { POSTCODE_PATH, STALE_HEADER } from "./postcodes.ts";
import { MAX_RADIUS_M, RADIUS_PATH } from "./radius.ts";

const error = (description: string): JsonObject => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const COMMON_ERRORS: JsonObject = {
  "304": { description: "Not modified: the `If-None-Match` ETag is current. No body." },
  "401": error("Missing or wrong API key (when the service requires keys)"),
  "405": error("Only GET (and HEAD) are allowed"),
};

const coded = (key: string): JsonObject => ({
  type: ["object", "null"],
  properties: { [key]: { type: "string" }, name: { type: ["string", "null"] } },
  required: [key, "name"],
});

const POSTCODE_SCHEMA: JsonObject = {
  type: "object",
  properties: {
    postcode: { type: "string", example: "CB2 0QQ" },
    country: coded("boundary_identifier"),
    primary_care_organisation: coded("ods_code"),
    integrated_care_board: coded("ods_code"),
    nhs_england_region: coded("region_code"),
    local_authority: { type: ["string", "null"] },
    lsoa_2011: { type: ["string", "null"] },
    government_office_region: { type: ["string", "null"] },
    fetched_at: { type: "string", format: "date-time" },
  },
  required: [
    "postcode",
    "country",
    "primary_care_organisation",
    "integrated_care_board",
    "nhs_england_region",
    "local_authority",
    "lsoa_2011",
    "government_office_region",
    "fetched_at",
  ],
};

const POSTCODE_DESCRIPTION = "NEW. The postcode's geography from the FHIR API's `postcode` " +
  "CodeSystem (`CodeSystem/$lookup`): primary care organisation (sub-ICB location, or Welsh " +
  "health board), ICB, NHS England region, local authority, 2011 LSOA, government office " +
  "region and country; ICBs, regions, health boards and countries are named where this " +
  "service holds them (else `name` is null). Case and spacing don't matter. Answers are " +
  "cached for 30 days (unknown postcodes for 1 day); when the refresh of an expired entry " +
  `fails, the cached answer is served with \`${STALE_HEADER}: true\`. Needs the FHIR API ` +
  "(`ODT_API_KEY`).";

const RADIUS_DESCRIPTION = "NEW (the RCPCH later route's parameters). Organisations whose " +
  "coordinates lie within `radius` metres of the point, nearest first (ties by ODS code), " +
  "each the `/organisations/{ods_code}/` item plus `distance_m`: the great-circle (haversine) " +
  "distance on a sphere of the Earth's mean radius (6,371,008.8 m), rounded to whole metres. " +
  "Organisations without coordinates are never listed.";

const number = (name: string, description: string, min: number, max: number) => ({
  name,
  in: "query",
  required: true,
  description,
  schema: { type: "number", minimum: min, maximum: max },
});

/**
 * The two operations, for `extraPaths`.
 *
 * @example
 * ```ts
 * import { GEOGRAPHY_PATHS } from "./geo_openapi.ts";
 * if (!("/postcodes/{postcode}/" in GEOGRAPHY_PATHS)) throw new Error();
 * ```
 */
export const GEOGRAPHY_PATHS: Readonly<Record<string, JsonObject>> = {
  [POSTCODE_PATH]: {
    get: {
      operationId: "get_postcode",
      tags: ["Postcodes"],
      summary: "A postcode's ICB, NHS England region, local authority and LSOA (NEW)",
      description: POSTCODE_DESCRIPTION,
      parameters: [{
        name: "postcode",
        in: "path",
        required: true,
        description: "A UK postcode, any case and spacing",
        schema: { type: "string" },
        example: "CB2 0QQ",
      }],
      responses: {
        "200": {
          description: "OK. Carries a strong `ETag`.",
          headers: {
            ETag: { schema: { type: "string" }, description: "Strong validator" },
            [STALE_HEADER]: {
              schema: { type: "string", enum: ["true"] },
              description: "Present when the entry is past 30 days and its refresh failed",
            },
          },
          content: { "application/json": { schema: POSTCODE_SCHEMA } },
        },
        "400": error("Not a UK postcode"),
        "404": error("A postcode ODS doesn't know"),
        "503": error("The FHIR API is not configured, or unreachable and nothing is cached"),
        ...COMMON_ERRORS,
      },
    },
  },
  [RADIUS_PATH]: {
    get: {
      operationId: "list_organisations_within_radius",
      tags: ["Organisations"],
      summary: "Organisations within a radius of a point, nearest first (NEW)",
      description: RADIUS_DESCRIPTION,
      parameters: [
        number("lat", "Latitude in degrees (WGS84)", -90, 90),
        number("long", "Longitude in degrees (WGS84)", -180, 180),
        {
          ...number(
            "radius",
            `Radius in metres, more than 0, at most ${MAX_RADIUS_M}`,
            0,
            MAX_RADIUS_M,
          ),
          schema: { type: "number", exclusiveMinimum: 0, maximum: MAX_RADIUS_M },
        },
      ],
      responses: {
        "200": {
          description: "OK. Carries a strong `ETag`.",
          headers: { ETag: { schema: { type: "string" }, description: "Strong validator" } },
          content: {
            "application/json": {
              schema: {
                type: "array",
                items: {
                  allOf: [
                    { $ref: "#/components/schemas/Organisation" },
                    {
                      type: "object",
                      properties: { distance_m: { type: "integer", minimum: 0 } },
                      required: ["distance_m"],
                    },
                  ],
                },
              },
            },
          },
        },
        "400": error("`lat`, `long` or `radius` missing, not a number or out of range"),
        ...COMMON_ERRORS,
      },
    },
  },
};
