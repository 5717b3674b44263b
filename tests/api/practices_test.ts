/**
 * The GP practice routes over a store synced from the simulator (300 generated practices, and
 * three added at CB2 0QQ): the NPDA audit's two look-ups, the filters, ETags and `304`,
 * `?fields=`, gzip, `?as_of=`, the OpenAPI document, and `SYNC_GP_PRACTICES=false`. Expected
 * values come from the simulator's published records and its ORD answers.
 */
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { createApp } from "../../api.ts";
import { addDays } from "../../lib/dates.ts";
import { runSync } from "../../lib/sync/run.ts";
import { buildGpPractice } from "../../testing/ods_sim/kinds.ts";
import type { OrdOrganisation } from "../../testing/ods_sim/ord_types.ts";
import type { OdsSimulator } from "../../testing/ods_sim/server.ts";
import { at, syncWorld } from "../sync/helpers.ts";
import { appFor, getJson } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";
type Item = Record<string, unknown>;

/** Three practices at CB2 0QQ: two open (the later code first in the dataset), one closed. */
function addCb2Practices(sim: OdsSimulator, commissioner: string): void {
  const at = (code: string, end?: string) => {
    const gp = buildGpPractice({
      code,
      name: `SURGERY ${code}`,
      lastChangeDate: "2026-11-20",
      start: "1999-04-01",
      address: { AddrLn1: "1 HILLS ROAD", Town: "CAMBRIDGE", PostCode: "CB2 0QQ" },
      commissioner,
      commissionerSince: "2013-04-01",
    });
    if (end) {
      gp.Status = "Inactive";
      gp.Date[0].End = end;
      gp.Rels!.Rel[0].Date[0].End = end;
      gp.Rels!.Rel[0].Status = "Inactive";
    }
    sim.dataset.addRecord(gp);
  };
  at("Y99020");
  at("Y99010");
  at("C99001", "2020-03-31");
  sim.publish("2026-11-24");
}

function practicesOf(sim: OdsSimulator): OrdOrganisation[] {
  return [...sim.dataset.records()].filter((o) => o.Roles.Role.some((r) => r.id === "RO76"));
}

function activeTarget(sim: OdsSimulator, code: string, id: string): string | undefined {
  return sim.dataset.get(code)?.Rels?.Rel.find((r) => r.id === id && r.Status === "Active")
    ?.Target.OrgId.extension;
}

const w = await syncWorld(TUESDAY, { gpPractices: 300 });
const firstLocation = [...w.sim.dataset.records()].find((o) => o.Roles.Role[0].id === "RO98")!;
addCb2Practices(w.sim, firstLocation.OrgId.extension);
await runSync({ store: w.store, source: w.source("ord"), now: at(TUESDAY), gpPractices: true });
const app = appFor(w.store);
globalThis.addEventListener("unload", () => w.close());

Deno.test("the audit's postcode look-up answers ORD's first active practice, any case or spacing", async () => {
  const ord = await fetch(
    `${w.sim.ordBaseUrl}/organisations/?PostCode=CB20QQ&Status=Active&PrimaryRoleId=RO177`,
  );
  const expected = (await ord.json()).Organisations[0].OrgId;
  for (const postcode of ["CB2 0QQ", "cb20qq", " cb2  0QQ "]) {
    const q = new URLSearchParams({ postcode, active: "true" });
    const { status, body } = await getJson(app, `/general_practices/?${q}`);
    equal(status, 200);
    equal((body as Item[])[0].ods_code, expected, postcode);
    deepEqual((body as Item[]).map((p) => p.ods_code), ["Y99010", "Y99020"]);
  }
});

Deno.test("the audit's code look-up: a practice (any case), and 404 for a code that is not one", async () => {
  const code = practicesOf(w.sim)[0].OrgId.extension;
  const { status, body } = await getJson(app, `/general_practices/${code.toLowerCase()}/`);
  equal(status, 200);
  equal((body as Item).ods_code, code);
  equal((await fetch(`${w.sim.ordBaseUrl}/organisations/RGT01`)).status, 200, "ORD has RGT01");
  const site = await getJson(app, "/general_practices/RGT01/");
  equal(site.status, 404);
  deepEqual(
    [(site.body as Item).detail, (site.body as Item).ods_code],
    ["Not found.", "RGT01"],
  );
  equal((await getJson(app, "/general_practices/RGT-01/")).status, 400);
});

Deno.test("a practice answers its commissioner, ICB and region as ODS relates them", async () => {
  const gp = practicesOf(w.sim).find((o) =>
    o.Status === "Active" && o.GeoLoc?.Location.Country === "ENGLAND"
  )!;
  const code = gp.OrgId.extension;
  const { body } = await getJson(app, `/general_practices/${code}/`);
  const commissioner = activeTarget(w.sim, code, "RE4")!;
  const icb = activeTarget(w.sim, commissioner, "RE5")!;
  deepEqual(
    [
      (body as Item).commissioner_code,
      (body as Item).integrated_care_board_code,
      (body as Item).nhs_england_region_code,
      (body as Item).primary_care_network_code,
    ],
    [commissioner, icb, activeTarget(w.sim, icb, "RE5"), activeTarget(w.sim, code, "RE8") ?? null],
  );
});

