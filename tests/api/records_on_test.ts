/**
 * The records as they were on a date, from real captured ODS records (testdata/ods/) stored as a
 * sync stores them, and the real seed for records without dated facts.
 */
import { equal } from "node:assert/strict";
import type { Entities, Kind } from "../../lib/model.ts";
import { toTrust } from "../../lib/ods/entities.ts";
import { parseOrdOrganisation } from "../../lib/ods/ord.ts";
import type { RecordLists } from "../../lib/api/dataset.ts";
import { recordsOn } from "../../lib/api/records_on.ts";
import { loadSeedFile } from "../../lib/seed.ts";

const seed = loadSeedFile();
const SEEDED_AT = "2024-10-01T00:00:00.000Z";
/** The seed's records as seeding stores them. */
const seeded = Object.fromEntries(
  Object.entries(seed.records).map(([kind, list]) => [
    kind,
    list.map((r) => ({ ...r, updated_at: SEEDED_AT })),
  ]),
) as unknown as RecordLists;

function rwr(): Entities["trust"] {
  const body = JSON.parse(
    Deno.readTextFileSync(new URL("../../testdata/ods/RWR.json", import.meta.url)),
  );
  const parsed = parseOrdOrganisation(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  const stored = seeded.trust.find((t) => t.ods_code === "RWR")!;
  return toTrust(parsed.record, stored);
}

/** The seed's records, with RWR as a sync of the real record leaves it. */
function lists(): RecordLists {
  const out = { ...seeded } as Record<Kind, readonly Entities[Kind][]>;
  out.trust = [...seeded.trust.filter((t) => t.ods_code !== "RWR"), rwr()];
  return out as RecordLists;
}

const trustOn = (date: string, code: string) =>
  recordsOn(lists(), date).trust.find((t) => t.ods_code === code);

// RWR's RE5 is Q79 (an NHS England local office, RO210) on 2019-06-01 and QM7 (RO261) from
// 2020-04-01: only RO261 targets are ICBs.
Deno.test("RWR: no ICB on 2019-06-01, when its geography parent was Q79 (RO210)", () => {
  equal(trustOn("2019-06-01", "RWR")?.integrated_care_board_code, null);
});

Deno.test("RWR: ICB QM7 on 2020-06-01", () => {
  equal(trustOn("2020-06-01", "RWR")?.integrated_care_board_code, "QM7");
});

Deno.test("RWR: not yet opened before its operational start (2001-04-01)", () => {
  equal(trustOn("2001-03-31", "RWR"), undefined);
});

Deno.test("a seeded trust without dated facts keeps its stored ICB on any date", () => {
  const stored = seed.records.trust.find((t) => t.ods_code === "RVV")!;
  equal(
    trustOn("2005-01-01", "RVV")?.integrated_care_board_code,
    stored.integrated_care_board_code,
  );
});

Deno.test("a seeded site without dated facts keeps its stored parents on any date", () => {
  const stored = seed.records.organisation.find((o) => o.ods_code === "RVVKC")!;
  const then = recordsOn(lists(), "2005-01-01").organisation.find((o) => o.ods_code === "RVVKC");
  equal(then?.trust_code, stored.trust_code);
  equal(then?.integrated_care_board_code, stored.integrated_care_board_code);
  equal(then?.nhs_england_region_code, stored.nhs_england_region_code);
});
