/**
 * Maps published ORD records to FHIR R4 resources of the Organisation Data Terminology API:
 * Organization (in the shape of the real RR8 sample) and OrganizationAffiliation (one per ORD
 * relationship), with the NHS England extensions and the simulator's own two (see fhir.ts).
 *
 * @module
 */

import type {
  OrdDate,
  OrdLocation,
  OrdOrganisation,
  OrdRel,
  OrdRole,
  OrdSucc,
} from "./ord_types.ts";
import { fnv1a } from "./random.ts";
import { RECORD_CLASSES, RELATIONSHIPS, ROLES } from "./reference.ts";

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

function lastChangeExtension(org: OrdOrganisation): Record<string, unknown> {
  return {
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
  };
}

function organizationTypes(org: OrdOrganisation): Record<string, unknown>[] {
  const use = org.refOnly ? "RefOnly" : "Full";
  return [
    { coding: [{ system: RECORD_USE_SYSTEM, code: use, display: use }] },
    {
      coding: [{
        system: RECORD_CLASS_SYSTEM,
        code: org.orgRecordClass,
        display: RECORD_CLASSES[org.orgRecordClass] ?? org.orgRecordClass,
      }],
    },
  ];
}

function uprnExtension(uprn: number): Record<string, unknown>[] {
  return [{
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
      { url: "value", valueString: String(uprn) },
    ],
  }];
}

function address(loc: OrdLocation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (loc.UPRN !== undefined) out.extension = uprnExtension(loc.UPRN);
  const line = [loc.AddrLn1, loc.AddrLn2, loc.AddrLn3].filter((l): l is string => !!l);
  if (line.length > 0) out.line = line;
  if (loc.Town) out.city = loc.Town;
  // The real API's address has no county (ORD's `County` is not carried): none here either.
  if (loc.PostCode) out.postalCode = loc.PostCode;
  if (loc.Country) out.country = loc.Country;
  return out;
}

/**
 * Maps a published ORD record to a FHIR Organization in the RR8 shape.
 *
 * @example
 * ```ts
 * import { toOrganization } from "./fhir_resources.ts";
 * import { sampleRWR } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const res = toOrganization(sampleRWR(), "2025-06-10T01:30:00+00:00");
 * equal(res.id, "RWR");
 * equal(res.active, true);
 * ```
 */
export function toOrganization(org: OrdOrganisation, loadedAt: string): Record<string, unknown> {
  const code = org.OrgId.extension;
  const extension: Record<string, unknown>[] = (org.Roles?.Role ?? []).map(roleExtension);
  extension.push(lastChangeExtension(org));
  for (const s of org.Succs?.Succ ?? []) extension.push(successionExtension(s));
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
    type: organizationTypes(org),
    name: org.Name,
  };
  const contacts = org.Contacts?.Contact ?? [];
  if (contacts.length > 0) {
    res.telecom = contacts.map((c) => ({ system: TELECOM[c.type] ?? "other", value: c.value }));
  }
  const loc = org.GeoLoc?.Location;
  if (loc) res.address = [address(loc)];
  return res;
}

function orgRef(code: string): Record<string, unknown> {
  return {
    reference: `Organization/${code}`,
    identifier: { system: ODS_CODE_SYSTEM, value: code },
  };
}

/**
 * Maps one ORD relationship of `source` to a FHIR OrganizationAffiliation.
 *
 * @example
 * ```ts
 * import { toAffiliation } from "./fhir_resources.ts";
 * import { sampleRVVKC } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const rel = sampleRVVKC().Rels!.Rel[0];
 * const aff = toAffiliation("RVVKC", rel, "2025-06-10T01:30:00+00:00");
 * equal(aff.id, "15806");
 * ```
 */
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
