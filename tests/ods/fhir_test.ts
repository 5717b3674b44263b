import { deepEqual, equal, ok } from "node:assert/strict";
import {
  affiliationSource,
  describeOperationOutcome,
  fhirOrganizationCode,
  type FhirParseOptions,
  fhirPrimaryRole,
  isTooCostly,
  NON_PRIMARY_ROLE_CODES,
  ODS_CODE_SYSTEM,
  parseFhirBundle,
  parseFhirOrganization,
  parseFhirSuccessions,
  pickPrimaryRole,
  PRIMARY_ROLE_CODES,
} from "../../lib/ods/fhir.ts";
import { activeParent, type OdsRecord, REL, ROLE } from "../../lib/ods/record.ts";

/** `GET /Organization/RR8`, verbatim from the FHIR R4 ODT API spec. */
const RR8_JSON = `
{"resourceType": "Organization", "id": "RR8", "meta": {"versionId": "4", "lastUpdated":
"2024-01-23T13:37:16.122+00:00", "source": "#42f81a2818154581", "profile":
["https://fhir.nhs.uk/England/StructureDefinition/England-Organization-ODS",
"https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization"]}, "extension": [{"url":
"https://fhir.nhs.uk/England/StructureDefinition/Extension-England-OrganisationRole", "extension":
[{"url": "instanceID", "valueInteger": 37525}, {"url": "roleCode", "valueCodeableConcept":
{"coding": [{"system":
"https://digital.nhs.uk/services/organisation-data-service/CodeSystem/ODSOrganisationRole",
"code": "RO197", "display": "NHS TRUST"}]}}, {"url":
"https://fhir.nhs.uk/England/StructureDefinition/Extension-England-TypedPeriod", "extension":
[{"url": "dateType", "valueCoding": {"system":
"https://fhir.nhs.uk/England/CodeSystem/England-PeriodType", "code": "Legal", "display":
"Legal"}}, {"url": "period", "valuePeriod": {"start": "1998-04-01"}}]}, {"url":
"https://fhir.nhs.uk/England/StructureDefinition/Extension-England-TypedPeriod", "extension":
[{"url": "dateType", "valueCoding": {"system":
"https://fhir.nhs.uk/England/CodeSystem/England-PeriodType", "code": "Operational", "display":
"Operational"}}, {"url": "period", "valuePeriod": {"start": "1998-04-01"}}]}, {"url": "active",
"valueBoolean": true}]}, {"url":
"https://fhir.nhs.uk/England/StructureDefinition/Extension-England-TypedDateTime", "extension":
[{"url": "type", "valueCoding": {"system":
"https://fhir.nhs.uk/England/CodeSystem/England-ODSDateTime", "code": "LastChangeDate", "display":
"Last Change Date"}}, {"url": "dateTime", "valueDateTime": "2023-11-14"}]}], "identifier":
[{"use": "official", "system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "RR8",
"assigner": {"display": "HSCIC"}}], "active": true, "type": [{"coding": [{"system":
"https://fhir.nhs.uk/England/CodeSystem/England-ODSRecordUseType", "code": "Full", "display":
"Full"}]}, {"coding": [{"system":
"https://digital.nhs.uk/services/organisation-data-service/CodeSystem/ODSRecordClass", "code":
"RC1", "display": "HSCOrg"}]}], "name": "LEEDS TEACHING HOSPITALS NHS TRUST", "telecom":
[{"system": "phone", "value": "0113 243 3144"}, {"system": "url", "value":
"HTTPS://WWW.LEEDSTH.NHS.UK/"}], "address": [{"extension": [{"url":
"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-AddressKey", "extension": [{"url":
"type", "valueCodeableConcept": {"coding": [{"system":
"https://fhir.hl7.org.uk/CodeSystem/UKCore-AddressKeyType", "code": "UPRN", "display":
"Unique Property Reference Number"}]}}, {"url": "value", "valueString": "72016246"}]}], "line":
["ST. JAMES'S UNIVERSITY HOSPITAL", "BECKETT STREET"], "city": "LEEDS", "postalCode": "LS9 7TF",
"country": "ENGLAND"}]}
`;

type Json = Record<string, unknown>;

const ENG = "https://fhir.nhs.uk/England/StructureDefinition";
const ODS = "https://digital.nhs.uk/services/organisation-data-service/CodeSystem";

