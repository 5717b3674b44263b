/**
 * `GET /fhir/CodeSystem/$lookup?system=…&code=X&property=*`, for two CodeSystems:
 *
 * - `https://fhir.nhs.uk/Id/ods-organization-code`: the concept of one organisation as a
 *   `Parameters` resource, in the specification's shape (code, display, name, system, version,
 *   then one `property` per attribute). It carries what the `Organization` resource doesn't: the
 *   current related entity of each relationship (`RE4`, `RE6`, `RE8` → its target), the
 *   successions, one `property` each with code `successor` or `predecessor` and the other
 *   record's code as `valueCode` (the specification says the CodeSystem holds "any predecessors
 *   and/or successors" but shows none; no date is given), and, when the organisation's postcode
 *   is known, its postcode geography (`PCO`, `ICB`, `NHSER`, `LA`, `LSOA11`, `GOR`) as in the
 *   specification's example.
 * - `https://digital.nhs.uk/services/organisation-data-service/CodeSystem/postcode`: one
 *   postcode of the simulator's directory (postcodes.ts) — see {@link lookupPostcode}.
 *
 * An unknown code is a 404 `not-found` OperationOutcome, as the real API answers.
 *
 * @module
 */
import { type FhirContext, fhirJson, operationOutcome } from "./fhir_context.ts";
import { ODS_CODE_SYSTEM, ROLE_SYSTEM } from "./fhir_resources.ts";
import type { OrdOrganisation } from "./ord_types.ts";
import {
  canonicalPostcode,
  GEOGRAPHY_NAME_SYSTEM,
  POSTCODE_SYSTEM,
  type PostcodeGeography,
} from "./postcodes.ts";
import { primaryRoleOf } from "./record.ts";
import type { SimResponse } from "./response.ts";

type Part = Record<string, unknown>;

function property(code: string, value: Part): Part {
  return {
    name: "property",
    part: [{ name: "code", valueCode: code }, { name: "value", ...value }],
  };
}

/** A geography property in the specification's shape (`valueCoding` and `value` parts). */
function geoProperty(code: string, value: string): Part {
  const coding = { system: GEOGRAPHY_NAME_SYSTEM, code: value };
  return {
    name: "property",
    part: [
      { name: "code", valueCode: code },
      { name: "valueCoding", valueCoding: coding },
      { name: "value", valueCoding: coding },
    ],
  };
}

/** The geography properties of a postcode, in the order the directory holds them. */
function geoProperties(g: PostcodeGeography): Part[] {
  const out: Part[] = [geoProperty("PCO", g.pco)];
  if (g.icb) out.push(geoProperty("ICB", g.icb));
  if (g.nhser) out.push(geoProperty("NHSER", g.nhser));
  out.push(geoProperty("LA", g.la), geoProperty("LSOA11", g.lsoa11), geoProperty("GOR", g.gor));
  return out;
}

/** The concept's properties: status, current relationships, successions, dates and roles. */
function properties(org: OrdOrganisation, ctx: FhirContext): Part[] {
  const out: Part[] = [
    property("status", { valueCode: org.Status === "Active" ? "active" : "inactive" }),
  ];
  for (const rel of org.Rels?.Rel ?? []) {
    if (rel.Status === "Active") {
      out.push(property(rel.id, { valueCode: rel.Target.OrgId.extension }));
    }
  }
  for (const s of org.Succs?.Succ ?? []) {
    out.push(property(s.Type.toLowerCase(), { valueCode: s.Target.OrgId.extension }));
  }
  out.push(property("lastChangeDate", { valueDateTime: org.LastChangeDate }));
  const primary = primaryRoleOf(org);
  if (primary) {
    out.push(property("primaryRole", { valueCoding: { system: ROLE_SYSTEM, code: primary.id } }));
  }
  const pc = org.GeoLoc?.Location?.PostCode;
  const geo = pc ? ctx.dataset.postcodes.get(pc) : undefined;
  if (geo) out.push(...geoProperties(geo));
  return out;
}

/**
 * Answers `CodeSystem/$lookup` for the `ods-organization-code` system.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { lookupOrganizationCode } from "./fhir_lookup.ts";
 * import { defaultFhirConfig, WindowLimiter } from "./fhir_context.ts";
 * import { sampleRWR } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ records: [sampleRWR()], today: () => "2025-06-10" }),
 *   fhirBaseUrl: "http://sim/fhir",
 *   config: defaultFhirConfig(),
 *   limiter: new WindowLimiter(),
 *   loadedAt: "2025-06-10T01:30:00+00:00",
 * };
 * const system = "https://fhir.nhs.uk/Id/ods-organization-code";
 * const url = new URL(`http://sim/fhir/CodeSystem/$lookup?system=${system}&code=RWR&property=*`);
 * equal(lookupOrganizationCode(url, ctx).status, 200);
 * ```
 */
