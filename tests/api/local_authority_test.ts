/**
 * `local_authority` in the organisation and GP practice bodies (NEW): a store synced from the
 * ODS simulator, its postcodes looked up in the simulator's FHIR `postcode` CodeSystem, then
 * served. Expected values come from the simulator's postcode directory.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { postcodeResolver } from "../../lib/api/geography_routes.ts";
import { runSync } from "../../lib/sync/run.ts";
import { at, syncWorld } from "../sync/helpers.ts";
import { appFor, getJson } from "./helpers.ts";
import { body, seededApp } from "./seeded.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
type Item = Record<string, unknown>;

const w = await syncWorld(TUESDAY, { gpPractices: 20 });
await runSync({
  store: w.store,
  source: w.source("ord"),
  now: at(TUESDAY),
  gpPractices: true,
  postcodes: postcodeResolver({ store: w.store, ods: w.odsConfig("ord"), now: at(TUESDAY) }),
  postcodeLookups: 5000,
});
const app = appFor(w.store);
globalThis.addEventListener("unload", () => w.close());

const la = (postcode: string) => w.sim.dataset.postcodes.get(postcode)?.la;

Deno.test("/organisations/?fields=ods_code,local_authority: each site with its postcode's", async () => {
  const { status, body } = await getJson(app, "/organisations/?fields=ods_code,local_authority");
  equal(status, 200);
  const items = body as Item[];
  for (const item of items) deepEqual(Object.keys(item), ["ods_code", "local_authority"]);
  const rgt01 = items.find((i) => i.ods_code === "RGT01");
  deepEqual(rgt01, { ods_code: "RGT01", local_authority: la("CB2 0QQ") });
  ok(la("CB2 0QQ"));
  const sites = new Map((await w.store.list("organisation")).map((o) => [o.ods_code, o]));
  for (const item of items) {
    const site = sites.get(String(item.ods_code))!;
    // Curated records (Jersey, the RCPCH) are left alone by the sync.
    const want = site.source === "ods" && site.postcode ? la(site.postcode) ?? null : null;
    equal(item.local_authority, want, String(item.ods_code));
  }
});

Deno.test("/organisations/{code}/ carries local_authority last, after the original's fields", async () => {
  const { body } = await getJson(app, "/organisations/RGT01/");
  const keys = Object.keys(body as Item);
  equal(keys.at(-1), "local_authority");
  equal((body as Item).local_authority, la("CB2 0QQ"));
});

Deno.test("/general_practices/?fields=local_authority: each practice with its postcode's", async () => {
  const stored = await w.store.list("general_practice");
  const { status, body } = await getJson(
    app,
    "/general_practices/?fields=ods_code,postcode,local_authority",
  );
  equal(status, 200);
  const items = body as Item[];
  equal(items.length, stored.length);
  for (const item of items) {
    deepEqual(item, {
      ods_code: item.ods_code,
      postcode: item.postcode,
      local_authority: la(String(item.postcode)),
    });
  }
  const one = await getJson(
    app,
    `/general_practices/${stored[0].ods_code}/?fields=local_authority`,
  );
  deepEqual(one.body, { local_authority: la(stored[0].postcode!) });
});

Deno.test("?as_of= a date before the run answers the local authority then: null", async () => {
  const { body } = await getJson(
    app,
    "/organisations/RGT01/?as_of=2025-01-01&fields=local_authority",
  );
  deepEqual(body, { local_authority: null });
});

Deno.test("a record never given one (the seed's) answers local_authority: null", async () => {
  const seeded = await seededApp();
  const o = await body<Item>(seeded, "/organisations/RGT01/?fields=ods_code,local_authority");
  deepEqual(o, { ods_code: "RGT01", local_authority: null });
});

Deno.test("the OpenAPI document has local_authority, NEW, in Organisation and GeneralPractice", async () => {
  const { body } = await getJson(app, "/schema/");
  const schemas = (body as { components: { schemas: Record<string, { properties: Item }> } })
    .components.schemas;
  for (const name of ["Organisation", "GeneralPractice"]) {
    const field = schemas[name].properties.local_authority as { description?: string };
    ok(field?.description?.startsWith("NEW."), name);
  }
});
