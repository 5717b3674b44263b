/**
 * What is in force on a date, checked against real captured ORD records (testdata/ods/): their
 * relationship dates, and the Status ODS gave each element on the day it last changed the record.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  activeOn,
  dateProblem,
  governing,
  inForce,
  parentOn,
  scheduledMoves,
} from "../../lib/ods/dated.ts";
import { parseOrdOrganisation } from "../../lib/ods/ord.ts";
import type { OdsRecord } from "../../lib/ods/record.ts";

function captured(file: string): { record: OdsRecord; statuses: string[] } {
  const body = JSON.parse(
    Deno.readTextFileSync(new URL(`../../testdata/ods/${file}`, import.meta.url)),
  );
  const parsed = parseOrdOrganisation(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  const rels = (body.Organisation.Rels?.Rel ?? []) as { Status: string }[];
  return { record: parsed.record, statuses: rels.map((r) => r.Status) };
}

const RWR = captured("RWR.json");
const RVVKC = captured("RVVKC.json");
const RJY = captured("RJY.json");

Deno.test("RWR: its ICB is QM7 from the RE5's start on 2020-04-01, none before", () => {
  equal(parentOn(RWR.record, "RE5", ["RO261"], "2020-03-31").target, null);
  equal(parentOn(RWR.record, "RE5", ["RO261"], "2020-04-01").target, "QM7");
});

Deno.test("RWR: an ODS end date is the last day in force", () => {
  // RE5 → Q79 (NHS England local office, RO210) ends 2020-03-31.
  equal(parentOn(RWR.record, "RE5", ["RO210"], "2020-03-31").target, "Q79");
  equal(parentOn(RWR.record, "RE5", ["RO210"], "2020-04-01").target, null);
});

Deno.test("on the day ODS last changed a record, what is in force is what ODS marked Active", () => {
  for (const { record, statuses } of [RWR, RVVKC]) {
    const inForceThen = record.relationships.map((r) =>
      inForce(governing(r), record.lastChangeDate) ? "Active" : "Inactive"
    );
    deepEqual(inForceThen, statuses, record.code);
  }
});

Deno.test("RJY: active until its operational end (2001-03-31), inactive after, as ODS says", () => {
  equal(activeOn(RJY.record, "2001-03-31"), true);
  equal(activeOn(RJY.record, "2001-04-01"), false);
  equal(activeOn(RJY.record, RJY.record.lastChangeDate), RJY.record.active);
});

Deno.test("the real records' dates do not contradict each other", () => {
  for (const { record } of [RWR, RVVKC, RJY]) equal(dateProblem(record), null, record.code);
});

Deno.test("a relationship with only legal dates is governed by them", () => {
  const rel = {
    id: "RE6",
    target: "RBK",
    targetRole: "RO197",
    active: true,
    operational: { start: null, end: null },
    legal: { start: "2027-04-01", end: null },
  };
  deepEqual(governing(rel), { start: "2027-04-01", end: null });
});

Deno.test("a parent relationship with no start date is a contradiction", () => {
  const site = {
    ...RVVKC.record,
    relationships: [{
      ...RVVKC.record.relationships[0],
      operational: { start: null, end: null },
      legal: { start: null, end: null },
    }],
  };
  equal(dateProblem(site), "relationship RE6 to RVV has no start date");
});

Deno.test("a record that ends before it starts is a contradiction", () => {
  const record = { ...RJY.record, operational: { start: "2001-04-01", end: "1993-03-31" } };
  ok(dateProblem(record)?.startsWith("operational dates end (1993-03-31)"));
});

Deno.test("a move published in advance and marked Active is not in force before its date", () => {
  // The example: a trust moving ICB on 2027-04-01, both relationships Active.
  const re5 = (target: string, start: string, end: string | null) => ({
    id: "RE5",
    target,
    targetRole: "RO261",
    active: true,
    operational: { start, end },
    legal: { start: null, end: null },
  });
  const trust = {
    ...RWR.record,
    relationships: [re5("QM7", "2020-04-01", "2027-03-31"), re5("QUE", "2027-04-01", null)],
  };
  equal(parentOn(trust, "RE5", ["RO261"], "2026-11-25").target, "QM7");
  deepEqual(scheduledMoves(trust, "RE5", ["RO261"], "2026-11-25"), [
    { date: "2027-04-01", from: "QM7", to: "QUE" },
  ]);
});

Deno.test("two relationships of one kind in force together resolve to the one that started last", () => {
  const re6 = (target: string, start: string) => ({
    ...RVVKC.record.relationships[0],
    target,
    operational: { start, end: null },
  });
  const site = { relationships: [re6("RVV", "1999-04-01"), re6("RGT", "2026-10-01")] };
  deepEqual(parentOn(site, "RE6", ["RO197"], "2026-11-25"), {
    target: "RGT",
    overlapping: ["RGT", "RVV"],
  });
});
