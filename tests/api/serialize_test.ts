import { deepEqual, equal } from "node:assert/strict";
import { buildDataset, type RecordLists } from "../../lib/api/dataset.ts";
import {
  organisation,
  paediatricDiabetesUnitWithParent,
  primaryOrganisation,
} from "../../lib/api/serialize.ts";
import { buildView, VIEWS } from "../../lib/api/views.ts";
import type { Organisation } from "../../lib/model.ts";
import { organisationRecord } from "../fixtures.ts";

function org(code: string, name: string, fields: Partial<Organisation> = {}): Organisation {
  return organisationRecord(code, { name, ...fields });
}

function lists(orgs: Organisation[]): RecordLists {
  return {
    organisation: orgs,
    trust: [],
    local_health_board: [],
    integrated_care_board: [],
    nhs_england_region: [],
    country: [],
    london_borough: [],
    paediatric_diabetes_unit: [
      {
        pz_code: "PZ024",
        paediatric_diabetes_network_code: "PN99",
        source: "curated",
        updated_at: "",
      },
      {
        pz_code: "PZ167",
        paediatric_diabetes_network_code: null,
        source: "curated",
        updated_at: "",
      },
    ],
    paediatric_diabetes_network: [],
    openuk_network: [],
  };
}

// Sites of two units of the 2024 reference: PZ024 (East Kent, fixed lead RVV01) and PZ167
// (Morecambe Bay), with their reference names; RVV09's trust is one the store does not hold.
const data = buildDataset(lists([
  org("RVV09", "QUEEN ELIZABETH THE QUEEN MOTHER HOSPITAL", {
    paediatric_diabetes_unit_code: "PZ024",
    trust_code: "GONE",
  }),
  org("RVV01", "WILLIAM HARVEY HOSPITAL (ASHFORD)", { paediatric_diabetes_unit_code: "PZ024" }),
  org("RTX02", "ROYAL LANCASTER INFIRMARY", { paediatric_diabetes_unit_code: "PZ167" }),
  org("RTXBU", "FURNESS GENERAL HOSPITAL", { paediatric_diabetes_unit_code: "PZ167" }),
]));

Deno.test("serializers: a PDU's primary organisation is the fixed one, else the first by name", () => {
  equal(primaryOrganisation(data, "PZ024")?.ods_code, "RVV01");
  equal(primaryOrganisation(data, "PZ167")?.ods_code, "RTXBU");
  equal(primaryOrganisation(data, "PZ999"), null);
});

Deno.test("serializers: missing parents serialize as null", () => {
  const o = organisation(data, data.records.organisation.get("RVV09")!);
  equal(o.trust, null);
  deepEqual(o.paediatric_diabetes_unit, { pz_code: "PZ024", paediatric_diabetes_network: null });
  const unit = paediatricDiabetesUnitWithParent(
    data,
    data.records.paediatric_diabetes_unit.get("PZ024")!,
  );
  equal(unit.parent, null);
  deepEqual(unit.primary_organisation, {
    ods_code: "RVV01",
    name: "WILLIAM HARVEY HOSPITAL (ASHFORD)",
  });
});

Deno.test("serializers: a unit's organisations come by name, not by code", () => {
  deepEqual(
    data.organisationsOf("paediatric_diabetes_unit_code", "PZ167").map((o) => o.ods_code),
    ["RTXBU", "RTX02"],
  );
});

Deno.test("views: items come in their view's order", () => {
  deepEqual(buildView(VIEWS.organisations_limited, data).map((i) => i.code), [
    "RTXBU",
    "RVV09",
    "RTX02",
    "RVV01",
  ]);
  deepEqual(buildView(VIEWS.paediatric_diabetes_units_extended, data).map((i) => i.item), [
    { pz_code: "PZ024" },
    { pz_code: "PZ167" },
  ]);
});
