/**
 * FHIR R4 "Organisation Data Terminology" routes of the simulator (`/fhir/...`), derived on the
 * fly from the same published ORD-shaped dataset the ORD routes serve.
 *
 * Routes: `GET /Organization` (search), `GET /Organization/{id}`, `GET /OrganizationAffiliation`
 * (search), `GET /OrganizationAffiliation/{id}`, `GET /List/{id}` (deletion lists),
 * `GET /CodeSystem/$lookup` (the `ods-organization-code` concept, with successions and postcode
 * geography, and the `postcode` concept: see fhir_lookup.ts).
 * Cross-cutting: `apikey` header (401 "Access Denied", empty body), calls per 5 minutes (429),
 * response size cap (422 too-costly).
 *
 * Assumptions (not shown in the NHS spec, documented here):
 * - Succession: the real API only exposes predecessors/successors through the
 *   `ods-organization-code` CodeSystem (`$lookup`).  The simulator adds one
 *   `SIM_SUCCESSION_EXT` (fhir_resources.ts) extension per ORD `Succs.Succ` to the Organization resource,
 *   after the spec's extensions.
 * - Relationship target role: the spec's OrganizationAffiliation has no extension for the
 *   target's primary role (real clients `_include` the participating Organization).  The simulator
 *   supports that `_include` and also adds `SIM_TARGET_ROLE_EXT` (valueCoding of the ORD
 *   `Target.PrimaryRoleId.id`) after the TypedPeriod extensions.
 * - ORD `County` is not carried (the real FHIR address has none); the Organization id lookup is
 *   case-sensitive (HAPI).
 * - `CodeSystem/$lookup` of the `ods-organization-code` system answers a `Parameters` resource in
 *   the specification's shape; each ORD succession is a `property` with code `successor` or
 *   `predecessor` and the other record's code as `valueCode` (the specification names the
 *   succession properties but shows none; the simulator gives no succession date).
 * - `CodeSystem/$lookup` of the `postcode` system: the specification lists the boundaries the
 *   CodeSystem holds but shows no postcode concept; the simulator answers in the shape of the
 *   `ods-organization-code` example (its geography properties), names the concept
 *   "ODS Postcode", and by default matches the code exactly as the directory writes it
 *   (`CB2 0QQ`; `FhirConfig.postcodeMatch: "normalised"` accepts any case and spacing).
 *
 * @module
 */

import { searchAffiliations } from "./fhir_aff_search.ts";
import {
  FHIR_JSON,
  type FhirContext,
  fhirJson,
  notKnown,
  operationOutcome,
} from "./fhir_context.ts";
import { lookupCode } from "./fhir_lookup.ts";
import { searchOrganizations } from "./fhir_org_search.ts";
import { ODS_CODE_SYSTEM, toAffiliation, toOrganization } from "./fhir_resources.ts";
import type { SimResponse } from "./response.ts";

const LISTS: Record<string, string> = {
  "Organization-deletion": "List of Organization Resource Deletions",
  "OrganizationAffiliation-deletion": "List of OrganizationAffiliation Resource Deletions",
  "Organization-role-deletion": "List of Organization Role Deletions",
  "Organization-succession-deletion": "List of Organization Succession Deletions",
};

