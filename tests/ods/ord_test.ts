import { deepEqual, equal, ok } from "node:assert/strict";
import { isIsoDate } from "../../lib/dates.ts";
import { codeFromOrgLink, parseOrdOrganisation, parseOrdSync } from "../../lib/ods/ord.ts";
import { activeParent, type OdsRecord, REL, ROLE } from "../../lib/ods/record.ts";

/** Verbatim from the live ORD API (see docs/ods-api.md §1.6). */
const RVVKC_JSON = `
{"Organisation": {"Name": "KENT & CANTERBURY HOSPITAL", "Date": [{"Type": "Operational",
"Start": "1999-04-01"}], "OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "RVVKC"}, "Status": "Active",
"LastChangeDate": "2021-07-21", "orgRecordClass": "RC2",
"GeoLoc": {"Location": {"AddrLn1": "ETHELBERT ROAD", "Town": "CANTERBURY", "County": "KENT",
"PostCode": "CT1 3NG", "Country": "ENGLAND", "UPRN": 100062280103}},
"Roles": {"Role": [{"id": "RO198", "uniqueRoleId": 13437, "primaryRole": true,
"Date": [{"Type": "Operational", "Start": "1999-04-01"}], "Status": "Active"}]},
"Rels": {"Rel": [{"Date": [{"Type": "Operational", "Start": "1999-04-01"}], "Status": "Active",
"Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "RVV"}, "PrimaryRoleId": {"id": "RO197",
"uniqueRoleId": 41756}}, "id": "RE6", "uniqueRelId": 15806}]},
"Succs": {"Succ": [{"uniqueSuccId": 28060, "Date": [{"Type": "Legal", "Start": "1999-04-01"}],
"Type": "Predecessor", "Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "RGWKC"}, "PrimaryRoleId": {"id": "RO198",
"uniqueRoleId": 3501}}}]}}}
`;

/** Verbatim from the live ORD API (see docs/ods-api.md §1.6). */
const RWR_JSON = `
{"Organisation": {"Name": "HERTFORDSHIRE PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST",
"Date": [{"Type": "Operational", "Start": "2001-04-01"}],
"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48", "assigningAuthorityName": "HSCIC",
"extension": "RWR"}, "Status": "Active", "LastChangeDate": "2020-04-06", "orgRecordClass": "RC1",
"GeoLoc": {"Location": {"AddrLn1": "THE COLONNADES", "AddrLn2": "BEACONSFIELD CLOSE",
"Town": "HATFIELD", "PostCode": "AL10 8YE", "Country": "ENGLAND", "UPRN": 10007553984}},
"Contacts": {"Contact": [{"type": "tel", "value": "01707 253800"}, {"type": "http",
"value": "HTTPS://WWW.HPFT.NHS.UK/"}]}, "Roles": {"Role": [{"id": "RO197", "uniqueRoleId": 102782,
"primaryRole": true, "Date": [{"Type": "Operational", "Start": "2001-04-01"}],
"Status": "Active"}, {"id": "RO57", "uniqueRoleId": 155264, "Date": [{"Type": "Operational",
"Start": "2007-08-01"}], "Status": "Active"}]}, "Rels": {"Rel": [{"Date": [{"Type": "Operational",
"Start": "2020-04-01"}], "Status": "Active",
"Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "QM7"}, "PrimaryRoleId": {"id": "RO261",
"uniqueRoleId": 300786}}, "id": "RE5", "uniqueRelId": 696688}, {"Date": [{"Type": "Operational",
"Start": "2019-04-01", "End": "2020-03-31"}], "Status": "Inactive",
"Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "Q79"}, "PrimaryRoleId": {"id": "RO210",
"uniqueRoleId": 202023}}, "id": "RE5", "uniqueRelId": 568962}, {"Date": [{"Type": "Operational",
"Start": "2016-01-29", "End": "2019-03-31"}, {"Type": "Legal", "Start": "2015-04-01",
"End": "2019-03-31"}], "Status": "Inactive",
"Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "Q78"}, "PrimaryRoleId": {"id": "RO210",
"uniqueRoleId": 202022}}, "id": "RE5", "uniqueRelId": 358954}, {"Date": [{"Type": "Operational",
"Start": "2014-09-01", "End": "2016-01-28"}, {"Type": "Legal", "Start": "2013-04-01",
"End": "2015-03-31"}], "Status": "Inactive",
"Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "Q58"}, "PrimaryRoleId": {"id": "RO210",
"uniqueRoleId": 163553}}, "id": "RE5", "uniqueRelId": 193512}, {"Date": [{"Type": "Operational",
"Start": "2006-07-01", "End": "2014-08-31"}, {"Type": "Legal", "Start": "2006-07-01",
"End": "2013-03-31"}], "Status": "Inactive",
"Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "Q35"}, "PrimaryRoleId": {"id": "RO132",
"uniqueRoleId": 137019}}, "id": "RE5", "uniqueRelId": 76203}, {"Date": [{"Type": "Operational",
"Start": "2001-04-01", "End": "2002-03-31"}], "Status": "Inactive",
"Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "QEX"}, "PrimaryRoleId": {"id": "RO132",
"uniqueRoleId": 100464}}, "id": "RE5", "uniqueRelId": 51797}, {"Date": [{"Type": "Operational",
"Start": "2002-04-01", "End": "2006-06-30"}], "Status": "Inactive",
"Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "Q02"}, "PrimaryRoleId": {"id": "RO132",
"uniqueRoleId": 21633}}, "id": "RE5", "uniqueRelId": 71564}]},
"Succs": {"Succ": [{"uniqueSuccId": 10500, "Date": [{"Type": "Legal", "Start": "2001-04-01"}],
"Type": "Predecessor", "Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "RQJ"}, "PrimaryRoleId": {"id": "RO197",
"uniqueRoleId": 37508}}}, {"uniqueSuccId": 23860, "Date": [{"Type": "Legal",
"Start": "2001-04-01"}], "Type": "Predecessor",
"Target": {"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48",
"assigningAuthorityName": "HSCIC", "extension": "RC8"}, "PrimaryRoleId": {"id": "RO197",
"uniqueRoleId": 25581}}}]}}}
`;

