import { deepEqual, equal } from "node:assert/strict";
import { odsAddress, odsRecord } from "../fixtures.ts";
import type { OdsRecord } from "../../lib/ods/record.ts";
import type { FetchOutcome } from "../../lib/ods/source.ts";
import { classifyFetches, parentsWanted, recordsFrom } from "../../lib/sync/fetched.ts";
import type { CurrentState, QuarantineEntry } from "../../lib/sync/plan.ts";

/** A record whose only relationship is `rel` → `target` (a parent of role `targetRole`). */
function record(code: string, primaryRole: string, rel?: [string, string, string]): OdsRecord {
  return odsRecord(code, {
    recordClass: primaryRole === "RO198" ? "RC2" : "RC1",
    primaryRole,
    address: odsAddress({ country: "ENGLAND" }),
    relationships: rel
      ? [{
        id: rel[0],
        target: rel[1],
        targetRole: rel[2],
        active: true,
        operational: { start: "2020-04-01", end: null },
        legal: { start: null, end: null },
      }]
      : [],
  });
}

const site = (code: string, trust: string) => record(code, "RO198", ["RE6", trust, "RO197"]);
const trust = (code: string, icb: string) => record(code, "RO197", ["RE5", icb, "RO261"]);

/** A store holding the trusts `trusts` and nothing else. */
function holding(trusts: string[]): CurrentState {
  return {
    organisation: new Map(),
    trust: new Map(trusts.map((c) => [c, { ods_code: c }])),
    local_health_board: new Map(),
    integrated_care_board: new Map(),
    nhs_england_region: new Map(),
  } as unknown as CurrentState;
}

const quarantine = (code: string, reason: string): QuarantineEntry => ({
  code,
  reason,
  first_seen_at: "t",
  last_seen_at: "t",
  attempts: 1,
  run_id: "r1",
});

const ok = (r: OdsRecord): FetchOutcome => ({ status: "ok", code: r.code, record: r });

/** The run's UK date. */
const ON = "2026-11-25";

// Bug caught: a new trust a site moved to never fetched, so the site points at nothing.
Deno.test("a parent neither stored nor fetched is wanted, with the kind to create", () => {
  const records = recordsFrom([ok(site("RAA01", "RNEW"))], new Map([["RAA01", ["organisation"]]]));
  deepEqual([...parentsWanted(records, holding(["ROLD"]), ON)], [["RNEW", "trust"]]);
});

// Bug caught: parents fetched again on every run although the store holds them.
Deno.test("a stored parent is not wanted", () => {
  const records = recordsFrom([ok(site("RAA01", "ROLD"))], new Map([["RAA01", ["organisation"]]]));
  equal(parentsWanted(records, holding(["ROLD"]), ON).size, 0);
});

// Bug caught: a parent fetched in this run fetched again one level up.
Deno.test("a parent fetched in this run is not wanted again", () => {
  const held = new Map<string, ("organisation" | "trust")[]>([
    ["RAA01", ["organisation"]],
    ["RNEW", ["trust"]],
  ]);
  const records = recordsFrom([ok(site("RAA01", "RNEW")), ok(trust("RNEW", "QXX"))], held);
  deepEqual([...parentsWanted(records, holding([]), ON)], [["QXX", "integrated_care_board"]]);
});

// Bug caught: one error among many outcomes lost, so the run "succeeded" and moved the cursor.
Deno.test("errors, not-found codes and invalid records are each reported", () => {
  const outcomes: FetchOutcome[] = [
    { status: "error", code: "RGT", reason: "HTTP 503 after 5 attempts" },
    { status: "not_found", code: "RGT99" },
    { status: "invalid", code: "RGT01", reason: "2 primary roles" },
  ];
  const c = classifyFetches(outcomes, new Map(), holding([]), quarantine, ON);
  deepEqual(c.errors, ["RGT: HTTP 503 after 5 attempts"]);
  deepEqual(c.notFound, ["RGT99"]);
  deepEqual(c.quarantine.map((q) => [q.code, q.reason]), [["RGT01", "2 primary roles"]]);
});

// Bug caught: a site applied with a trust code the store doesn't have (half-applied change).
Deno.test("a record whose parent is not in ODS is quarantined and not applied", () => {
  const records = recordsFrom([ok(site("RAA01", "RGONE"))], new Map([["RAA01", ["organisation"]]]));
  const c = classifyFetches([], records, holding([]), quarantine, ON);
  deepEqual(c.quarantine.map((q) => [q.code, q.reason]), [
    ["RAA01", "parent trust RGONE is not in ODS"],
  ]);
  equal(c.records.size, 0);
  equal(records.size, 1, "the input is left as it was");
});