export function lookupOrganizationCode(url: URL, ctx: FhirContext): SimResponse {
  const system = url.searchParams.get("system");
  const code = url.searchParams.get("code")?.trim() ?? "";
  if (system !== ODS_CODE_SYSTEM) {
    return operationOutcome(400, "invalid", `HAPI-1000: unsupported code system ${system ?? ""}`);
  }
  const version = ctx.dataset.lastPublishedDay;
  const org = ctx.dataset.get(code);
  if (!code || !org || org.OrgId.extension !== code) {
    return notFound(code, ODS_CODE_SYSTEM, version);
  }
  return fhirJson(200, {
    resourceType: "Parameters",
    parameter: [
      { name: "code", valueCode: code },
      { name: "display", valueString: org.Name },
      { name: "name", valueString: "ODS Organisation" },
      { name: "system", valueUri: ODS_CODE_SYSTEM },
      { name: "version", valueString: version },
      ...properties(org, ctx),
    ],
  });
}

function notFound(code: string, system: string, version: string): SimResponse {
  return operationOutcome(
    404,
    "not-found",
    `The code ${code} (${system}:${version}) was not found.`,
  );
}

/**
 * Answers `CodeSystem/$lookup` for the `postcode` system: `code` is the postcode (exactly as
 * the directory writes it, `CB2 0QQ`, unless `FhirConfig.postcodeMatch` is `normalised`);
 * `property` (repeatable, `*` = all, the default) selects properties. The `Parameters` are code,
 * display (the postcode), name, system, version (the day of the last publication), then one
 * `property` per boundary, each a `valueCoding` of the `geography-name` system: `PCO` (sub-ICB
 * location or Welsh board), `ICB` and `NHSER` (England only), `LA` (ODS local authority code;
 * ONS code in Wales), `LSOA11`, `GOR`. An unknown postcode is a 404 `not-found`.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { defaultFixtures } from "./fixtures.ts";
 * import { lookupPostcode } from "./fhir_lookup.ts";
 * import { defaultFhirConfig, WindowLimiter } from "./fhir_context.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ records: defaultFixtures({ today: "2025-06-10" }), today: () => "2025-06-10" }),
 *   fhirBaseUrl: "http://sim/fhir",
 *   config: defaultFhirConfig(),
 *   limiter: new WindowLimiter(),
 *   loadedAt: "2025-06-10T01:30:00+00:00",
 * };
 * const system = "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/postcode";
 * const at = (code: string) => new URL(`http://sim/fhir/CodeSystem/$lookup?system=${system}&code=${code}`);
 * equal(lookupPostcode(at("CT1 3NG"), ctx).status, 200);
 * equal(lookupPostcode(at("ZZ9 9ZZ"), ctx).status, 404);
 * ```
 */
export function lookupPostcode(url: URL, ctx: FhirContext): SimResponse {
  const raw = url.searchParams.get("code")?.trim() ?? "";
  const version = ctx.dataset.lastPublishedDay;
  const canonical = canonicalPostcode(raw);
  const exact = ctx.config.postcodeMatch !== "normalised";
  const geo = canonical && (!exact || canonical === raw)
    ? ctx.dataset.postcodes.get(canonical)
    : undefined;
  if (!geo) return notFound(raw, POSTCODE_SYSTEM, version);
  const wanted = url.searchParams.getAll("property");
  const all = wanted.length === 0 || wanted.includes("*");
  const props = geoProperties(geo).filter((p) =>
    all || wanted.includes(String((p.part as Part[])[0].valueCode))
  );
  return fhirJson(200, {
    resourceType: "Parameters",
    parameter: [
      { name: "code", valueCode: geo.postcode },
      { name: "display", valueString: geo.postcode },
      { name: "name", valueString: "ODS Postcode" },
      { name: "system", valueUri: POSTCODE_SYSTEM },
      { name: "version", valueString: version },
      ...props,
    ],
  });
}

/**
 * Answers `CodeSystem/$lookup` by its `system`: organisations or postcodes (a 400 for others).
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { lookupCode } from "./fhir_lookup.ts";
 * import { defaultFhirConfig, WindowLimiter } from "./fhir_context.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ today: () => "2025-06-10" }),
 *   fhirBaseUrl: "http://sim/fhir",
 *   config: defaultFhirConfig(),
 *   limiter: new WindowLimiter(),
 *   loadedAt: "2025-06-10T01:30:00+00:00",
 * };
 * equal(lookupCode(new URL("http://sim/fhir/CodeSystem/$lookup?system=x&code=y"), ctx).status, 400);
 * ```
 */
export function lookupCode(url: URL, ctx: FhirContext): SimResponse {
  return url.searchParams.get("system") === POSTCODE_SYSTEM
    ? lookupPostcode(url, ctx)
    : lookupOrganizationCode(url, ctx);
}