function typedPeriod(type: "Operational" | "Legal", start: string, end?: string): Json {
  return {
    url: `${ENG}/Extension-England-TypedPeriod`,
    extension: [
      { url: "dateType", valueCoding: { system: `${ENG}/England-PeriodType`, code: type } },
      { url: "period", valuePeriod: end ? { start, end } : { start } },
    ],
  };
}

function role(code: string, opts: { active?: boolean; start?: string; end?: string } = {}): Json {
  const start = opts.start ?? "2000-04-01";
  return {
    url: `${ENG}/Extension-England-OrganisationRole`,
    extension: [
      { url: "instanceID", valueInteger: 1 },
      {
        url: "roleCode",
        valueCodeableConcept: { coding: [{ system: `${ODS}/ODSOrganisationRole`, code }] },
      },
      typedPeriod("Legal", start, opts.end),
      typedPeriod("Operational", start, opts.end),
      { url: "active", valueBoolean: opts.active ?? true },
    ],
  };
}

function lastChange(value: string): Json {
  return {
    url: `${ENG}/Extension-England-TypedDateTime`,
    extension: [
      {
        url: "type",
        valueCoding: {
          system: "https://fhir.nhs.uk/England/CodeSystem/England-ODSDateTime",
          code: "LastChangeDate",
        },
      },
      { url: "dateTime", valueDateTime: value },
    ],
  };
}

interface OrgOptions {
  roles?: Json[];
  lcd?: string;
  rc?: string;
  use?: string;
  active?: boolean;
  name?: string;
  extra?: Json[];
}

/** A minimal Organization in the API's shape. */
function organization(code: string, o: OrgOptions = {}): Json {
  return {
    resourceType: "Organization",
    id: code,
    extension: [
      ...(o.roles ?? [role("RO197")]),
      lastChange(o.lcd ?? "2024-05-01"),
      ...(o.extra ?? []),
    ],
    identifier: [{ use: "official", system: ODS_CODE_SYSTEM, value: code }],
    active: o.active ?? true,
    type: [
      {
        coding: [{
          system: "https://fhir.nhs.uk/England/CodeSystem/England-ODSRecordUseType",
          code: o.use ?? "Full",
        }],
      },
      { coding: [{ system: `${ODS}/ODSRecordClass`, code: o.rc ?? "RC1" }] },
    ],
    name: o.name ?? `ORG ${code}`,
  };
}

function ref(code: string): Json {
  return {
    reference: `Organization/${code}`,
    identifier: { system: ODS_CODE_SYSTEM, value: code },
  };
}

/** An OrganizationAffiliation: `source` —`rel`→ `target`. */
function affiliation(
  id: string,
  source: string,
  target: string,
  rel: string,
  o: { active?: boolean; start?: string; end?: string; legal?: [string, string?] } = {},
): Json {
  const start = o.start ?? "2010-01-01";
  return {
    resourceType: "OrganizationAffiliation",
    id,
    extension: [
      ...(o.legal ? [typedPeriod("Legal", o.legal[0], o.legal[1])] : []),
      typedPeriod("Operational", start, o.end),
    ],
    identifier: [{ system: `${ODS}/organization-relationship-instance`, value: id }],
    active: o.active ?? !o.end,
    period: o.end ? { start, end: o.end } : { start },
    organization: ref(source),
    participatingOrganization: ref(target),
    code: [{
      coding: [{ system: `${ODS}/ODSRelationship`, code: rel, display: "IS OPERATED BY" }],
    }],
  };
}

function parsed(
  resource: unknown,
  affs: unknown[] = [],
  options: FhirParseOptions = {},
): OdsRecord {
  const r = parseFhirOrganization(resource, affs, options);
  if (!r.ok) throw new Error(`expected a valid record, got: ${r.reason}`);
  return r.record;
}

function invalid(resource: unknown, affs: unknown[] = []): string {
  const r = parseFhirOrganization(resource, affs);
  if (r.ok) throw new Error("expected an invalid record");
  ok(r.reason.length > 0);
  return r.reason;
}

