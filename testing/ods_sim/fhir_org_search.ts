/**
 * FHIR Organization search (`GET /fhir/Organization?…`): the ODT API's search parameters
 * (identifiers, `lastChangeDate` prefixes, name and address matches, role codes), paging, and
 * `_revinclude` of the matched organisations' affiliations.
 *
 * @module
 */

import { isIsoDate } from "./clock.ts";
import { bundle, codesList, type Entry, paging, unknownParam } from "./fhir_bundle.ts";
import { type FhirContext, fhirJson, operationOutcome } from "./fhir_context.ts";
import { toAffiliation, toOrganization } from "./fhir_resources.ts";
import type { OrdOrganisation, OrdRel } from "./ord_types.ts";
import type { SimResponse } from "./response.ts";

type Pred = (d: string) => boolean;

/**
 * Parses one `lastChangeDate` value (comma = OR) into a predicate; null when invalid.
 *
 * @example
 * ```ts
 * import { parseDateParam } from "./fhir_org_search.ts";
 * import { equal } from "node:assert/strict";
 * const after = parseDateParam("gt2025-05-10")!;
 * equal(after("2025-05-11"), true);
 * equal(after("2025-05-10"), false);
 * equal(parseDateParam("gt2025-13-01"), null);
 * ```
 */
export function parseDateParam(value: string): Pred | null {
  const preds: Pred[] = [];
  for (const part of value.split(",")) {
    const m = /^(eq|ne|gt|lt|ge|le)?(.*)$/.exec(part.trim());
    if (!m || !isIsoDate(m[2])) return null;
    const v = m[2];
    switch (m[1] ?? "eq") {
      case "eq":
        preds.push((d) => d === v);
        break;
      case "ne":
        preds.push((d) => d !== v);
        break;
      case "gt":
        preds.push((d) => d > v);
        break;
      case "lt":
        preds.push((d) => d < v);
        break;
      case "ge":
        preds.push((d) => d >= v);
        break;
      case "le":
        preds.push((d) => d <= v);
        break;
    }
  }
  return (d) => preds.some((p) => p(d));
}

const ORG_PARAMS = new Set([
  "_id",
  "identifier",
  "lastchangedate",
  "name",
  "name:contains",
  "name:exact",
  "active",
  "address-postalcode",
  "address-postalcode:contains",
  "address-postalcode:exact",
  "address-city",
  "address-city:contains",
  "address-city:exact",
  "address-country",
  "rolecode",
  "rolecode:not",
  "activerolecode",
  "_count",
  "_offset",
  "_summary",
  "_revinclude",
  "_format",
]);

function textMatch(value: string | undefined, q: string, mode: "" | "contains" | "exact"): boolean {
  if (value === undefined) return false;
  if (mode === "exact") return value === q;
  const v = value.toUpperCase();
  const u = q.toUpperCase();
  return mode === "contains" ? v.includes(u) : v.startsWith(u);
}

type Filter = (o: OrdOrganisation) => boolean;

const TEXT_FIELDS = {
  "address-postalcode": "PostCode",
  "address-city": "Town",
  "address-country": "Country",
} as const;

function textMode(modifier: string): "" | "contains" | "exact" {
  return modifier === "contains" || modifier === "exact" ? modifier : "";
}

function roleFilter(base: string, modifier: string, value: string): Filter {
  const set = new Set(codesList(value));
  const activeOnly = base === "activerolecode";
  const has = (o: OrdOrganisation) =>
    (o.Roles?.Role ?? []).some((r) => set.has(r.id) && (!activeOnly || r.Status === "Active"));
  return modifier === "not" ? (o) => !has(o) : has;
}

const REVINCLUDES = [
  "OrganizationAffiliation:primary-organization",
  "OrganizationAffiliation:participating-organization",
];