/** Verbatim from the live ORD API (see docs/ods-api.md §1.6). */
const RJY_JSON = `
{"Organisation": {"Name": "WIGAN AND LEIGH HEALTH SERVICES NHS TRUST",
"Date": [{"Type": "Operational", "Start": "1993-04-01", "End": "2001-03-31"}],
"OrgId": {"root": "2.16.840.1.113883.2.1.3.2.4.18.48", "assigningAuthorityName": "HSCIC",
"extension": "RJY"}, "Status": "Inactive", "LastChangeDate": "2020-03-19",
"orgRecordClass": "RC1", "refOnly": true,
"GeoLoc": {"Location": {"AddrLn1": "ROYAL ALBERT EDWARD INFIRMARY", "AddrLn2": "WIGAN LANE",
"Town": "WIGAN", "County": "LANCASHIRE", "PostCode": "WN1 2NN", "Country": "ENGLAND"}},
"Roles": {"Role": [{"id": "RO197", "uniqueRoleId": 37515, "primaryRole": true,
"Date": [{"Type": "Operational", "Start": "1993-04-01", "End": "2001-03-31"}],
"Status": "Inactive"}]}}}
`;

type Json = Record<string, unknown>;
const sample = (text: string): Json => JSON.parse(text);
/** A deep copy of a sample's `Organisation` object, for editing. */
const org = (text: string): Json => sample(text).Organisation as Json;
const wrap = (o: Json) => ({ Organisation: o });

function parsed(body: unknown): OdsRecord {
  const r = parseOrdOrganisation(body);
  if (!r.ok) throw new Error(`expected a valid record, got: ${r.reason}`);
  return r.record;
}

function invalid(body: unknown): string {
  const r = parseOrdOrganisation(body);
  if (r.ok) throw new Error("expected an invalid record");
  equal(typeof r.reason, "string");
  ok(r.reason.length > 0);
  return r.reason;
}

