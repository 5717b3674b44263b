/**
 * GP practice records read through both sources from the simulator and mapped onto the stored
 * entity (`lib/ods/practice.ts`): commissioner → ICB → region as ODS relates them, Welsh
 * practices, closed practices, parity of the sources; and the ORD practice search's paging.
 * Expected values come from the simulator's published records.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { OdsConfig } from "../../lib/config.ts";
import { regionOf } from "../../lib/ods/entities.ts";
import { parseOrdSearchPage } from "../../lib/ods/ord_search.ts";
import {
  gpKindOf,
  type GpLookups,
  toGeneralPractice,
  toSubIcbLocation,
} from "../../lib/ods/practice.ts";
import type { OdsRecord } from "../../lib/ods/record.ts";
import { createOdsSource, OdsError, type OdsSource } from "../../lib/ods/source.ts";
import type { OrdOrganisation } from "../../testing/ods_sim/ord_types.ts";
import { type OdsSimulator, startOdsSimulator } from "../../testing/ods_sim/server.ts";

const NOW = "2025-06-10T09:00:00Z";
const TODAY = "2025-06-10";

function config(sim: OdsSimulator, source: "ord" | "fhir", baseUrl?: string): OdsConfig {
  return {
    source,
    ordBaseUrl: baseUrl ?? sim.ordBaseUrl,
    odtBaseUrl: sim.fhirBaseUrl,
    odtApiKey: null,
    rateLimit: 1000,
    concurrency: 4,
    timeoutMs: 2000,
    retries: 1,
    pageSize: 1000,
    userAgent: "practice-test/1.0",
  };
}

/** The simulator's published record of `code` and the target of its active `id`. */
function simTarget(sim: OdsSimulator, code: string, id: string): string | null {
  return sim.dataset.get(code)?.Rels?.Rel.find((r) => r.id === id && r.Status === "Active")
    ?.Target.OrgId.extension ?? null;
}

async function read(source: OdsSource, code: string): Promise<OdsRecord> {
  const o = await source.fetchOne(code);
  if (o.status !== "ok") throw new Error(`${code}: ${JSON.stringify(o)}`);
  return o.record;
}

/** Lookups for `practice` built by reading its commissioner and that one's ICB from ODS. */
async function lookupsFor(source: OdsSource, sim: OdsSimulator, practice: string) {
  const commissioner = simTarget(sim, practice, "RE4")!;
  const location = await read(source, commissioner);
  const icbCode = simTarget(sim, commissioner, "RE5");
  const icb = icbCode ? await read(source, icbCode) : null;
  const icbs: Pick<GpLookups, "icb"> = {
    icb: (code) =>
      code === icbCode && icb ? { nhs_england_region_code: regionOf(icb, TODAY) } : null,
  };
  const sub = gpKindOf(location) === "sub_icb_location"
    ? toSubIcbLocation(location, null, icbs, TODAY)
    : null;
  const lookups: GpLookups = {
    ...icbs,
    subIcb: (code) => code === commissioner ? sub : null,
    isBoard: (code) => code === commissioner && sub === null,
  };
  return lookups;
}

const sim = await startOdsSimulator({
  now: NOW,
  national: { untracked: 0, tracked: {}, gpPractices: 200, seed: 5 },
});
const practices = [...sim.dataset.records()].filter((o) =>
  o.Roles.Role.some((r) => r.id === "RO76")
);
const withPcn = practices.find((o) =>
  o.Status === "Active" && o.GeoLoc?.Location.County && simTarget(sim, o.OrgId.extension, "RE8")
)!;

function expectedOf(o: OrdOrganisation) {
  const code = o.OrgId.extension;
  const commissioner = simTarget(sim, code, "RE4");
  const icb = commissioner ? simTarget(sim, commissioner, "RE5") : null;
  return {
    ods_code: code,
    name: o.Name,
    town: o.GeoLoc!.Location.Town ?? null,
    postcode: o.GeoLoc!.Location.PostCode ?? null,
    telephone: o.Contacts?.Contact.find((c) => c.type === "tel")?.value ?? null,
    active: o.Status === "Active",
    commissioner_code: commissioner,
    integrated_care_board_code: icb,
    nhs_england_region_code: icb ? simTarget(sim, icb, "RE5") : null,
    primary_care_network_code: simTarget(sim, code, "RE8"),
  };
}

function picked(gp: Record<string, unknown>, like: object) {
  return Object.fromEntries(Object.keys(like).map((k) => [k, gp[k]]));
}

for (const kind of ["ord", "fhir"] as const) {
  Deno.test(`${kind}: a GP practice record maps to its commissioner, ICB, region and PCN`, async () => {
    const source = createOdsSource(config(sim, kind));
    const code = withPcn.OrgId.extension;
    const record = await read(source, code);
    equal(gpKindOf(record), "general_practice");
    const gp = toGeneralPractice(record, null, await lookupsFor(source, sim, code), TODAY);
    const expected = expectedOf(withPcn);
    ok(expected.integrated_care_board_code && expected.nhs_england_region_code);
    deepEqual(picked(gp as never, expected), expected);
  });
}