Deno.test("FHIR Organization parsing: the RR8 sample", async (t) => {
  await t.step("maps every field the resource carries", () => {
    deepEqual(parsed(JSON.parse(RR8_JSON)), {
      code: "RR8",
      name: "LEEDS TEACHING HOSPITALS NHS TRUST",
      active: true,
      lastChangeDate: "2023-11-14",
      recordClass: "RC1",
      refOnly: false,
      primaryRole: "RO197",
      roles: [{
        id: "RO197",
        primary: true,
        active: true,
        operational: { start: "1998-04-01", end: null },
        legal: { start: "1998-04-01", end: null },
      }],
      operational: { start: "1998-04-01", end: null },
      legal: { start: "1998-04-01", end: null },
      address: {
        line1: "ST. JAMES'S UNIVERSITY HOSPITAL",
        line2: "BECKETT STREET",
        line3: null,
        town: "LEEDS",
        county: null,
        postcode: "LS9 7TF",
        country: "ENGLAND",
        uprn: "72016246",
      },
      telephone: "0113 243 3144",
      website: "HTTPS://WWW.LEEDSTH.NHS.UK/",
      email: null,
      relationships: [],
      successions: [],
      successionsKnown: false,
      absent: ["county", "line_positions"],
    });
  });

  await t.step("the ODS code comes from the official identifier, else from id", () => {
    const r = JSON.parse(RR8_JSON);
    r.id = "something-else";
    equal(parsed(r).code, "RR8");
    delete r.identifier;
    r.id = "rr8";
    equal(parsed(r).code, "RR8");
  });
});

Deno.test("FHIR Organization parsing: fields", async (t) => {
  await t.step("RefOnly record use type and RC2 record class", () => {
    const r = parsed(organization("RJY", { use: "RefOnly", rc: "RC2", active: false }));
    equal(r.refOnly, true);
    equal(r.recordClass, "RC2");
    equal(r.active, false);
  });

  await t.step("LastChangeDate given as a full dateTime keeps its date", () => {
    equal(
      parsed(organization("X1", { lcd: "2024-05-01T00:00:00+00:00" })).lastChangeDate,
      "2024-05-01",
    );
  });

  await t.step("telecom email, UPRN missing, district as county", () => {
    const o = organization("X1");
    o.telecom = [{ system: "email", value: "a@b.nhs.uk" }, { system: "phone", value: " 01 " }];
    o.address = [{ line: ["A"], district: "KENT", postalCode: "CT1 3NG" }];
    const r = parsed(o);
    equal(r.email, "a@b.nhs.uk");
    equal(r.telephone, "01");
    equal(r.address.county, "KENT");
    equal(r.address.uprn, null);
    equal(r.address.line2, null);
  });

  await t.step("role periods and active flags; org periods from a top-level TypedPeriod", () => {
    const o = organization("X1", {
      roles: [role("RO198", { start: "2001-01-01", end: "2020-12-31", active: false })],
      extra: [typedPeriod("Operational", "2001-02-02", "2020-12-30")],
      active: false,
    });
    const r = parsed(o);
    deepEqual(r.roles, [{
      id: "RO198",
      primary: true,
      active: false,
      operational: { start: "2001-01-01", end: "2020-12-31" },
      legal: { start: "2001-01-01", end: "2020-12-31" },
    }]);
    deepEqual(r.operational, { start: "2001-02-02", end: "2020-12-30" });
    deepEqual(r.legal, { start: "2001-01-01", end: "2020-12-31" }); // from the primary role
  });

  await t.step("successions are never on the Organization resource", () => {
    deepEqual(parsed(organization("X1")).successions, []);
  });
});