Deno.test("ORD record parsing: real samples", async (t) => {
  await t.step("RVVKC: a trust site operated by RVV, UPRN number becomes a string", () => {
    const r = parsed(sample(RVVKC_JSON));
    deepEqual(r, {
      code: "RVVKC",
      name: "KENT & CANTERBURY HOSPITAL",
      active: true,
      lastChangeDate: "2021-07-21",
      recordClass: "RC2",
      refOnly: false,
      primaryRole: "RO198",
      roles: [{
        id: "RO198",
        primary: true,
        active: true,
        operational: { start: "1999-04-01", end: null },
        legal: { start: null, end: null },
      }],
      operational: { start: "1999-04-01", end: null },
      legal: { start: null, end: null },
      address: {
        line1: "ETHELBERT ROAD",
        line2: null,
        line3: null,
        town: "CANTERBURY",
        county: "KENT",
        postcode: "CT1 3NG",
        country: "ENGLAND",
        uprn: "100062280103",
      },
      telephone: null,
      website: null,
      email: null,
      relationships: [{
        id: "RE6",
        target: "RVV",
        targetRole: "RO197",
        active: true,
        operational: { start: "1999-04-01", end: null },
        legal: { start: null, end: null },
      }],
      successions: [{
        type: "Predecessor",
        target: "RGWKC",
        targetRole: "RO198",
        date: "1999-04-01",
      }],
    });
    equal(activeParent(r, REL.IS_OPERATED_BY, [ROLE.NHS_TRUST]), "RVV");
  });

  await t.step("RWR: a trust with a non-primary role, contacts and RE5 history", () => {
    const r = parsed(sample(RWR_JSON));
    equal(r.primaryRole, "RO197");
    deepEqual(r.roles.map((x) => [x.id, x.primary, x.active]), [
      ["RO197", true, true],
      ["RO57", false, true],
    ]);
    equal(r.telephone, "01707 253800");
    equal(r.website, "HTTPS://WWW.HPFT.NHS.UK/");
    equal(r.email, null);
    equal(r.address.line2, "BEACONSFIELD CLOSE");
    equal(r.address.county, null);
    equal(r.relationships.length, 7);
    deepEqual(r.relationships.filter((x) => x.active).map((x) => [x.target, x.targetRole]), [
      ["QM7", "RO261"],
    ]);
    deepEqual(r.relationships[2].legal, { start: "2015-04-01", end: "2019-03-31" });
    deepEqual(r.relationships[2].operational, { start: "2016-01-29", end: "2019-03-31" });
    equal(activeParent(r, REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF, [ROLE.STRATEGIC_PARTNERSHIP]), "QM7");
    deepEqual(r.successions.map((s) => [s.type, s.target, s.targetRole, s.date]), [
      ["Predecessor", "RQJ", "RO197", "2001-04-01"],
      ["Predecessor", "RC8", "RO197", "2001-04-01"],
    ]);
  });

  await t.step("RJY: an inactive refOnly trust without Rels, Succs or Contacts", () => {
    const r = parsed(sample(RJY_JSON));
    equal(r.active, false);
    equal(r.refOnly, true);
    deepEqual(r.roles[0], {
      id: "RO197",
      primary: true,
      active: false,
      operational: { start: "1993-04-01", end: "2001-03-31" },
      legal: { start: null, end: null },
    });
    deepEqual(r.operational, { start: "1993-04-01", end: "2001-03-31" });
    deepEqual(r.relationships, []);
    deepEqual(r.successions, []);
    equal(r.telephone, null);
    equal(r.address.uprn, null);
  });

  await t.step("accepts the body as JSON text too", () => {
    equal(parsed(RVVKC_JSON).code, "RVVKC");
  });
});

