/**
 * FHIR OrganizationAffiliation search (`GET /fhir/OrganizationAffiliation?…`): relationships by
 * primary or participating organisation, status and id, paged, with `_include` of either end.
 *
 * @module
 */

import { bundle, codesList, type Entry, paging, unknownParam } from "./fhir_bundle.ts";
import { type FhirContext, fhirJson } from "./fhir_context.ts";
import { toAffiliation, toOrganization } from "./fhir_resources.ts";
import type { OrdOrganisation, OrdRel } from "./ord_types.ts";
import type { SimResponse } from "./response.ts";

const AFF_PARAMS = new Set([
  "_id",
  "primary-organization",
  "participating-organization",
  "active",
  "_count",
  "_offset",
  "_include",
  "_summary",
  "_format",
]);

interface Match {
  source: string;
  rel: OrdRel;
}

/** The records whose relationships are searched: `primary-organization`, or every record. */
function sourcesOf(url: URL, ctx: FhirContext): OrdOrganisation[] {
  const primary = url.searchParams.get("primary-organization");
  if (primary === null) return [...ctx.dataset.records()];
  const sources: OrdOrganisation[] = [];
  for (const c of codesList(primary)) {
    const o = ctx.dataset.get(c);
    if (o && o.OrgId.extension === c) sources.push(o);
  }
  return sources;
}

function matchesOf(url: URL, sources: OrdOrganisation[]): Match[] {
  const participating = url.searchParams.get("participating-organization");
  const active = url.searchParams.get("active");
  const ids = url.searchParams.get("_id");
  const idSet = ids === null ? null : new Set(codesList(ids));
  const partSet = participating === null ? null : new Set(codesList(participating));
  const matches: Match[] = [];
  for (const o of sources) {
    for (const rel of o.Rels?.Rel ?? []) {
      if (partSet && !partSet.has(rel.Target.OrgId.extension)) continue;
      if (active !== null && (rel.Status === "Active") !== (active.toLowerCase() === "true")) {
        continue;
      }
      if (idSet && !idSet.has(String(rel.uniqueRelId))) continue;
      matches.push({ source: o.OrgId.extension, rel });
    }
  }
  return matches;
}

/** Organization entries `_include` adds for the affiliations of `page`. */
function includes(url: URL, page: Match[], ctx: FhirContext): Entry[] {
  const wanted = url.searchParams.getAll("_include");
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const addOrg = (code: string) => {
    const o = ctx.dataset.get(code);
    if (!o || seen.has(code)) return;
    seen.add(code);
    entries.push({
      fullUrl: `${ctx.fhirBaseUrl}/Organization/${o.OrgId.extension}`,
      resource: toOrganization(o, ctx.loadedAt),
      search: { mode: "include" },
    });
  };
  for (const m of page) {
    if (wanted.includes("OrganizationAffiliation:primary-organization")) addOrg(m.source);
    if (wanted.includes("OrganizationAffiliation:participating-organization")) {
      addOrg(m.rel.Target.OrgId.extension);
    }
  }
  return entries;
}

/**
 * `GET /OrganizationAffiliation?…`: matching relationships as affiliations, a page of them, and
 * their `_include`d organisations.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { searchAffiliations } from "./fhir_aff_search.ts";
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
 * const url = new URL("http://sim/fhir/OrganizationAffiliation?primary-organization=RWR");
 * equal((searchAffiliations(url, ctx).json as { total: number }).total, 7);
 * ```
 */
export function searchAffiliations(url: URL, ctx: FhirContext): SimResponse {
  for (const [rawName] of url.searchParams) {
    if (!AFF_PARAMS.has(rawName.toLowerCase())) {
      return unknownParam(rawName, "OrganizationAffiliation", AFF_PARAMS);
    }
  }
  const pg = paging(url, ctx.config.defaultCount);
  if (!pg.ok) return pg.res;
  const matches = matchesOf(url, sourcesOf(url, ctx));
  const summaryCount = url.searchParams.get("_summary") === "count";
  const page = summaryCount ? [] : matches.slice(pg.offset, pg.offset + pg.count);
  const entries: Entry[] = page.map((m) => ({
    fullUrl: `${ctx.fhirBaseUrl}/OrganizationAffiliation/${m.rel.uniqueRelId}`,
    resource: toAffiliation(m.source, m.rel, ctx.loadedAt),
    search: { mode: "match" },
  }));
  entries.push(...includes(url, page, ctx));
  return fhirJson(
    200,
    bundle(ctx, url, {
      type: "OrganizationAffiliation",
      total: matches.length,
      page: pg,
      entries,
      summaryCount,
    }),
  );
}