Deno.test("FHIR primary role rule", async (t) => {
  const primaryOf = (...roles: Json[]) => parsed(organization("X1", { roles })).primaryRole;

  await t.step("a known primary code wins over non-primary ones", () => {
    equal(primaryOf(role("RO57"), role("RO197")), "RO197"); // foundation trust
    equal(primaryOf(role("RO318"), role("RO261"), role("RO262", { active: false })), "RO261"); // ICB
    equal(primaryOf(role("RO98"), role("RO319")), "RO98"); // sub-ICB location
    equal(primaryOf(role("RO76"), role("RO177")), "RO177"); // GP practice
    equal(primaryOf(role("RO209")), "RO209");
    equal(primaryOf(role("RO144")), "RO144");
    equal(primaryOf(role("RO142")), "RO142");
  });

  await t.step("an unknown code is primary when it is the only candidate", () => {
    equal(primaryOf(role("RO999")), "RO999");
    equal(primaryOf(role("RO999"), role("RO318")), "RO999");
  });

  await t.step("repeated instances of one role count once", () => {
    equal(primaryOf(role("RO198", { end: "2010-01-01", active: false }), role("RO198")), "RO198");
  });

  await t.step("two primary codes: the only active one; otherwise invalid", () => {
    equal(primaryOf(role("RO197", { active: false, end: "2020-01-01" }), role("RO198")), "RO198");
    const reason = invalid(organization("X1", { roles: [role("RO197"), role("RO198")] }));
    ok(reason.includes("RO197, RO198"), reason);
  });

  await t.step("no roles, or only non-primary ones, is invalid", () => {
    ok(invalid(organization("X1", { roles: [] })).includes("no roles"));
    ok(
      invalid(organization("X1", { roles: [role("RO57"), role("RO318")] })).includes(
        "no primary role",
      ),
    );
  });

  await t.step("an explicit primaryRole flag, if ever present, is honoured", () => {
    const flagged = role("RO57");
    (flagged.extension as Json[]).push({ url: "primaryRole", valueBoolean: true });
    equal(primaryOf(role("RO197"), flagged), "RO57");
  });

  await t.step(
    "isPrimaryRole (e.g. from the ODSOrganisationRole CodeSystem) overrides the table",
    () => {
      const o = organization("X1", { roles: [role("RO197"), role("RO500")] });
      equal(
        parsed(o, [], {
          isPrimaryRole: (c) => c === "RO500" ? true : c === "RO197" ? false : undefined,
        }).primaryRole,
        "RO500",
      );
    },
  );

  await t.step("pickPrimaryRole directly, and fhirPrimaryRole on a resource", () => {
    deepEqual(pickPrimaryRole([{ id: "RO57", active: true }, { id: "RO197", active: true }]), {
      ok: true,
      role: "RO197",
    });
    equal(fhirPrimaryRole(JSON.parse(RR8_JSON)), "RO197");
    equal(fhirPrimaryRole({ resourceType: "Organization" }), null);
    equal(fhirPrimaryRole("junk"), null);
  });
});

Deno.test("FHIR relationships from OrganizationAffiliation", async (t) => {
  const site = organization("RVVKC", { roles: [role("RO198")], rc: "RC2" });
  const roles = new Map([["RVV", "RO197"], ["RWF", "RO197"], ["QKS", "RO261"]]);
  const targetRole = (c: string) => roles.get(c);

  await t.step(
    "organization = this record (child), participatingOrganization = target (parent)",
    () => {
      const r = parsed(site, [
        affiliation("1", "RVVKC", "RWF", "RE6", {
          start: "1999-04-01",
          end: "2005-03-31",
          legal: ["1999-04-01", "2005-03-31"],
        }),
        affiliation("2", "RVVKC", "RVV", "RE6", { start: "2005-04-01" }),
        affiliation("3", "RVV", "QKS", "RE5"), // RVV's own: ignored here
        affiliation("4", "OTHER", "RVVKC", "RE6"), // points at us: not ours
      ], { targetRole });
      deepEqual(r.relationships, [
        {
          id: "RE6",
          target: "RWF",
          targetRole: "RO197",
          active: false,
          operational: { start: "1999-04-01", end: "2005-03-31" },
          legal: { start: "1999-04-01", end: "2005-03-31" },
        },
        {
          id: "RE6",
          target: "RVV",
          targetRole: "RO197",
          active: true,
          operational: { start: "2005-04-01", end: null },
          legal: { start: null, end: null },
        },
      ]);
      equal(activeParent(r, REL.IS_OPERATED_BY, [ROLE.NHS_TRUST]), "RVV");
    },
  );

  await t.step("targetRole is null when the caller can't tell", () => {
    const r = parsed(site, [affiliation("2", "RVVKC", "RVV", "RE6")]);
    equal(r.relationships[0].targetRole, null);
  });

  await t.step("active falls back to the period; operational falls back to `period`", () => {
    const a = affiliation("9", "RVVKC", "RVV", "RE6", { start: "2001-01-01", end: "2002-01-01" });
    delete a.active;
    a.extension = [];
    const r = parsed(site, [a]).relationships[0];
    equal(r.active, false);
    deepEqual(r.operational, { start: "2001-01-01", end: "2002-01-01" });
  });

  await t.step("a malformed affiliation of this record makes it invalid", () => {
    const noCode = affiliation("5", "RVVKC", "RVV", "RE6");
    noCode.code = [];
    ok(invalid(site, [noCode]).includes("OrganizationAffiliation[0]: code"));
    const badDate = affiliation("6", "RVVKC", "RVV", "RE6", { start: "01/01/2001" });
    ok(invalid(site, [badDate]).includes('expected a date, got "01/01/2001"'));
    const noTarget = affiliation("7", "RVVKC", "RVV", "RE6");
    noTarget.participatingOrganization = { display: "?" };
    ok(invalid(site, [noTarget]).includes("participatingOrganization has no ODS code"));
  });

  await t.step("affiliationSource reads the identifier or the reference", () => {
    equal(affiliationSource(affiliation("1", "rvvkc", "RVV", "RE6")), "RVVKC");
    equal(affiliationSource({ organization: { reference: "Organization/G81086" } }), "G81086");
    equal(affiliationSource({ organization: {} }), null);
    equal(affiliationSource(null), null);
  });
});