Deno.test("ORD record parsing: defensive about shapes seen in the wild", async (t) => {
  await t.step("one-element lists as bare objects (Contact, Role, Rel, Succ, Date)", () => {
    const o = org(RWR_JSON);
    o.Date = (o.Date as Json[])[0];
    o.Contacts = { Contact: { type: "tel", value: "01707 253800" } };
    const roles = (o.Roles as { Role: Json[] }).Role;
    o.Roles = { Role: { ...roles[0], Date: (roles[0].Date as Json[])[0] } };
    const rels = (o.Rels as { Rel: Json[] }).Rel;
    o.Rels = { Rel: rels[0] };
    const succs = (o.Succs as { Succ: Json[] }).Succ;
    o.Succs = { Succ: succs[0] };
    const r = parsed(wrap(o));
    deepEqual(r.operational, { start: "2001-04-01", end: null });
    equal(r.telephone, "01707 253800");
    deepEqual(r.roles.map((x) => x.id), ["RO197"]);
    deepEqual(r.relationships.map((x) => x.target), ["QM7"]);
    deepEqual(r.successions.map((x) => x.target), ["RQJ"]);
  });

  await t.step("uniqueRoleId as a string or a number", () => {
    const o = org(RVVKC_JSON);
    (o.Roles as { Role: Json[] }).Role[0].uniqueRoleId = "13437";
    const rel = (o.Rels as { Rel: { Target: { PrimaryRoleId: Json } }[] }).Rel[0];
    rel.Target.PrimaryRoleId.uniqueRoleId = "41756";
    equal(parsed(wrap(o)).relationships[0].targetRole, "RO197");
  });

  await t.step("Rels, Succs, Contacts and GeoLoc are each optional", () => {
    const o = org(RWR_JSON);
    delete o.Rels;
    delete o.Succs;
    delete o.Contacts;
    delete o.GeoLoc;
    const r = parsed(wrap(o));
    deepEqual(r.relationships, []);
    deepEqual(r.successions, []);
    equal(r.website, null);
    deepEqual(r.address, {
      line1: null,
      line2: null,
      line3: null,
      town: null,
      county: null,
      postcode: null,
      country: null,
      uprn: null,
    });
  });

  await t.step("any address line may be missing; blank lines become null; UPRN as string", () => {
    const o = org(RVVKC_JSON);
    o.GeoLoc = { Location: { AddrLn2: "WING B", AddrLn3: "  ", PostCode: "CT1 3NG", UPRN: "12" } };
    const a = parsed(wrap(o)).address;
    deepEqual([a.line1, a.line2, a.line3, a.town, a.postcode, a.uprn], [
      null,
      "WING B",
      null,
      null,
      "CT1 3NG",
      "12",
    ]);
  });

  await t.step('"End": null is an open period', () => {
    const o = org(RVVKC_JSON);
    o.Date = [{ Type: "Operational", Start: "1999-04-01", End: null }, {
      Type: "Legal",
      Start: "1999-04-01",
      End: null,
    }];
    const r = parsed(wrap(o));
    deepEqual(r.operational, { start: "1999-04-01", end: null });
    deepEqual(r.legal, { start: "1999-04-01", end: null });
  });

  await t.step("Status is case-insensitive, on the record and on relationships", () => {
    const o = org(RWR_JSON);
    o.Status = "ACTIVE";
    const rels = (o.Rels as { Rel: Json[] }).Rel;
    rels[0].Status = "inactive";
    rels[1].Status = "active";
    const r = parsed(wrap(o));
    equal(r.active, true);
    deepEqual(r.relationships.slice(0, 2).map((x) => x.active), [false, true]);
    const closed = org(RWR_JSON);
    closed.Status = "inActive";
    equal(parsed(wrap(closed)).active, false);
  });

  await t.step("a role or relationship without Status is active while its end is open", () => {
    const o = org(RWR_JSON);
    const rels = (o.Rels as { Rel: Json[] }).Rel;
    delete rels[0].Status; // open
    delete rels[1].Status; // ended 2020-03-31
    const r = parsed(wrap(o));
    deepEqual(r.relationships.slice(0, 2).map((x) => x.active), [true, false]);
  });

  await t.step("contacts: tel → telephone, http → website, email; fax ignored", () => {
    const o = org(RVVKC_JSON);
    o.Contacts = {
      Contact: [
        { type: "fax", value: "01227 000000" },
        { type: "TEL", value: "01227 766877" },
        { type: "email", value: "info@example.nhs.uk" },
        { type: "http", value: "www.example.nhs.uk" },
      ],
    };
    const r = parsed(wrap(o));
    deepEqual([r.telephone, r.website, r.email], [
      "01227 766877",
      "www.example.nhs.uk",
      "info@example.nhs.uk",
    ]);
  });

  await t.step("OrgId as a bare string, lower-case codes and OrgRecordClass spelling", () => {
    const o = org(RVVKC_JSON);
    o.OrgId = "rvvkc";
    o.OrgRecordClass = "rc2";
    delete o.orgRecordClass;
    const r = parsed(wrap(o));
    equal(r.code, "RVVKC");
    equal(r.recordClass, "RC2");
  });

  await t.step('refOnly as the string "true"; unknown extra keys are ignored', () => {
    const o = org(RJY_JSON);
    o.refOnly = "true";
    o.SomethingNew = { nested: [1, 2, 3] };
    equal(parsed(wrap(o)).refOnly, true);
  });

  await t.step("an unknown role code is kept as is", () => {
    const o = org(RVVKC_JSON);
    (o.Roles as { Role: Json[] }).Role[0].id = "RO999";
    equal(parsed(wrap(o)).primaryRole, "RO999");
  });
});

