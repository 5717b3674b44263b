/**
 * `GET /fhir/CodeSystem/$lookup?system=…/ods-organization-code&code=X&property=*`: the
 * `ods-organization-code` CodeSystem concept of one organisation as a `Parameters` resource,
 * in the specification's shape (code, display, name, system, version, then one `property` per
 * attribute). It carries what the `Organization` resource doesn't: the current related entity of
 * each relationship (`RE6` → its target) and the successions, one `property` each with code
 * `successor` or `predecessor` and the other record's code as `valueCode` (the specification says
 * the CodeSystem holds "any predecessors and/or successors" but shows none; no date is given).
 * An unknown code is a 404 `not-found` OperationOutcome, as the real API answers.
 *
 * @module
 */
import { type FhirContext, fhirJson, operationOutcome } from "./fhir_context.ts";
import { ODS_CODE_SYSTEM, ROLE_SYSTEM } from "./fhir_resources.ts";
import type { OrdOrganisation } from "./ord_types.ts";
import { primaryRoleOf } from "./record.ts";
import type { SimResponse } from "./response.ts";

type Part = Record<string, unknown>;

function property(code: string, value: Part): Part {
  return {
    name: "property",
    part: [{ name: "code", valueCode: code }, { name: "value", ...value }],
  };
}

/** The concept's properties: status, current relationships, successions, dates and roles. */
function properties(org: OrdOrganisation): Part[] {
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
    return operationOutcome(
      404,
      "not-found",
      `The code ${code} (${ODS_CODE_SYSTEM}:${version}) was not found.`,
    );
  }
  return fhirJson(200, {
    resourceType: "Parameters",
    parameter: [
      { name: "code", valueCode: code },
      { name: "display", valueString: org.Name },
      { name: "name", valueString: "ODS Organisation" },
      { name: "system", valueUri: ODS_CODE_SYSTEM },
      { name: "version", valueString: version },
      ...properties(org),
    ],
  });
}
