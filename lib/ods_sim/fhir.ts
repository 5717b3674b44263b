/**
 * FHIR R4 "Organisation Data Terminology" routes of the simulator (`/fhir/...`), derived on the
 * fly from the same published ORD-shaped dataset the ORD routes serve.
 *
 * Routes: `GET /Organization` (search), `GET /Organization/{id}`, `GET /OrganizationAffiliation`
 * (search), `GET /OrganizationAffiliation/{id}`, `GET /List/{id}` (deletion lists).
 * Cross-cutting: `apikey` header (401 "Access Denied", empty body), calls per 5 minutes (429),
 * response size cap (422 too-costly).
 *
 * Assumptions (not shown in the NHS spec, documented here):
 * - Succession: the real API only exposes predecessors/successors through the
 *   `ods-organization-code` CodeSystem (`$lookup`).  The simulator adds one
 *   {@link SIM_SUCCESSION_EXT} extension per ORD `Succs.Succ` to the Organization resource,
 *   after the spec's extensions.
 * - Relationship target role: the spec's OrganizationAffiliation has no extension for the
 *   target's primary role (real clients `_include` the participating Organization).  The simulator
 *   supports that `_include` and also adds {@link SIM_TARGET_ROLE_EXT} (valueCoding of the ORD
 *   `Target.PrimaryRoleId.id`) after the TypedPeriod extensions.
 * - ORD `County` maps to `address.district`; the Organization id lookup is case-sensitive (HAPI).
 *
 * @module
 */

import { isIsoDate } from "./clock.ts";
import {
  fnv1a,
  type OdsDataset,
  type OrdDate,
  type OrdOrganisation,
  type OrdRel,
  type OrdRole,
  type OrdSucc,
  RECORD_CLASSES,
  RELATIONSHIPS,
  ROLES,
} from "./dataset.ts";
import type { SimResponse } from "./faults.ts";

/** ODS code identifier system. */
export const ODS_CODE_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
/** Role CodeSystem. */
export const ROLE_SYSTEM =
  "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/ODSOrganisationRole";
/** Relationship CodeSystem. */
export const REL_SYSTEM =
  "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/ODSRelationship";
/** Record class CodeSystem. */
export const RECORD_CLASS_SYSTEM =
  "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/ODSRecordClass";
/** Record use type CodeSystem (Full | RefOnly). */
export const RECORD_USE_SYSTEM = "https://fhir.nhs.uk/England/CodeSystem/England-ODSRecordUseType";
/** Relationship instance identifier system. */
export const REL_INSTANCE_SYSTEM =
  "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/organization-relationship-instance";
/** Organisation role extension. */
export const ROLE_EXT =
  "https://fhir.nhs.uk/England/StructureDefinition/Extension-England-OrganisationRole";
/** Typed period extension. */
export const TYPED_PERIOD_EXT =
  "https://fhir.nhs.uk/England/StructureDefinition/Extension-England-TypedPeriod";
/** Typed date-time extension (LastChangeDate). */
export const TYPED_DATETIME_EXT =
  "https://fhir.nhs.uk/England/StructureDefinition/Extension-England-TypedDateTime";
/** UK Core address key extension (UPRN). */
export const ADDRESS_KEY_EXT =
  "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-AddressKey";
/** Simulator-only: one per ORD succession on an Organization (see module doc). */
export const SIM_SUCCESSION_EXT =
  "https://ods-simulator.invalid/StructureDefinition/Extension-ODSSim-Succession";
/** Simulator-only: the ORD target's primary role on an OrganizationAffiliation. */
export const SIM_TARGET_ROLE_EXT =
  "https://ods-simulator.invalid/StructureDefinition/Extension-ODSSim-TargetPrimaryRole";

const FHIR_JSON = "application/fhir+json;charset=UTF-8";

/** Tunable FHIR behaviour. */
export interface FhirConfig {
  /** Required `apikey` header value; null = no key needed (like the sandbox). */
  apiKey: string | null;
  /** Calls allowed per window (default 5,000 per 300,000 ms); null = unlimited. */
  rateLimit: { limit: number; windowMs: number } | null;
  /** Largest response body in bytes before 422 too-costly (default 10 MB). */
  maxResponseBytes: number;
  /** `_count` default (20). */
  defaultCount: number;
}