Deno.test("FHIR Organization parsing: invalid records get a readable reason", async (t) => {
  await t.step("missing LastChangeDate extension", () => {
    const o = organization("X1");
    o.extension = [role("RO197")];
    ok(invalid(o).includes("LastChangeDate extension is missing"));
  });

  await t.step("malformed LastChangeDate", () => {
    for (const bad of ["2024-13-01", "14/11/2023", "2023", "2023-11-14X"]) {
      ok(
        invalid(organization("X1", { lcd: bad })).includes("LastChangeDate: expected a date"),
        bad,
      );
    }
  });

  await t.step("missing or unknown record class", () => {
    const o = organization("X1");
    o.type = [];
    ok(invalid(o).includes("record class"));
    ok(invalid(organization("X1", { rc: "RC9" })).includes('"RC9"'));
  });

  await t.step("missing name or active", () => {
    const o = organization("X1");
    delete o.name;
    equal(invalid(o), "name: is missing");
    const p = organization("X1");
    delete p.active;
    equal(invalid(p), "active: is missing");
  });

  await t.step("a role with a bad period date", () => {
    ok(
      invalid(organization("X1", { roles: [role("RO197", { start: "1998-02-30" })] })).includes(
        "role RO197",
      ),
    );
  });

  await t.step("not an Organization; never throws", () => {
    for (
      const body of [
        null,
        undefined,
        1,
        "x",
        [],
        {},
        { resourceType: "Patient" },
        JSON.parse(OUTCOME_404),
      ]
    ) {
      invalid(body);
    }
  });
});

const OUTCOME_404 = JSON.stringify({
  resourceType: "OperationOutcome",
  text: { status: "generated", div: "<div>…</div>" },
  issue: [{
    severity: "error",
    code: "processing",
    diagnostics: "HAPI-2001: Resource Organization/8J632648493 is not known",
  }],
});