Deno.test("the list filters by ICB, activity and part of the name", async () => {
  const all = practicesOf(w.sim);
  const sample = all.find((o) =>
    o.Status === "Active" && o.GeoLoc?.Location.Country === "ENGLAND"
  )!;
  const icb = activeTarget(w.sim, activeTarget(w.sim, sample.OrgId.extension, "RE4")!, "RE5")!;
  const expected = all.filter((o) =>
    o.Status === "Active" &&
    activeTarget(w.sim, activeTarget(w.sim, o.OrgId.extension, "RE4") ?? "", "RE5") === icb
  ).map((o) => o.OrgId.extension);
  const q = `integrated_care_board=${icb.toLowerCase()}&active=True`;
  const byIcb = await getJson(app, `/general_practices/?${q}`);
  deepEqual((byIcb.body as Item[]).map((p) => p.ods_code), expected);
  const word = sample.Name.split(" ").at(-1)!.toLowerCase();
  const named = await getJson(app, `/general_practices/?name=${encodeURIComponent(word)}`);
  const names = all.filter((o) => o.Name.toLowerCase().includes(word)).map((o) =>
    o.OrgId.extension
  );
  deepEqual((named.body as Item[]).map((p) => p.ods_code), names);
  equal((await getJson(app, "/general_practices/?active=maybe")).status, 400);
});

Deno.test("ETag and 304 on the list, a filtered list and a practice; X-Data-Version is the GP version", async () => {
  const version = await w.store.gpVersion();
  const etags = new Set<string>();
  for (
    const path of [
      "/general_practices/",
      "/general_practices/?postcode=CB20QQ",
      "/general_practices/Y99010/",
    ]
  ) {
    const first = await app.request(path);
    await first.body?.cancel();
    equal(first.status, 200);
    equal(first.headers.get("x-data-version"), version);
    const etag = first.headers.get("etag")!;
    ok(etag.startsWith('"') && !etags.has(etag), path);
    etags.add(etag);
    const again = await app.request(path, { headers: { "If-None-Match": etag } });
    equal(again.status, 304, path);
    equal(await again.text(), "");
  }
});

Deno.test("fields keeps the fields asked for, in their order; an unknown one is a 400", async () => {
  const { body } = await getJson(app, "/general_practices/?postcode=CB2 0QQ&fields=name,ods_code");
  deepEqual(body, [
    { ods_code: "C99001", name: "SURGERY C99001" },
    { ods_code: "Y99010", name: "SURGERY Y99010" },
    { ods_code: "Y99020", name: "SURGERY Y99020" },
  ]);
  const one = await getJson(app, "/general_practices/Y99010/?fields=active");
  deepEqual(one.body, { active: true });
  const bad = await getJson(app, "/general_practices/?fields=ods_code,website");
  equal(bad.status, 400);
  deepEqual((bad.body as Item).unknown, ["website"]);
});

Deno.test("the whole list is sent gzip-compressed to clients that take it, with its own ETag", async () => {
  const plain = await app.request("/general_practices/");
  const identity = await plain.text();
  equal(JSON.parse(identity).length, practicesOf(w.sim).length);
  equal(plain.headers.get("vary"), "Accept-Encoding");
  const zipped = await app.request("/general_practices/", {
    headers: { "Accept-Encoding": "gzip" },
  });
  equal(zipped.headers.get("content-encoding"), "gzip");
  const bytes = new Uint8Array(await zipped.arrayBuffer());
  equal(new TextDecoder().decode(gunzipSync(bytes)), identity);
  notEqual(zipped.headers.get("etag"), plain.headers.get("etag"));
});

Deno.test("as_of: a closed practice was open before its end; one not opened yet is left out", async () => {
  const closed = await getJson(app, "/general_practices/C99001/?as_of=2020-03-31");
  equal(closed.headers.get("x-as-of"), "2020-03-31");
  deepEqual([(closed.body as Item).active, (closed.body as Item).commissioner_code], [
    true,
    firstLocation.OrgId.extension,
  ]);
  equal(((await getJson(app, "/general_practices/C99001/")).body as Item).active, false);
  const open = await getJson(
    app,
    "/general_practices/?postcode=CB20QQ&active=true&as_of=2020-03-31",
  );
  deepEqual((open.body as Item[]).map((p) => p.ods_code), ["C99001", "Y99010", "Y99020"]);
  const later = await getJson(
    app,
    "/general_practices/?postcode=CB20QQ&active=true&as_of=2020-04-01",
  );
  deepEqual((later.body as Item[]).map((p) => p.ods_code), ["Y99010", "Y99020"]);
  const whole = await getJson(app, "/general_practices/?as_of=2020-03-31&active=true");
  ok((whole.body as Item[]).some((p) => p.ods_code === "C99001"), "the whole date agrees");
  const late = practicesOf(w.sim).find((o) => o.Date[0].Start > "2005-01-01")!;
  const code = late.OrgId.extension;
  const before = addDays(late.Date[0].Start, -1);
  const missing = await getJson(app, `/general_practices/${code}/?as_of=${before}`);
  equal(missing.status, 404);
  ok(String((missing.body as Item).explanation).includes("not opened"));
  const list = await getJson(app, `/general_practices/?as_of=${before}&fields=ods_code`);
  ok(!(list.body as Item[]).some((p) => p.ods_code === code));
  ok((await getJson(app, `/general_practices/?as_of=${late.Date[0].Start}`)).status === 200);
});