/** Default {@link FhirConfig}. */
export function defaultFhirConfig(): FhirConfig {
  return {
    apiKey: null,
    rateLimit: { limit: 5000, windowMs: 300_000 },
    maxResponseBytes: 10 * 1024 * 1024,
    defaultCount: 20,
  };
}

/** Sliding-window call counter for the FHIR rate limit. */
export class WindowLimiter {
  #calls: number[] = [];
  /** Records a call at `nowMs`; false when over `limit` calls within `windowMs`. */
  take(limit: number, windowMs: number, nowMs: number = Date.now()): boolean {
    const cutoff = nowMs - windowMs;
    let i = 0;
    while (i < this.#calls.length && this.#calls[i] <= cutoff) i++;
    if (i > 0) this.#calls.splice(0, i);
    if (this.#calls.length >= limit) return false;
    this.#calls.push(nowMs);
    return true;
  }
  /** Forgets all calls. */
  reset(): void {
    this.#calls = [];
  }
}

/** What the FHIR handlers need. */
export interface FhirContext {
  dataset: OdsDataset;
  /** Absolute base, e.g. `http://127.0.0.1:1234/fhir`. */
  fhirBaseUrl: string;
  config: FhirConfig;
  limiter: WindowLimiter;
  /** `meta.lastUpdated` of resources: the instant of the latest data load. */
  loadedAt: string;
}

function fhir(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { "content-type": FHIR_JSON, ...headers }, json: body };
}

/** An OperationOutcome response like the HAPI-based real service returns. */
export function operationOutcome(
  status: number,
  code: string,
  diagnostics: string,
  details?: string,
): SimResponse {
  const issue: Record<string, unknown> = { severity: "error", code };
  if (details) issue.details = { text: details };
  issue.diagnostics = diagnostics;
  return fhir(status, {
    resourceType: "OperationOutcome",
    text: {
      status: "generated",
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><h1>Operation Outcome</h1>` +
        `<table border="0"><tr><td style="font-weight: bold;">ERROR</td><td>[]</td><td>` +
        `${escapeHtml(diagnostics)}</td></tr></table></div>`,
    },
    issue: [issue],
  });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

function notKnown(type: string, id: string): SimResponse {
  return operationOutcome(404, "processing", `HAPI-2001: Resource ${type}/${id} is not known`);
}

// ---------------------------------------------------------------------------------------------
// Resource mapping.
// ---------------------------------------------------------------------------------------------

function typedPeriods(ds: readonly OrdDate[]): Record<string, unknown>[] {
  const order = (t: string) => (t === "Legal" ? 0 : 1);
  return [...ds].sort((a, b) => order(a.Type) - order(b.Type)).map((d) => {
    const period: Record<string, string> = { start: d.Start };
    if (d.End) period.end = d.End;
    return {
      url: TYPED_PERIOD_EXT,
      extension: [
        {
          url: "dateType",
          valueCoding: {
            system: "https://fhir.nhs.uk/England/CodeSystem/England-PeriodType",
            code: d.Type,
            display: d.Type,
          },
        },
        { url: "period", valuePeriod: period },
      ],
    };
  });
}

function roleCoding(id: string): Record<string, string> {
  return { system: ROLE_SYSTEM, code: id, display: ROLES[id]?.displayName ?? id };
}

function roleExtension(r: OrdRole): Record<string, unknown> {
  return {
    url: ROLE_EXT,
    extension: [
      { url: "instanceID", valueInteger: Number(r.uniqueRoleId) },
      { url: "roleCode", valueCodeableConcept: { coding: [roleCoding(r.id)] } },
      ...typedPeriods(r.Date),
      { url: "active", valueBoolean: r.Status === "Active" },
    ],
  };
}

function successionExtension(s: OrdSucc): Record<string, unknown> {
  const ext: Record<string, unknown>[] = [
    { url: "instanceID", valueInteger: Number(s.uniqueSuccId) },
    { url: "type", valueCode: s.Type },
    {
      url: "target",
      valueIdentifier: { system: ODS_CODE_SYSTEM, value: s.Target.OrgId.extension },
    },
    { url: "targetPrimaryRole", valueCoding: roleCoding(s.Target.PrimaryRoleId.id) },
    ...typedPeriods(s.Date),
  ];
  if (s.forwardSuccession) ext.push({ url: "forwardSuccession", valueBoolean: true });
  return { url: SIM_SUCCESSION_EXT, extension: ext };
}

function meta(code: string, loadedAt: string, profiles: string[]): Record<string, unknown> {
  return {
    versionId: "1",
    lastUpdated: loadedAt,
    source: `#${fnv1a(code).toString(16).padStart(8, "0")}${
      fnv1a(`${code}#`).toString(16).padStart(8, "0")
    }`,
    profile: profiles,
  };
}

const TELECOM: Record<string, string> = { tel: "phone", fax: "fax", http: "url", email: "email" };

/** Maps a published ORD record to a FHIR Organization in the RR8 shape. */
export function toOrganization(org: OrdOrganisation, loadedAt: string): Record<string, unknown> {
  const code = org.OrgId.extension;
  const extension: Record<string, unknown>[] = (org.Roles?.Role ?? []).map(roleExtension);
  extension.push({
    url: TYPED_DATETIME_EXT,
    extension: [
      {
        url: "type",
        valueCoding: {
          system: "https://fhir.nhs.uk/England/CodeSystem/England-ODSDateTime",
          code: "LastChangeDate",
          display: "Last Change Date",
        },
      },
      { url: "dateTime", valueDateTime: org.LastChangeDate },
    ],
  });
  for (const s of org.Succs?.Succ ?? []) extension.push(successionExtension(s));
  const use = org.refOnly ? "RefOnly" : "Full";
  const res: Record<string, unknown> = {
    resourceType: "Organization",
    id: code,
    meta: meta(code, loadedAt, [
      "https://fhir.nhs.uk/England/StructureDefinition/England-Organization-ODS",
      "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization",
    ]),
    extension,
    identifier: [{
      use: "official",
      system: ODS_CODE_SYSTEM,
      value: code,
      assigner: { display: org.OrgId.assigningAuthorityName },
    }],
    active: org.Status === "Active",
    type: [
      { coding: [{ system: RECORD_USE_SYSTEM, code: use, display: use }] },
      {
        coding: [{
          system: RECORD_CLASS_SYSTEM,
          code: org.orgRecordClass,
          display: RECORD_CLASSES[org.orgRecordClass] ?? org.orgRecordClass,
        }],
      },
    ],
    name: org.Name,
  };
  const contacts = org.Contacts?.Contact ?? [];
  if (contacts.length > 0) {
    res.telecom = contacts.map((c) => ({ system: TELECOM[c.type] ?? "other", value: c.value }));
  }
  const loc = org.GeoLoc?.Location;
  if (loc) {
    const address: Record<string, unknown> = {};
    if (loc.UPRN !== undefined) {
      address.extension = [{
        url: ADDRESS_KEY_EXT,
        extension: [
          {
            url: "type",
            valueCodeableConcept: {
              coding: [{
                system: "https://fhir.hl7.org.uk/CodeSystem/UKCore-AddressKeyType",
                code: "UPRN",
                display: "Unique Property Reference Number",
              }],
            },
          },
          { url: "value", valueString: String(loc.UPRN) },
        ],
      }];
    }
    const line = [loc.AddrLn1, loc.AddrLn2, loc.AddrLn3].filter((l): l is string => !!l);
    if (line.length > 0) address.line = line;
    if (loc.Town) address.city = loc.Town;
    if (loc.County) address.district = loc.County;
    if (loc.PostCode) address.postalCode = loc.PostCode;
    if (loc.Country) address.country = loc.Country;
    res.address = [address];
  }
  return res;
}

function orgRef(code: string): Record<string, unknown> {
  return {
    reference: `Organization/${code}`,
    identifier: { system: ODS_CODE_SYSTEM, value: code },
  };
}

/** Maps one ORD relationship of `source` to a FHIR OrganizationAffiliation. */
export function toAffiliation(
  source: string,
  rel: OrdRel,
  loadedAt: string,
): Record<string, unknown> {
  const id = String(rel.uniqueRelId);
  const op = rel.Date.find((d) => d.Type === "Operational") ?? rel.Date[0];
  const period: Record<string, string> = {};
  if (op) {
    period.start = op.Start;
    if (op.End) period.end = op.End;
  }
  return {
    resourceType: "OrganizationAffiliation",
    id,
    meta: meta(`rel${id}`, loadedAt, [
      "https://fhir.hl7.org.uk/StructureDefinition/UKCore-OrganizationAffiliation",
      "https://fhir.nhs.uk/England/StructureDefinition/England-OrganizationAffiliation-ODS",
    ]),
    extension: [
      ...typedPeriods(rel.Date),
      { url: SIM_TARGET_ROLE_EXT, valueCoding: roleCoding(rel.Target.PrimaryRoleId.id) },
    ],
    identifier: [{ system: REL_INSTANCE_SYSTEM, value: id }],
    active: rel.Status === "Active",
    period,
    organization: orgRef(source),
    participatingOrganization: orgRef(rel.Target.OrgId.extension),
    code: [{
      coding: [{ system: REL_SYSTEM, code: rel.id, display: RELATIONSHIPS[rel.id] ?? rel.id }],
    }],
  };
}

// ---------------------------------------------------------------------------------------------
// Search.
// ---------------------------------------------------------------------------------------------

type Pred = (d: string) => boolean;

/** Parses one `lastChangeDate` value (comma = OR) into a predicate; null when invalid. */
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

function unknownParam(name: string, type: string, valid: Set<string>): SimResponse {
  return operationOutcome(
    400,
    "processing",
    `HAPI-0524: Unknown search parameter "${name}" for resource type "${type}". ` +
      `Valid search parameters for this search are: [${[...valid].sort().join(", ")}]`,
  );
}

function stripSystem(v: string): string {
  const i = v.lastIndexOf("|");
  return (i >= 0 ? v.slice(i + 1) : v).trim();
}

function codesList(v: string): string[] {
  return v.split(",").map(stripSystem).filter((s) => s);
}

function paging(
  url: URL,
  defaultCount: number,
): { ok: true; count: number; offset: number } | { ok: false; res: SimResponse } {
  const c = url.searchParams.get("_count");
  const o = url.searchParams.get("_offset");
  if ((c !== null && !/^\d+$/.test(c)) || (o !== null && !/^\d+$/.test(o))) {
    return {
      ok: false,
      res: operationOutcome(400, "invalid", `HAPI-1935: Invalid _count/_offset: ${c ?? o}`),
    };
  }
  return {
    ok: true,
    count: c === null ? defaultCount : Number(c),
    offset: o === null ? 0 : Number(o),
  };
}

function link(base: string, url: URL, offset: number | null, count: number): string {
  const params = [...url.searchParams].filter(([k]) => k !== "_offset" && k !== "_count");
  params.push(["_count", String(count)]);
  if (offset !== null && offset > 0) params.push(["_offset", String(offset)]);
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${base}?${new URLSearchParams(params).toString()}`;
}

function bundle(
  ctx: FhirContext,
  type: string,
  url: URL,
  total: number,
  count: number,
  offset: number,
  entries: Record<string, unknown>[],
  summaryCount: boolean,
): Record<string, unknown> {
  const base = `${ctx.fhirBaseUrl}/${type}`;
  const links: Record<string, unknown>[] = [{
    relation: "self",
    url: link(base, url, offset, count),
  }];
  if (!summaryCount && offset + count < total && count > 0) {
    links.push({ relation: "next", url: link(base, url, offset + count, count) });
  }
  const b: Record<string, unknown> = {
    resourceType: "Bundle",
    id: crypto.randomUUID(),
    meta: { lastUpdated: new Date().toISOString().replace("Z", "+00:00") },
    type: "searchset",
    total,
    link: links,
  };
  if (!summaryCount && entries.length > 0) b.entry = entries;
  return b;
}

function textMatch(value: string | undefined, q: string, mode: "" | "contains" | "exact"): boolean {
  if (value === undefined) return false;
  if (mode === "exact") return value === q;
  const v = value.toUpperCase();
  const u = q.toUpperCase();
  return mode === "contains" ? v.includes(u) : v.startsWith(u);
}

function searchOrganizations(url: URL, ctx: FhirContext): SimResponse {
  const filters: ((o: OrdOrganisation) => boolean)[] = [];
  for (const [rawName, value] of url.searchParams) {
    const name = rawName.toLowerCase();
    if (!ORG_PARAMS.has(name)) return unknownParam(rawName, "Organization", ORG_PARAMS);
    const [base, modifier = ""] = name.split(":");
    switch (base) {
      case "_id":
      case "identifier": {
        const set = new Set(codesList(value));
        filters.push((o) => set.has(o.OrgId.extension));
        break;
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
        filters.push((o) => p(o.LastChangeDate));
        break;
      }
      case "name": {
        const m = modifier === "contains" || modifier === "exact" ? modifier : "";
        filters.push((o) => textMatch(o.Name, value, m));
        break;
      }
      case "active": {
        const want = value.toLowerCase() === "true";
        filters.push((o) => (o.Status === "Active") === want);
        break;
      }
      case "address-postalcode":
      case "address-city":
      case "address-country": {
        const m = modifier === "contains" || modifier === "exact" ? modifier : "";
        const field = base === "address-postalcode"
          ? "PostCode"
          : base === "address-city"
          ? "Town"
          : "Country";
        filters.push((o) => textMatch(o.GeoLoc?.Location?.[field], value, m));
        break;
      }
      case "rolecode":
      case "activerolecode": {
        const set = new Set(codesList(value));
        const activeOnly = base === "activerolecode";
        const has = (o: OrdOrganisation) =>
          (o.Roles?.Role ?? []).some((r) =>
            set.has(r.id) && (!activeOnly || r.Status === "Active")
          );
        filters.push(modifier === "not" ? (o) => !has(o) : has);
        break;
      }
      case "_revinclude": {
        if (
          value !== "OrganizationAffiliation:primary-organization" &&
          value !== "OrganizationAffiliation:participating-organization"
        ) {
          return operationOutcome(400, "processing", `HAPI-0524: Invalid _revinclude: ${value}`);
        }
        break;
      }
    }
  }
  const pg = paging(url, ctx.config.defaultCount);
  if (!pg.ok) return pg.res;
  const matches: OrdOrganisation[] = [];
  for (const o of ctx.dataset.records()) if (filters.every((f) => f(o))) matches.push(o);
  const summaryCount = url.searchParams.get("_summary") === "count";
  const page = summaryCount ? [] : matches.slice(pg.offset, pg.offset + pg.count);
  const entries: Record<string, unknown>[] = page.map((o) => ({
    fullUrl: `${ctx.fhirBaseUrl}/Organization/${o.OrgId.extension}`,
    resource: toOrganization(o, ctx.loadedAt),
    search: { mode: "match" },
  }));
  const rev = url.searchParams.getAll("_revinclude");
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
  return fhir(
    200,
    bundle(ctx, "Organization", url, matches.length, pg.count, pg.offset, entries, summaryCount),
  );
}

function searchAffiliations(url: URL, ctx: FhirContext): SimResponse {
  for (const [rawName] of url.searchParams) {
    if (!AFF_PARAMS.has(rawName.toLowerCase())) {
      return unknownParam(rawName, "OrganizationAffiliation", AFF_PARAMS);
    }
  }
  const primary = url.searchParams.get("primary-organization");
  const participating = url.searchParams.get("participating-organization");
  const active = url.searchParams.get("active");
  const ids = url.searchParams.get("_id");
  const idSet = ids === null ? null : new Set(codesList(ids));
  const partSet = participating === null ? null : new Set(codesList(participating));
  const pg = paging(url, ctx.config.defaultCount);
  if (!pg.ok) return pg.res;
  const sources: OrdOrganisation[] = [];
  if (primary !== null) {
    for (const c of codesList(primary)) {
      const o = ctx.dataset.get(c);
      if (o && o.OrgId.extension === c) sources.push(o);
    }
  } else sources.push(...ctx.dataset.records());
  const matches: { source: string; rel: OrdRel }[] = [];
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
  const summaryCount = url.searchParams.get("_summary") === "count";
  const page = summaryCount ? [] : matches.slice(pg.offset, pg.offset + pg.count);
  const entries: Record<string, unknown>[] = page.map((m) => ({
    fullUrl: `${ctx.fhirBaseUrl}/OrganizationAffiliation/${m.rel.uniqueRelId}`,
    resource: toAffiliation(m.source, m.rel, ctx.loadedAt),
    search: { mode: "match" },
  }));
  const includes = url.searchParams.getAll("_include");
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
    if (includes.includes("OrganizationAffiliation:primary-organization")) addOrg(m.source);
    if (includes.includes("OrganizationAffiliation:participating-organization")) {
      addOrg(m.rel.Target.OrgId.extension);
    }
  }
  return fhir(
    200,
    bundle(
      ctx,
      "OrganizationAffiliation",
      url,
      matches.length,
      pg.count,
      pg.offset,
      entries,
      summaryCount,
    ),
  );
}

const LISTS: Record<string, string> = {
  "Organization-deletion": "List of Organization Resource Deletions",
  "OrganizationAffiliation-deletion": "List of OrganizationAffiliation Resource Deletions",
  "Organization-role-deletion": "List of Organization Role Deletions",
  "Organization-succession-deletion": "List of Organization Succession Deletions",
};

function deletionList(id: string, ctx: FhirContext): SimResponse {
  const title = LISTS[id];
  if (!title) return notKnown("List", id);
  const notices = id === "Organization-deletion" ? ctx.dataset.notifications() : [];
  const stamp = (t: string) => `${t.slice(0, 10)}T00:00:00+00:00`;
  const latest = notices.reduce((m, n) => (n.time > m ? n.time : m), "");
  return fhir(200, {
    resourceType: "List",
    id,
    meta: { versionId: "1", lastUpdated: ctx.loadedAt },
    status: "current",
    mode: "working",
    title,
    date: latest ? stamp(latest) : ctx.loadedAt,
    entry: notices.map((n) => ({
      date: stamp(n.time),
      item: { type: "Organization", identifier: { system: ODS_CODE_SYSTEM, value: n.OrgID } },
    })),
  });
}

/**
 * Handles a FHIR request. `path` is the part after `/fhir`; `headers` the request headers.
 * Applies apikey, rate limit and size checks.  Returns a response with a serialized `text` body.
 */
export function handleFhir(
  method: string,
  path: string,
  url: URL,
  headers: Headers,
  ctx: FhirContext,
): SimResponse {
  const cfg = ctx.config;
  if (cfg.apiKey !== null && headers.get("apikey") !== cfg.apiKey) {
    return {
      status: 401,
      statusText: "Access Denied",
      headers: { "content-type": "text/plain" },
      text: "",
    };
  }
  if (cfg.rateLimit && !ctx.limiter.take(cfg.rateLimit.limit, cfg.rateLimit.windowMs)) {
    return operationOutcome(429, "throttled", "Rate limit exceeded: too many requests");
  }
  const res = route(method, path, url, ctx);
  if (res.json !== undefined) {
    const text = JSON.stringify(res.json);
    const bytes = new TextEncoder().encode(text).length;
    if (res.status === 200 && bytes > cfg.maxResponseBytes) {
      const body = {
        resourceType: "OperationOutcome",
        issue: [{
          severity: "error",
          code: "too-costly",
          details: { text: "Response exceeds APIM size limit" },
          diagnostics: "Response exceeds APIM size limit",
        }],
      };
      return { status: 422, headers: { "content-type": FHIR_JSON }, text: JSON.stringify(body) };
    }
    return { ...res, text, json: undefined };
  }
  return res;
}

function route(method: string, path: string, url: URL, ctx: FhirContext): SimResponse {
  if (method !== "GET" && method !== "HEAD") {
    return operationOutcome(405, "not-supported", `HAPI-0427: Method ${method} is not allowed`);
  }
  const parts = path.split("/").filter((p) => p).map(decodeURIComponent);
  const [type, id, extra] = parts;
  if (extra !== undefined || type === undefined) {
    return operationOutcome(404, "processing", `HAPI-0302: Unknown resource path ${path}`);
  }
  switch (type) {
    case "Organization": {
      if (id === undefined) return searchOrganizations(url, ctx);
      const org = ctx.dataset.get(id);
      if (!org || org.OrgId.extension !== id) return notKnown("Organization", id);
      return fhir(200, toOrganization(org, ctx.loadedAt));
    }
    case "OrganizationAffiliation": {
      if (id === undefined) return searchAffiliations(url, ctx);
      for (const o of ctx.dataset.records()) {
        const rel = o.Rels?.Rel.find((r) => String(r.uniqueRelId) === id);
        if (rel) return fhir(200, toAffiliation(o.OrgId.extension, rel, ctx.loadedAt));
      }
      return notKnown("OrganizationAffiliation", id);
    }
    case "List":
      if (id === undefined) return operationOutcome(400, "processing", "List id required");
      return deletionList(id, ctx);
    default:
      return operationOutcome(404, "processing", `HAPI-0302: Unknown resource type "${type}"`);
  }
}
