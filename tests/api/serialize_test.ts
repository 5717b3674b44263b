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

function org(code: string, fields: Partial<Organisation> = {}): Organisation {
  return organisationRecord(code, { name: `SITE ${code}`, ...fields });
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
        pz_code: "PZ500",
        paediatric_diabetes_network_code: null,
        source: "curated",
        updated_at: "",
      },
    ],
    paediatric_diabetes_network: [],
    openuk_network: [],
  };
}

const data = buildDataset(lists([
  org("RVV09", { paediatric_diabetes_unit_code: "PZ024", name: "B", trust_code: "GONE" }),
  org("RVV01", { paediatric_diabetes_unit_code: "PZ024", name: "C" }),
  org("RVV02", { paediatric_diabetes_unit_code: "PZ500", name: "A" }),
  org("RVV03", { paediatric_diabetes_unit_code: "PZ500", name: "A" }),
]));

Deno.test("serializers: a PDU's primary organisation is the fixed one, else the first by code", () => {
  equal(primaryOrganisation(data, "PZ024")?.ods_code, "RVV01");
  equal(primaryOrganisation(data, "PZ500")?.ods_code, "RVV02");
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
  deepEqual(unit.primary_organisation, { ods_code: "RVV01", name: "C" });
});

Deno.test("serializers: children come by name then code", () => {
  deepEqual(
    data.organisationsOf("paediatric_diabetes_unit_code", "PZ500").map((o) => o.ods_code),
    ["RVV02", "RVV03"],
  );
});

Deno.test("views: items come in their view's order", () => {
  deepEqual(buildView(VIEWS.organisations_limited, data).map((i) => i.code), [
    "RVV02",
    "RVV03",
    "RVV09",
    "RVV01",
  ]);
  deepEqual(buildView(VIEWS.paediatric_diabetes_units_extended, data).map((i) => i.item), [
    { pz_code: "PZ024" },
    { pz_code: "PZ500" },
  ]);
});