/** `GET /List/{id}`: one of the deletion lists (only Organization deletions are held). */
function deletionList(id: string, ctx: FhirContext): SimResponse {
  const title = LISTS[id];
  if (!title) return notKnown("List", id);
  const notices = id === "Organization-deletion" ? ctx.dataset.notifications() : [];
  const stamp = (t: string) => `${t.slice(0, 10)}T00:00:00+00:00`;
  const latest = notices.reduce((m, n) => (n.time > m ? n.time : m), "");
  return fhirJson(200, {
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

/** `GET /Organization/{id}`: one organisation (the id is case-sensitive, as in HAPI). */
function readOrganization(id: string, ctx: FhirContext): SimResponse {
  const org = ctx.dataset.get(id);
  if (!org || org.OrgId.extension !== id) return notKnown("Organization", id);
  return fhirJson(200, toOrganization(org, ctx.loadedAt));
}

/** `GET /OrganizationAffiliation/{id}`: one relationship, by its `uniqueRelId`. */
function readAffiliation(id: string, ctx: FhirContext): SimResponse {
  for (const o of ctx.dataset.records()) {
    const rel = o.Rels?.Rel.find((r) => String(r.uniqueRelId) === id);
    if (rel) return fhirJson(200, toAffiliation(o.OrgId.extension, rel, ctx.loadedAt));
  }
  return notKnown("OrganizationAffiliation", id);
}

/** One FHIR resource type: its search (no id) and its read. */
type FhirEndpoint = (url: URL, id: string | undefined, ctx: FhirContext) => SimResponse;

const ENDPOINTS = new Map<string, FhirEndpoint>(Object.entries(
  {
    Organization: (url, id, ctx) =>
      id === undefined ? searchOrganizations(url, ctx) : readOrganization(id, ctx),
    OrganizationAffiliation: (url, id, ctx) =>
      id === undefined ? searchAffiliations(url, ctx) : readAffiliation(id, ctx),
    List: (_url, id, ctx) =>
      id === undefined
        ? operationOutcome(400, "processing", "List id required")
        : deletionList(id, ctx),
    CodeSystem: (url, id, ctx) =>
      id === "$lookup"
        ? lookupCode(url, ctx)
        : operationOutcome(404, "processing", `HAPI-0302: Unknown CodeSystem path ${id ?? ""}`),
  } satisfies Record<string, FhirEndpoint>,
));

function route(method: string, path: string, url: URL, ctx: FhirContext): SimResponse {
  if (method !== "GET" && method !== "HEAD") {
    return operationOutcome(405, "not-supported", `HAPI-0427: Method ${method} is not allowed`);
  }
  const parts = path.split("/").filter((p) => p).map(decodeURIComponent);
  const [type, id, extra] = parts;
  if (extra !== undefined || type === undefined) {
    return operationOutcome(404, "processing", `HAPI-0302: Unknown resource path ${path}`);
  }
  const endpoint = ENDPOINTS.get(type);
  if (!endpoint) {
    return operationOutcome(404, "processing", `HAPI-0302: Unknown resource type "${type}"`);
  }
  return endpoint(url, id, ctx);
}

const TOO_COSTLY = {
  resourceType: "OperationOutcome",
  issue: [{
    severity: "error",
    code: "too-costly",
    details: { text: "Response exceeds APIM size limit" },
    diagnostics: "Response exceeds APIM size limit",
  }],
};

/**
 * Handles a FHIR request. `path` is the part after `/fhir`; `headers` the request headers.
 * Applies apikey, rate limit and size checks.  Returns a response with a serialized `text` body.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { handleFhir } from "./fhir.ts";
 * import { defaultFhirConfig, WindowLimiter } from "./fhir_context.ts";
 * import { sampleRWR } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ records: [sampleRWR()], today: () => "2025-06-10" }),
 *   fhirBaseUrl: "http://sim/fhir",
 *   config: { ...defaultFhirConfig(), apiKey: "k1" },
 *   limiter: new WindowLimiter(),
 *   loadedAt: "2025-06-10T01:30:00+00:00",
 * };
 * const url = new URL("http://sim/fhir/Organization/RWR");
 * equal(handleFhir("GET", "/Organization/RWR", url, new Headers(), ctx).status, 401);
 * const ok = handleFhir("GET", "/Organization/RWR", url, new Headers({ apikey: "k1" }), ctx);
 * equal(ok.status, 200);
 * ```
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
  if (res.json === undefined) return res;
  const text = JSON.stringify(res.json);
  const bytes = new TextEncoder().encode(text).length;
  if (res.status === 200 && bytes > cfg.maxResponseBytes) {
    return {
      status: 422,
      headers: { "content-type": FHIR_JSON },
      text: JSON.stringify(TOO_COSTLY),
    };
  }
  return { ...res, text, json: undefined };
}