/** The filter of one search parameter, null when it filters nothing, or an error response. */
function filterOf(base: string, modifier: string, value: string): Filter | null | SimResponse {
  switch (base) {
    case "_id":
    case "identifier": {
      const set = new Set(codesList(value));
      return (o) => set.has(o.OrgId.extension);
    }
    case "lastchangedate": {
      const p = parseDateParam(value);
      if (!p) {
        return operationOutcome(
          400,
          "invalid",
          `HAPI-1940: Invalid date/time format: "${value}"`,
          "Invalid Date/Time/Quantity format",
        );
      }
      return (o) => p(o.LastChangeDate);
    }
    case "name":
      return (o) => textMatch(o.Name, value, textMode(modifier));
    case "active": {
      const want = value.toLowerCase() === "true";
      return (o) => (o.Status === "Active") === want;
    }
    case "address-postalcode":
    case "address-city":
    case "address-country": {
      const field = TEXT_FIELDS[base];
      return (o) => textMatch(o.GeoLoc?.Location?.[field], value, textMode(modifier));
    }
    case "rolecode":
    case "activerolecode":
      return roleFilter(base, modifier, value);
    case "_revinclude":
      if (REVINCLUDES.includes(value)) return null;
      return operationOutcome(400, "processing", `HAPI-0524: Invalid _revinclude: ${value}`);
    default:
      return null;
  }
}

function parseFilters(url: URL): Filter[] | SimResponse {
  const filters: Filter[] = [];
  for (const [rawName, value] of url.searchParams) {
    const name = rawName.toLowerCase();
    if (!ORG_PARAMS.has(name)) return unknownParam(rawName, "Organization", ORG_PARAMS);
    const [base, modifier = ""] = name.split(":");
    const f = filterOf(base, modifier, value);
    if (typeof f === "function") filters.push(f);
    else if (f !== null) return f;
  }
  return filters;
}

/** Affiliation entries `_revinclude` adds for the organisations of `page`. */
function revIncludes(url: URL, page: OrdOrganisation[], ctx: FhirContext): Entry[] {
  const rev = url.searchParams.getAll("_revinclude");
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const include = (source: string, rel: OrdRel) => {
    const key = String(rel.uniqueRelId);
    if (seen.has(key)) return;
    seen.add(key);
    entries.push({
      fullUrl: `${ctx.fhirBaseUrl}/OrganizationAffiliation/${key}`,
      resource: toAffiliation(source, rel, ctx.loadedAt),
      search: { mode: "include" },
    });
  };
  if (rev.includes("OrganizationAffiliation:primary-organization")) {
    for (const o of page) for (const r of o.Rels?.Rel ?? []) include(o.OrgId.extension, r);
  }
  if (rev.includes("OrganizationAffiliation:participating-organization")) {
    const codes = new Set(page.map((o) => o.OrgId.extension));
    for (const src of ctx.dataset.records()) {
      for (const r of src.Rels?.Rel ?? []) {
        if (codes.has(r.Target.OrgId.extension)) include(src.OrgId.extension, r);
      }
    }
  }
  return entries;
}

/**
 * `GET /Organization?…`: the matching organisations, a page of them, and their `_revinclude`s.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { defaultFhirConfig, WindowLimiter } from "./fhir_context.ts";
 * import { searchOrganizations } from "./fhir_org_search.ts";
 * import { sampleRWR } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ records: [sampleRWR()], today: () => "2025-06-10" }),
 *   fhirBaseUrl: "http://sim/fhir",
 *   config: defaultFhirConfig(),
 *   limiter: new WindowLimiter(),
 *   loadedAt: "2025-06-10T01:30:00+00:00",
 * };
 * const res = searchOrganizations(new URL("http://sim/fhir/Organization?_id=RWR"), ctx);
 * equal((res.json as { total: number }).total, 1);
 * ```
 */
export function searchOrganizations(url: URL, ctx: FhirContext): SimResponse {
  const filters = parseFilters(url);
  if (!Array.isArray(filters)) return filters;
  const pg = paging(url, ctx.config.defaultCount);
  if (!pg.ok) return pg.res;
  const matches: OrdOrganisation[] = [];
  for (const o of ctx.dataset.records()) if (filters.every((f) => f(o))) matches.push(o);
  const summaryCount = url.searchParams.get("_summary") === "count";
  const page = summaryCount ? [] : matches.slice(pg.offset, pg.offset + pg.count);
  const entries: Entry[] = page.map((o) => ({
    fullUrl: `${ctx.fhirBaseUrl}/Organization/${o.OrgId.extension}`,
    resource: toOrganization(o, ctx.loadedAt),
    search: { mode: "match" },
  }));
  entries.push(...revIncludes(url, page, ctx));
  return fhirJson(
    200,
    bundle(ctx, url, {
      type: "Organization",
      total: matches.length,
      page: pg,
      entries,
      summaryCount,
    }),
  );
}