Deno.test("ORD record parsing: invalid records get a readable reason", async (t) => {
  await t.step("two primary roles", () => {
    const o = org(RWR_JSON);
    (o.Roles as { Role: Json[] }).Role[1].primaryRole = true;
    const reason = invalid(wrap(o));
    ok(reason.includes("2 primary roles") && reason.includes("RO57"), reason);
  });

  await t.step("no primary role", () => {
    const o = org(RVVKC_JSON);
    delete (o.Roles as { Role: Json[] }).Role[0].primaryRole;
    ok(invalid(wrap(o)).includes("no primary role"));
  });

  await t.step("no Roles at all", () => {
    const o = org(RVVKC_JSON);
    delete o.Roles;
    ok(invalid(wrap(o)).includes("Organisation.Roles: is missing"));
  });

  for (const field of ["Name", "OrgId", "LastChangeDate", "Status", "orgRecordClass"]) {
    await t.step(`missing ${field}`, () => {
      const o = org(RVVKC_JSON);
      delete o[field];
      const reason = invalid(wrap(o));
      ok(reason.includes(`Organisation.${field}: is missing`), reason);
    });
  }

  await t.step("empty Name, empty OrgId extension", () => {
    const o = org(RVVKC_JSON);
    o.Name = "  ";
    ok(invalid(wrap(o)).includes("Organisation.Name"));
    const p = org(RVVKC_JSON);
    p.OrgId = { extension: "" };
    ok(invalid(wrap(p)).includes("Organisation.OrgId.extension"));
  });

  for (const bad of ["2021/07/21", "21-07-2021", "20210721", "2021-02-30", "2021-13-01", ""]) {
    await t.step(`LastChangeDate ${JSON.stringify(bad)}`, () => {
      const o = org(RVVKC_JSON);
      o.LastChangeDate = bad;
      const reason = invalid(wrap(o));
      ok(reason.includes("Organisation.LastChangeDate: expected a YYYY-MM-DD date"), reason);
    });
  }

  await t.step("a bad date deep inside a relationship names its path", () => {
    const o = org(RWR_JSON);
    (o.Rels as { Rel: { Date: Json[] }[] }).Rel[3].Date[1].End = "31/03/2015";
    equal(
      invalid(wrap(o)),
      'Organisation.Rels.Rel[3].Date[1].End: expected a YYYY-MM-DD date, got "31/03/2015"',
    );
  });

  await t.step("an unknown Status value", () => {
    const o = org(RVVKC_JSON);
    o.Status = "Closed";
    ok(invalid(wrap(o)).includes('expected "Active" or "Inactive", got "Closed"'));
  });

  await t.step("a relationship without a target", () => {
    const o = org(RVVKC_JSON);
    delete (o.Rels as { Rel: Json[] }).Rel[0].Target;
    ok(invalid(wrap(o)).includes("Organisation.Rels.Rel[0].Target: is missing"));
  });

  await t.step("never throws: HTML, truncated JSON, error bodies, wrong types", () => {
    const bodies: unknown[] = [
      "<html><body>Bad gateway</body></html>",
      '{"Organisation":{"Name":"KENT',
      { errorCode: 404, errorText: "Not Found" },
      {},
      { Organisation: null },
      { Organisation: [] },
      { Organisation: "RVVKC" },
      [],
      null,
      undefined,
      42,
      true,
    ];
    for (const body of bodies) invalid(body);
    ok(invalid({ errorCode: 404, errorText: "Not Found" }).includes("404 Not Found"));
    equal(invalid("<html>"), "body is not valid JSON");
  });
});