/** Status, body and headers of an answer (the Date header aside). */
async function whole(res: Response) {
  const headers = Object.fromEntries(
    [...res.headers.entries()].filter(([k]) => k !== "date").sort(),
  );
  return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
}

Deno.test("the fast path answers practice routes exactly as the app does", async (t) => {
  const slow = createApp({
    store: w.store,
    config: { apiKeys: [], adminToken: null },
    fastPath: false,
  });
  const code = practicesOf(w.sim)[0].OrgId.extension;
  const paths = [
    "/general_practices/",
    `/general_practices/${code}/`,
    `/general_practices/${code}`,
    "/general_practices/?postcode=CB2%200QQ&active=true",
    "/general_practices/?postcode=cb20qq",
  ];
  for (const path of paths) {
    await t.step(path, async () => {
      for (const a of [app, slow]) await (await a.request(path)).body?.cancel(); // warm up
      const fast = await whole(await app.request(path));
      deepEqual(fast, await whole(await slow.request(path)));
      equal(fast.status, 200);
      const tag = { "If-None-Match": fast.headers.etag };
      const again = await whole(await app.request(path, { headers: tag }));
      deepEqual(again, await whole(await slow.request(path, { headers: tag })));
      equal(again.status, 304);
    });
  }
});

Deno.test("/schema/ publishes the practice routes, their filters and the GeneralPractice schema", async () => {
  const { body } = await getJson(app, "/schema/");
  const doc = body as { paths: Record<string, Item>; components: { schemas: Item } };
  const list = doc.paths["/general_practices/"].get as { parameters: { name: string }[] };
  for (
    const name of [
      "ods_code",
      "postcode",
      "name",
      "active",
      "integrated_care_board",
      "fields",
      "as_of",
    ]
  ) {
    ok(list.parameters.some((p) => p.name === name), name);
  }
  ok(doc.paths["/general_practices/{ods_code}/"]);
  ok(doc.components.schemas.GeneralPractice);
});

Deno.test("other methods on the practice routes are a 405", async () => {
  const res = await app.request("/general_practices/", { method: "POST" });
  equal(res.status, 405);
  equal(res.headers.get("allow"), "GET, HEAD, OPTIONS");
});

Deno.test("with SYNC_GP_PRACTICES=false the practice routes are a 404 and not in /schema/", async () => {
  const off = createApp({
    store: w.store,
    config: { apiKeys: [], adminToken: null },
    gpPractices: false,
  });
  for (const path of ["/general_practices/", "/general_practices/Y99010/"]) {
    const { status, body } = await getJson(off, path);
    equal(status, 404, path);
    ok(String((body as Item).explanation).includes("SYNC_GP_PRACTICES=false"));
  }
  const { body } = await getJson(off, "/schema/");
  equal((body as { paths: Item }).paths["/general_practices/"], undefined);
});

Deno.test("a sync that changes only practices moves their ETags, not the organisations'", async () => {
  const v = await syncWorld(TUESDAY, { gpPractices: 50 });
  try {
    await runSync({ store: v.store, source: v.source(), now: at(TUESDAY), gpPractices: true });
    const served = appFor(v.store, [], null, 0);
    const etag = async (path: string) => {
      const res = await served.request(path);
      await res.body?.cancel();
      return res.headers.get("etag");
    };
    const code = practicesOf(v.sim)[0].OrgId.extension;
    const before = [await etag("/organisations/"), await etag(`/general_practices/${code}/`)];
    v.sim.dataset.rename(code, "RENAMED TODAY SURGERY", "2026-11-24");
    v.sim.clock.set(WEDNESDAY);
    await runSync({ store: v.store, source: v.source(), now: at(WEDNESDAY), gpPractices: true });
    equal(await etag("/organisations/"), before[0]);
    notEqual(await etag(`/general_practices/${code}/`), before[1]);
    const { body } = await getJson(served, `/general_practices/${code}/`);
    equal((body as Item).name, "RENAMED TODAY SURGERY");
  } finally {
    await v.close();
  }
});