Deno.test("FHIR Bundle and OperationOutcome parsing", async (t) => {
  await t.step("a searchset page: entries with modes, next link, total", () => {
    const body = {
      resourceType: "Bundle",
      type: "searchset",
      total: 3,
      link: [
        { relation: "self", url: "https://api/fhir/Organization?_count=2" },
        { relation: "next", url: "https://api/fhir/Organization?_count=2&_offset=2" },
      ],
      entry: [
        { fullUrl: "x", resource: organization("A"), search: { mode: "match" } },
        { resource: affiliation("1", "A", "B", "RE6"), search: { mode: "include" } },
        { resource: organization("B") },
      ],
    };
    const r = parseFhirBundle(body);
    ok(r.ok);
    equal(r.bundle.total, 3);
    equal(r.bundle.next, "https://api/fhir/Organization?_count=2&_offset=2");
    deepEqual(r.bundle.entries.map((e) => [e.resourceType, e.mode]), [
      ["Organization", "match"],
      ["OrganizationAffiliation", "include"],
      ["Organization", null],
    ]);
  });

  await t.step("the last page has no next link; total may be absent; entry may be absent", () => {
    const r = parseFhirBundle({
      resourceType: "Bundle",
      type: "searchset",
      link: [{ relation: "self", url: "u" }],
    });
    ok(r.ok);
    equal(r.bundle.next, null);
    equal(r.bundle.total, null);
    deepEqual(r.bundle.entries, []);
  });

  await t.step("an OperationOutcome is an error carrying its diagnostics", () => {
    deepEqual(parseFhirBundle(JSON.parse(OUTCOME_404)), {
      ok: false,
      reason: "processing: HAPI-2001: Resource Organization/8J632648493 is not known",
    });
  });

  await t.step("anything else is an error", () => {
    for (
      const body of [
        null,
        "<html>",
        {},
        { resourceType: "Bundle", entry: "x" },
        JSON.parse(RR8_JSON),
      ]
    ) {
      const r = parseFhirBundle(body);
      equal(r.ok, false);
    }
  });

  await t.step("too-costly (the 10 MB cap) is recognised", () => {
    const tooBig = {
      resourceType: "OperationOutcome",
      issue: [{
        severity: "error",
        code: "too-costly",
        details: { text: "Response exceeds APIM size limit" },
        diagnostics: "Response exceeds APIM size limit",
      }],
    };
    ok(isTooCostly(tooBig));
    ok(!isTooCostly(JSON.parse(OUTCOME_404)));
    ok(!isTooCostly(undefined));
    equal(describeOperationOutcome(tooBig), "too-costly: Response exceeds APIM size limit");
    equal(describeOperationOutcome({ resourceType: "Bundle" }), null);
  });

  await t.step("fhirOrganizationCode", () => {
    equal(fhirOrganizationCode(organization("rvv")), "RVV");
    equal(fhirOrganizationCode({ id: "abc" }), "ABC");
    equal(fhirOrganizationCode({}), null);
    equal(fhirOrganizationCode(null), null);
  });

  await t.step("the primary-role tables agree with record.ts and don't overlap", () => {
    for (
      const c of [
        ROLE.NHS_TRUST,
        ROLE.NHS_TRUST_SITE,
        ROLE.STRATEGIC_PARTNERSHIP,
        ROLE.NHS_ENGLAND_REGION,
        ...ROLE.LOCAL_HEALTH_BOARD,
        ...ROLE.LOCAL_HEALTH_BOARD_SITE,
      ]
    ) {
      ok(PRIMARY_ROLE_CODES.has(c), c);
    }
    ok(NON_PRIMARY_ROLE_CODES.has(ROLE.INTEGRATED_CARE_BOARD));
    for (const c of PRIMARY_ROLE_CODES) ok(!NON_PRIMARY_ROLE_CODES.has(c), c);
  });
});

Deno.test("FHIR $lookup successions", async (t) => {
  const lookup = (...properties: Json[]) => ({
    resourceType: "Parameters",
    parameter: [
      { name: "code", valueCode: "RZA" },
      { name: "name", valueString: "ODS Organisation" },
      { name: "system", valueUri: "https://fhir.nhs.uk/Id/ods-organization-code" },
      ...properties,
    ],
  });
  const property = (code: string, value: Json) => ({
    name: "property",
    part: [{ name: "code", valueCode: code }, { name: "value", ...value }],
  });

  await t.step("successor and predecessor properties name the other record", () => {
    deepEqual(
      parseFhirSuccessions(lookup(
        property("status", { valueCode: "inactive" }),
        property("successor", { valueCode: "RZB" }),
        property("Predecessor", { valueCoding: { code: "rqj" } }),
      )),
      {
        ok: true,
        successions: [
          { type: "Successor", target: "RZB", targetRole: null, date: null },
          { type: "Predecessor", target: "RQJ", targetRole: null, date: null },
        ],
      },
    );
  });

  await t.step("the specification's $lookup example (no succession) gives none", () => {
    // G81086 in the specification: status, RE4/RE6/RE8 targets, geography, no succession.
    deepEqual(
      parseFhirSuccessions(lookup(
        property("status", { valueCode: "active" }),
        property("RE4", { valueCode: "97R" }),
        property("RE8", { valueCode: "U36842" }),
      )),
      { ok: true, successions: [] },
    );
  });

  await t.step("an unknown code's OperationOutcome is an error", () => {
    const r = parseFhirSuccessions({
      resourceType: "OperationOutcome",
      issue: [{
        severity: "error",
        code: "not-found",
        diagnostics: "The code D82626 was not found.",
      }],
    });
    equal(r.ok, false);
  });
});
