import { deepEqual as assertEquals, ok as assert } from "node:assert/strict";
import { odsRecord } from "../fixtures.ts";
import type { AnyRecord } from "../../lib/model.ts";
import type { OdsRecord } from "../../lib/ods/record.ts";
import {
  emptyKnown,
  type Known,
  membersId,
  recordId,
  type SharedField,
  type Step,
  type Tombstone,
} from "../../lib/merge/plan.ts";
import { planCreate } from "../../lib/merge/plan_create.ts";
import { planDelete } from "../../lib/merge/plan_delete.ts";
import { baseRecords, org, reference } from "./helpers.ts";
import { keyOf } from "../../lib/model.ts";

const period = { start: "2020-01-01", end: null };

function site(code: string, trust: string, predecessors: string[] = []): OdsRecord {
  return odsRecord(code, {
    name: `${code} SITE`,
    lastChangeDate: "2025-05-01",
    recordClass: "RC2",
    primaryRole: "RO198",
    roles: [{ id: "RO198", primary: true, active: true, operational: period }],
    operational: period,
    relationships: [{
      id: "RE6",
      target: trust,
      targetRole: "RO197",
      active: true,
      operational: period,
      legal: { start: null, end: null },
    }],
    successions: predecessors.map((p) => ({
      type: "Predecessor" as const,
      target: p,
      targetRole: "RO198",
      date: "2025-04-01",
    })),
  });
}

/** A pretend store and ODS: what the planner can learn, absent unless listed. */
interface World {
  ods: OdsRecord[];
  tombstones?: Record<string, Tombstone>;
  members?: [SharedField, string, string[]][];
}

/** Answer a planner's needs from `world` (plus the base records) until it decides. */
function settle<P>(planner: (k: Known) => Step<P>, world: World): Step<P> {
  const records = new Map<string, AnyRecord>();
  for (const [kind, record] of baseRecords()) {
    records.set(recordId(kind, keyOf(kind, record as never)), record);
  }
  const k = emptyKnown();
  for (let round = 0; round < 20; round++) {
    const step = planner(k);
    if (step.status !== "need") return step;
    for (const need of step.needs) {
      if (need.type === "record") {
        const id = recordId(need.kind, need.code);
        k.records.set(id, records.get(id) ?? null);
      } else if (need.type === "tombstone") {
        const value = world.tombstones?.[need.code] ?? null;
        k.tombstones.set(need.code, { value, versionstamp: value ? "01" : null });
      } else if (need.type === "ods") {
        const record = world.ods.find((r) => r.code === need.code);
        k.ods.set(
          need.code,
          record ? { status: "ok", code: need.code, record } : {
            status: "not_found",
            code: need.code,
          },
        );
      } else {
        const found = world.members?.find(([f, v]) => f === need.field && v === need.value);
        k.members.set(membersId(need.field, need.value), found?.[2] ?? []);
      }
    }
  }
  throw new Error("planner did not settle");
}

const tomb = (code: string, pdu: string | null, network: string | null): Tombstone => ({
  record: org(code, { paediatric_diabetes_unit_code: pdu, openuk_network_code: network }),
  deleted_at: "2025-01-01T00:00:00Z",
  run_id: "merge-1",
});

Deno.test("plan: it first asks for the organisation, its tombstone and its ODS record", () => {
  const step = planCreate("RVV02", emptyKnown(), reference());
  assert(step.status === "need");
  assertEquals(step.needs, [
    { type: "record", kind: "organisation", code: "RVV02" },
    { type: "tombstone", code: "RVV02" },
    { type: "ods", code: "RVV02" },
  ]);
});