Deno.test("both sources give the same practice, but for the county FHIR can't carry", async () => {
  const code = withPcn.OrgId.extension;
  const [ord, fhir] = await Promise.all((["ord", "fhir"] as const).map(async (kind) => {
    const source = createOdsSource(config(sim, kind));
    return toGeneralPractice(await read(source, code), null, await lookupsFor(source, sim, code));
  }));
  equal(ord.county, withPcn.GeoLoc!.Location.County);
  equal(fhir.county, null);
  deepEqual({ ...fhir, county: ord.county }, ord);
});

Deno.test("ODS's deletion mark stays on a record ODS sends again unchanged since, not on a newer one", async () => {
  const source = createOdsSource(config(sim, "ord"));
  const code = withPcn.OrgId.extension;
  const record = await read(source, code);
  const lookups = await lookupsFor(source, sim, code);
  const first = toGeneralPractice(record, null, lookups, TODAY);
  const lcd = record.lastChangeDate!;
  const marked = { ...first, ods_deleted: lcd };
  equal(toGeneralPractice(record, marked, lookups, TODAY).ods_deleted, lcd, "same day");
  const newer = { ...record, lastChangeDate: "2099-01-01" };
  equal(toGeneralPractice(newer, marked, lookups, TODAY).ods_deleted, undefined, "in use again");
});

Deno.test("a Welsh practice is commissioned by its health board: no ICB, no region", async () => {
  const welsh = practices.find((o) =>
    o.Status === "Active" && o.GeoLoc?.Location.Country === "WALES"
  )!;
  const source = createOdsSource(config(sim, "ord"));
  const code = welsh.OrgId.extension;
  const gp = toGeneralPractice(await read(source, code), null, await lookupsFor(source, sim, code));
  const board = simTarget(sim, code, "RE4");
  deepEqual(
    [gp.commissioner_code, gp.local_health_board_code, gp.integrated_care_board_code],
    [board, board, null],
  );
  equal(gp.nhs_england_region_code, null);
});

Deno.test("a closed practice keeps the commissioner and ICB of its last day", async () => {
  const closed = practices.find((o) =>
    o.Status === "Inactive" && o.GeoLoc?.Location.Country === "ENGLAND"
  )!;
  const code = closed.OrgId.extension;
  const end = closed.Date.find((d) => d.Type === "Operational")!.End!;
  const last = closed.Rels!.Rel.find((r) => r.id === "RE4" && r.Date[0].End === end)!;
  const location = last.Target.OrgId.extension;
  const source = createOdsSource(config(sim, "ord"));
  const record = await read(source, code);
  const icbCode = simTarget(sim, location, "RE5");
  const gp = toGeneralPractice(record, null, {
    subIcb: (c) =>
      c === location
        ? { integrated_care_board_code: icbCode, nhs_england_region_code: null }
        : null,
    isBoard: () => false,
  }, TODAY);
  deepEqual([gp.active, gp.operational_end], [false, end]);
  deepEqual([gp.commissioner_code, gp.integrated_care_board_code], [location, icbCode]);
});

Deno.test("ord: the practice search pages through Next-Page and fetches every record", async () => {
  const big = await startOdsSimulator({
    now: NOW,
    national: { untracked: 0, tracked: {}, gpPractices: 1100, seed: 7 },
  });
  try {
    const expected = [...big.dataset.records()].filter((o) =>
      o.Roles.Role.some((r) => r.id === "RO76") || o.Roles.Role[0].id === "RO98"
    ).map((o) => o.OrgId.extension).sort();
    const from = big.requests.length;
    const changes = await createOdsSource(config(big, "ord")).gpPractices!(null);
    deepEqual(changes.outcomes.map((o) => o.code).sort(), expected);
    const searches = big.requests.slice(from).filter((r) => r.query.includes("Roles="));
    equal(searches.length, Math.ceil(expected.length / 1000));
    equal(new URLSearchParams(searches[0].query).get("Offset"), null, "no Offset=0 (a 406)");
    equal(new URLSearchParams(searches[1].query).get("Offset"), "1000");
  } finally {
    await big.close();
  }
});

Deno.test("ord: a search whose pages come short of X-Total-Count is an error", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    () =>
      Response.json({ Organisations: [{ OrgId: "G81086" }, { OrgId: "Y01234" }] }, {
        headers: { "X-Total-Count": "3" },
      }),
  );
  try {
    const { port } = server.addr as Deno.NetAddr;
    const source = createOdsSource(config(sim, "ord", `http://127.0.0.1:${port}/ORD/2-0-0`));
    await rejects(
      source.gpPractices!(null),
      (e) => e instanceof OdsError && e.kind === "bad_response" && /X-Total-Count/.test(e.message),
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("a search page without a code or an X-Total-Count is refused", () => {
  const headers = new Headers({ "X-Total-Count": "1" });
  equal(parseOrdSearchPage({ Organisations: [{ Name: "NO CODE" }] }, headers).ok, false);
  equal(parseOrdSearchPage({ Organisations: [] }, new Headers()).ok, false);
  deepEqual(parseOrdSearchPage({}, new Headers({ "X-Total-Count": "0" })), {
    ok: true,
    page: { codes: [], total: 0, next: null },
  });
});

globalThis.addEventListener("unload", () => sim.close());