Deno.test("ORD sync parsing", async (t) => {
  await t.step("an empty change list: {} or an empty array", () => {
    deepEqual(parseOrdSync({}), { ok: true, codes: [] });
    deepEqual(parseOrdSync({ Organisations: [] }), { ok: true, codes: [] });
    deepEqual(parseOrdSync('{"Organisations":[]}'), { ok: true, codes: [] });
  });

  await t.step(
    "codes are the last path segment, query stripped, upper-cased, de-duplicated",
    () => {
      const base = "https://directory.spineservices.nhs.uk/ORD/2-0-0/organisations";
      deepEqual(
        parseOrdSync({
          Organisations: [
            { OrgLink: `${base}/06KAA` },
            { OrgLink: `${base}/8hd87?_format=xml` },
            { OrgLink: `${base}/RVVKC` },
            { OrgLink: `${base}/06KAA` },
            { OrgLink: "http://127.0.0.1:8080/ORD/2-0-0/organisations/8HD87" },
            { OrgLink: "/organisations/RR8#x" },
          ],
        }),
        { ok: true, codes: ["06KAA", "8HD87", "RVVKC", "RR8"] },
      );
    },
  );

  await t.step("a single OrgLink object instead of an array", () => {
    deepEqual(parseOrdSync({ Organisations: { OrgLink: "https://x/organisations/RR8" } }), {
      ok: true,
      codes: ["RR8"],
    });
  });

  await t.step("HTML, truncated JSON, error bodies and odd shapes are errors", () => {
    const bad: unknown[] = [
      "<!DOCTYPE html><html><body>502</body></html>",
      '{"Organisations":[{"OrgLink":"https://x/organisations/R',
      { errorCode: 406, errorText: "Not Acceptable" },
      { Organisations: [{ Link: "https://x/organisations/RR8" }] },
      { Organisations: [{ OrgLink: "https://x/organisations/" }] },
      { Organisations: [{ OrgLink: "https://x/organisations/RR8/" }] },
      { Organisations: [{ OrgLink: "https://x/organisations/R R8" }] },
      { Organisations: ["https://x/organisations/RR8"] },
      { Results: [] },
      [],
      null,
      7,
    ];
    for (const body of bad) {
      const r = parseOrdSync(body);
      equal(r.ok, false, JSON.stringify(body));
      if (!r.ok) ok(r.reason.length > 0);
    }
    const e = parseOrdSync({ errorCode: 406, errorText: "Not Acceptable" });
    ok(!e.ok && e.reason.includes("406 Not Acceptable"));
  });

  await t.step("codeFromOrgLink", () => {
    equal(codeFromOrgLink("https://x/ORD/2-0-0/organisations/rvvkc?_format=xml"), "RVVKC");
    equal(codeFromOrgLink("RR8"), "RR8");
    equal(codeFromOrgLink("https://x/organisations/%52R8"), "RR8");
    equal(codeFromOrgLink("https://x/organisations/%E0%A4%A"), null);
    equal(codeFromOrgLink(""), null);
  });

  await t.step("isIsoDate checks real calendar dates", () => {
    ok(isIsoDate("2024-02-29"));
    ok(!isIsoDate("2023-02-29"));
    ok(!isIsoDate("2023-04-31"));
    ok(!isIsoDate("2023-4-1"));
  });
});