Deno.test("plan: PDU comes from the tombstone, then the site's row, then a predecessor, then the trust's row", () => {
  const ref = reference({ pdu: [{ ods_code: "RVV09", pz_code: "PZ101" }] });
  const ods = site("RVV09", "RVV", ["RZA01"]); // RZA01 is in PZ103
  const pick = (world: World) => {
    const step = settle((k) => planCreate("RVV09", k, ref), world);
    assert(step.status === "ready", JSON.stringify(step));
    return [step.plan.pdu.code, step.plan.pdu.source];
  };
  assertEquals(pick({ ods: [ods], tombstones: { RVV09: tomb("RVV09", "PZ100", null) } }), [
    "PZ100",
    "tombstone of RVV09 (deleted 2025-01-01)",
  ]);
  assertEquals(pick({ ods: [ods] }), ["PZ101", "reference data (RVV09)"]);
  const noRow = reference();
  const step = settle((k) => planCreate("RVV09", k, noRow), { ods: [ods] });
  assert(step.status === "ready");
  assertEquals(
    [step.plan.pdu.code, step.plan.pdu.source],
    ["PZ103", "predecessor RZA01 (ODS succession, in the store)"],
  );
  assertEquals(step.plan.pdu.alsoFound, [{ code: "PZ100", source: "reference data (trust RVV)" }]);
  const plain = settle((k) => planCreate("RVV09", k, noRow), { ods: [site("RVV09", "RVV")] });
  assert(plain.status === "ready");
  assertEquals([plain.plan.pdu.code, plain.plan.pdu.source], [
    "PZ100",
    "reference data (trust RVV)",
  ]);
});

Deno.test("plan: network comes from the tombstone, then the trust's row, then a predecessor", () => {
  const ods = site("RVV09", "RVV", ["RZA01"]);
  const withTomb = settle((k) => planCreate("RVV09", k, reference()), {
    ods: [ods],
    tombstones: { RVV09: tomb("RVV09", null, "EPEN") },
  });
  assert(withTomb.status === "ready");
  assertEquals(withTomb.plan.network.code, "EPEN");
  const fromTrust = settle((k) => planCreate("RVV09", k, reference()), { ods: [ods] });
  assert(fromTrust.status === "ready");
  assertEquals(fromTrust.plan.network.source, "reference data (trust RVV)");
  // A trust with no network row: the predecessor's network (RZA01 → SETPEG) carries over.
  const odsNew = site("RZB09", "RVV", ["RZA01"]);
  const ref = { ...reference(), openuk: [] };
  const fromPred = settle((k) => planCreate("RZB09", k, ref), { ods: [odsNew] });
  assert(fromPred.status === "ready");
  assertEquals([fromPred.plan.network.code, fromPred.plan.network.source], [
    "SETPEG",
    "predecessor RZA01 (ODS succession, in the store)",
  ]);
});

Deno.test("plan: a predecessor already deleted still carries its memberships from its tombstone", () => {
  const ods = site("RVV09", "RVV", ["RGONE"]);
  const step = settle((k) => planCreate("RVV09", k, { ...reference(), pdu: [] }), {
    ods: [ods],
    tombstones: { RGONE: tomb("RGONE", "PZ103", null) },
  });
  assert(step.status === "ready");
  assertEquals([step.plan.pdu.code, step.plan.pdu.source], [
    "PZ103",
    "predecessor RGONE (ODS succession, deleted)",
  ]);
});

Deno.test("plan: delete counts the organisations sharing each relation, excluding itself", () => {
  const step = settle((k) => planDelete("RVVKC", k), {
    ods: [],
    members: [
      ["paediatric_diabetes_unit_code", "PZ100", ["RVVKC"]],
      ["openuk_network_code", "SETPEG", ["RVVKC", "RZA01"]],
      ["trust_code", "RVV", ["RVVKC"]],
      ["integrated_care_board_code", "QXX", ["RVVKC"]],
      ["nhs_england_region_code", "Y99", ["RVVKC"]],
      ["country_code", "E92000001", ["RVVKC", "RZA01", "X"]],
    ],
  });
  assert(step.status === "ready", JSON.stringify(step));
  assertEquals(
    step.plan.relations.map((r) => [r.label, r.code, r.name, r.others]),
    [
      ["PDU", "PZ100", "network PN05", 0],
      ["OPEN UK network", "SETPEG", "SETPEG network", 1],
      ["Trust", "RVV", "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST", 0],
      ["Local health board", null, null, null],
      ["ICB", "QXX", "(not in the store)", 0],
      ["NHS England region", "Y99", "(not in the store)", 0],
      ["Country", "E92000001", "England", 2],
      ["London borough", null, null, null],
    ],
  );
  assertEquals(step.plan.warnings.length, 1);
  assert(step.plan.warnings[0].includes("leaves the PDU with no organisation"));
});

Deno.test("plan: a code whose parent trust is not in ODS fails naming the trust", () => {
  const step = settle((k) => planCreate("RQQ01", k, reference()), { ods: [site("RQQ01", "RQQ")] });
  assertEquals(step, {
    status: "fail",
    reason: "trust RQQ is not in the store and RQQ is not in ODS",
  });
});
