/**
 * `?as_of=YYYY-MM-DD` on the read routes, over the real seed with real captured ODS records
 * (testdata/ods/) stored as a sync stores them: parsing, the date and ETag of an answer, and
 * which organisations and trusts exist on a date.
 */
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { ukDate } from "../../lib/dates.ts";
import { factsOf } from "../../lib/ods/dated.ts";
import { toTrust } from "../../lib/ods/entities.ts";
import { parseOrdOrganisation } from "../../lib/ods/ord.ts";
import type { OdsRecord } from "../../lib/ods/record.ts";
import { buildOpenApi } from "../../lib/api/openapi.ts";
import { ROUTES } from "../../lib/api/routes.ts";
import { appFor, captureLogs, getJson, patch, put, seededStore } from "./helpers.ts";

captureLogs();

function captured(file: string): OdsRecord {
  const body = JSON.parse(
    Deno.readTextFileSync(new URL(`../../testdata/ods/${file}`, import.meta.url)),
  );
  const parsed = parseOrdOrganisation(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.record;
}

const world = await seededStore();
globalThis.addEventListener("unload", () => {
  world.store.close();
  Deno.removeSync(world.path.replace(/\/[^/]+$/, ""), { recursive: true });
});
// RVVKC (a seeded site): opened 1999-04-01, operated by RVV since then.
const rvvkc = captured("RVVKC.json");
await patch(world.store, "organisation", "RVVKC", {
  operational_start: rvvkc.operational.start,
  operational_end: rvvkc.operational.end,
  ods_facts: factsOf(rvvkc, null),
});
// RJY (not seeded): a trust that ran from 1993-04-01 to its last day, 2001-03-31.
await put(world.store, "trust", "RJY", toTrust(captured("RJY.json"), null));
// RWR (seeded): the trust whose RE5 ran Q35 → Q58 → Q78 → Q79 → QM7, stored as a sync stores it.
const rwr = (await world.store.get("trust", "RWR"))!;
await put(world.store, "trust", "RWR", toTrust(captured("RWR.json"), rwr));
const app = appFor(world.store);

Deno.test("as_of: a malformed date is a 400 naming the format", async () => {
  for (const bad of ["2019-13-01", "01/06/2019", "2019-02-30", "yesterday"]) {
    const res = await getJson(app, `/organisations/?as_of=${encodeURIComponent(bad)}`);
    equal(res.status, 400, bad);
    ok(JSON.stringify(res.body).includes("YYYY-MM-DD"), bad);
  }
});

Deno.test("as_of: the answer names its date in X-As-Of", async () => {
  const res = await app.request("/trusts/?as_of=2019-06-01");
  equal(res.status, 200);
  equal(res.headers.get("X-As-Of"), "2019-06-01");
  await res.body?.cancel();
});

Deno.test("as_of: an empty value is today's UK date", async () => {
  const res = await app.request("/trusts/?as_of=");
  equal(res.headers.get("X-As-Of"), ukDate(new Date()));
  await res.body?.cancel();
});

Deno.test("as_of: the ETag differs per date, and from the plain answer", async () => {
  const tags = [];
  for (const q of ["", "?as_of=2019-06-01", "?as_of=2020-06-01", "?as_of=2019-06-01"]) {
    const res = await app.request(`/organisations/RVVKC/${q}`);
    tags.push(res.headers.get("ETag"));
    await res.body?.cancel();
  }
  equal(new Set(tags.slice(0, 3)).size, 3);
  equal(tags[3], tags[1], "the same date, the same ETag");
});

Deno.test("as_of: a matching If-None-Match is a 304 for that date", async () => {
  const first = await app.request("/trusts/?as_of=2001-04-01");
  await first.body?.cancel();
  const again = await app.request("/trusts/?as_of=2001-04-01", {
    headers: { "If-None-Match": first.headers.get("ETag")! },
  });
  equal(again.status, 304);
});

Deno.test("as_of: a site not yet opened on the date is left out of the list", async () => {
  const before = await getJson(app, "/organisations/?as_of=1999-03-31");
  const on = await getJson(app, "/organisations/?as_of=1999-04-01");
  const codes = (body: unknown) => (body as { ods_code: string }[]).map((o) => o.ods_code);
  ok(!codes(before.body).includes("RVVKC"));
  ok(codes(on.body).includes("RVVKC"));
});

Deno.test("as_of: a site not yet opened on the date is a 404 saying so", async () => {
  const res = await getJson(app, "/organisations/RVVKC/?as_of=1999-03-31");
  equal(res.status, 404);
  ok(JSON.stringify(res.body).includes("1999-03-31"));
});

Deno.test("as_of: a trust closed by the date is listed with active false", async () => {
  const trusts = async (date: string) =>
    ((await getJson(app, `/trusts/?as_of=${date}`)).body as { ods_code: string; active: boolean }[])
      .find((t) => t.ods_code === "RJY")?.active;
  equal(await trusts("2001-03-31"), true, "its end date is its last day");
  equal(await trusts("2001-04-01"), false);
});

Deno.test("as_of: filters apply to the state on the date", async () => {
  const res = await getJson(app, "/trusts/?as_of=2001-04-01&active=false&fields=ods_code");
  deepEqual(
    (res.body as { ods_code: string }[]).filter((t) => t.ods_code === "RJY"),
    [{ ods_code: "RJY" }],
  );
});

Deno.test("as_of: the plain answer is unchanged and carries no X-As-Of", async () => {
  const res = await app.request("/organisations/RVVKC/");
  equal(res.headers.get("X-As-Of"), null);
  notEqual(res.headers.get("ETag"), null);
  await res.body?.cancel();
});

Deno.test("as_of: today's date answers the same body as the plain route", async () => {
  const today = ukDate(new Date());
  for (const path of ["/organisations/", "/trusts/", "/integrated_care_boards/organisations/"]) {
    const plain = await (await app.request(path)).text();
    const dated = await (await app.request(`${path}?as_of=${today}`)).text();
    ok(plain === dated, path);
  }
});

Deno.test("as_of: the OpenAPI document describes it on every list and detail route", () => {
  const doc = buildOpenApi(ROUTES, { auth: false });
  for (const route of ROUTES.filter((r) => r.mode !== "history" && r.mode !== "snapshot")) {
    const op = (doc.paths as Record<string, { get: { parameters: { name: string }[] } }>)[
      route.path
    ].get;
    ok(op.parameters.some((p) => p.name === "as_of"), route.path);
  }
});

Deno.test("history: the dated parent timeline lists each ODS parent with its days in force", async () => {
  const res = await getJson(app, "/trusts/RWR/history/");
  const parents = (res.body as { parents: { parent: string; from: string; to: string }[] })
    .parents.map((p) => [p.parent, p.from, p.to]);
  deepEqual(parents.slice(-2), [["Q79", "2019-04-01", "2020-03-31"], ["QM7", "2020-04-01", null]]);
  equal(parents.length, 7, "QEX, Q02, Q35, Q58, Q78, Q79, QM7");
});

Deno.test("as_of: a browser on another origin may read X-As-Of (CORS exposes it)", async () => {
  const res = await app.request("/organisations/RGT01/?as_of=2025-01-01", {
    headers: { Origin: "https://audit.example" },
  });
  await res.body?.cancel();
  const exposed = (res.headers.get("access-control-expose-headers") ?? "").toLowerCase();
  ok(exposed.split(/,\s*/).includes("x-as-of"), exposed);
});
