/**
 * `deno bench bench/hot_bench.ts`: the hot pure functions — ODS record parsing (ORD and FHIR),
 * mapping to entities, field diffs, and API serialization (views and JSON) — on realistic data:
 * the project's seed and simulator-built ODS records.
 *
 * @module
 */
import { buildDataset, type RecordLists } from "../lib/api/dataset.ts";
import { Snapshot } from "../lib/api/snapshot.ts";
import { buildView, VIEWS } from "../lib/api/views.ts";
import { diffRecords } from "../lib/diff.ts";
import type { Entities, Kind } from "../lib/model.ts";
import { toEntity } from "../lib/ods/entities.ts";
import { parseFhirOrganization } from "../lib/ods/fhir.ts";
import { parseOrdOrganisation, parseOrdSync } from "../lib/ods/ord.ts";
import { toAffiliation, toOrganization } from "../testing/ods_sim/fhir_resources.ts";
import { seededRecords } from "../testing/ods_sim/seeded.ts";
import { loadSeedFile } from "../lib/seed.ts";

const seed = loadSeedFile();
const lists = seed.records as unknown as RecordLists;
const ord = seededRecords(seed, "2024-06-03");
const site = ord.find((r) => r.OrgId.extension === "RGT01")!;
const siteBody = { Organisation: site };
const loadedAt = "2026-11-24T03:00:00+00:00";
const fhirOrg = toOrganization(site, loadedAt);
const fhirAffiliations = (site.Rels?.Rel ?? []).map((rel) => toAffiliation("RGT01", rel, loadedAt));
const syncBody = {
  Organisations: Array.from({ length: 5000 }, (_, i) => ({
    OrgLink: `https://directory.spineservices.nhs.uk/ORD/2-0-0/organisations/A${10000 + i}`,
  })),
};
const parsed = parseOrdOrganisation(siteBody);
if (!parsed.ok) throw new Error(parsed.reason);
const record = parsed.record;
const stored = seed.records.organisation.find((o) =>
  o.ods_code === "RGT01"
)! as Entities["organisation"];
const parents = {
  trust: (code: string) => seed.records.trust.find((t) => t.ods_code === code) ?? null,
  icb: (code: string) =>
    seed.records.integrated_care_board.find((i) => i.ods_code === code) ?? null,
};
const renamed = { ...stored, name: "RENAMED HOSPITAL", city: "ELSEWHERE" };
const dataset = buildDataset(lists);
const orgView = buildView(VIEWS.organisations, dataset);

Deno.bench("parseOrdOrganisation (one site record)", { group: "parse" }, () => {
  parseOrdOrganisation(siteBody);
});

Deno.bench("parseFhirOrganization (one site + affiliations)", { group: "parse" }, () => {
  parseFhirOrganization(fhirOrg, fhirAffiliations, { targetRole: () => "RO197" });
});

Deno.bench("parseOrdSync (5,000 OrgLinks)", { group: "parse" }, () => {
  parseOrdSync(syncBody);
});

Deno.bench("toEntity (ODS record → organisation)", { group: "map" }, () => {
  toEntity("organisation", record, stored, parents);
});

Deno.bench("diffRecords (organisation, 2 fields changed)", { group: "diff" }, () => {
  diffRecords(stored, renamed);
});

Deno.bench("diffRecords (organisation, unchanged)", { group: "diff" }, () => {
  diffRecords(stored, { ...stored });
});

Deno.bench("buildDataset (whole seed)", { group: "serialize" }, () => {
  buildDataset(lists);
});

Deno.bench("buildView organisations (339 nested items)", { group: "serialize" }, () => {
  buildView(VIEWS.organisations, dataset);
});

Deno.bench("JSON.stringify organisations list", { group: "serialize" }, () => {
  JSON.stringify(orgView.map((i) => i.item));
});

Deno.bench("Snapshot view build: organisations (items, JSON, ETags)", {
  group: "serialize",
}, () => {
  new Snapshot("0000000000000001", dataset).view("organisations");
});

/** Keep the kinds referenced so a seed-shape change fails type checking here. */
export const KINDS_USED: readonly Kind[] = ["organisation", "trust", "integrated_care_board"];
