import { deepEqual, equal, ok } from "node:assert/strict";
import { createApp } from "../../api.ts";
import { captureLogs, seededStore } from "./helpers.ts";

const logs = captureLogs();

/** Status, body and headers of an answer (the Date header aside). */
async function answer(res: Response) {
  const headers = Object.fromEntries(
    [...res.headers.entries()].filter(([k]) => k !== "date").sort(),
  );
  return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
}

Deno.test("the fast path answers exactly as the app does", async (t) => {
  const s = await seededStore();
  try {
    const fast = createApp({ store: s.store, config: { apiKeys: [], adminToken: null } });
    const slow = createApp({
      store: s.store,
      config: { apiKeys: [], adminToken: null },
      fastPath: false,
    });
    const paths = [
      "/organisations/",
      "/organisations",
      "/organisations/RGT01/",
      "/organisations/RGT01",
      "/organisations/limited/",
      "/organisations/limited/RGT01/",
      "/trusts/",
      "/trusts/RGT/",
      "/paediatric_diabetes_units/parent/",
      "/paediatric_diabetes_units/PZ041/parent/",
      "/paediatric_diabetes_units/parent/PZ041/",
      "/countries/JEY/",
      "/nhs_england_regions/Y61/organisations/",
      "/organisations.json",
      "/organisations/RGT01.json",
      "/trusts/?format=json",
    ];
    for (const path of paths) {
      await t.step(`GET ${path}`, async () => {
        const a = await answer(await fast.request(path));
        const b = await answer(await slow.request(path));
        deepEqual(a, b);
        equal(a.status, 200);
        const tag = a.headers.etag;
        const c = await answer(await fast.request(path, { headers: { "If-None-Match": tag } }));
        const d = await answer(await slow.request(path, { headers: { "If-None-Match": tag } }));
        equal(c.status, 304);
        equal(c.body.length, 0);
        deepEqual(c.headers, d.headers);
        const gzip = { "Accept-Encoding": "gzip" };
        const e = await answer(await fast.request(path, { headers: gzip }));
        deepEqual(e, await answer(await slow.request(path, { headers: gzip })));
        const zipTag = { ...gzip, "If-None-Match": e.headers.etag };
        const f = await answer(await fast.request(path, { headers: zipTag }));
        deepEqual(f, await answer(await slow.request(path, { headers: zipTag })));
        equal(f.status, 304);
      });
    }
    await t.step("each answer is logged once, with its route", async () => {
      logs.length = 0;
      await (await fast.request("/organisations/RGT01/")).body?.cancel();
      equal(logs.length, 1);
      const line = JSON.parse(logs[0]);
      equal(line.path, "/organisations/RGT01/");
      equal(line.route, "/organisations/:ods_code");
      equal(line.status, 200);
    });
    await t.step(
      "queries, lower-case codes and unknown codes still go through the app",
      async () => {
        equal((await fast.request("/organisations/?active=maybe")).status, 400);
        const lower = await fast.request("/organisations/rgt01/");
        equal(lower.status, 200);
        ok((await lower.text()).includes("RGT01"));
        equal((await fast.request("/organisations/ZZZ99/")).status, 404);
      },
    );
  } finally {
    await s.close();
  }
});

/** The answer to a gzip request once its compression (made in the background) is done. */
async function settledGzip(app: ReturnType<typeof createApp>, path: string) {
  const gzip = { headers: { "Accept-Encoding": "gzip" } };
  for (let i = 0;; i++) {
    const res = await app.request(path, gzip);
    const big = res.headers.get("vary") !== null;
    if (!big || res.headers.get("content-encoding") === "gzip" || i === 1000) return answer(res);
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 1)); // let the compression run
  }
}

Deno.test("repeated queries: the fast path answers them exactly as the app does", async (t) => {
  const s = await seededStore();
  try {
    const config = { apiKeys: [], adminToken: null };
    const fast = createApp({ store: s.store, config });
    const slow = createApp({ store: s.store, config, fastPath: false });
    const paths = [
      "/organisations/?active=true",
      "/organisations/?fields=ods_code,name",
      "/organisations/?ods_code=RGT01",
      "/trusts/?ods_code=RGT&fields=ods_code",
      "/organisations/paediatric-diabetes-units/?ordering=-name",
      "/organisations/rgt01/",
      "/organisations/RGT01/?fields=name",
      "/organisations/RGT01/?as_of=2024-06-01",
      "/organisations/?as_of=2024-06-01",
      "/organisations/RGT01/snapshot/?date=2024-06-01",
      "/paediatric_diabetes_units/sibling-organisations/RGT01/",
    ];
    for (const path of paths) {
      await t.step(`GET ${path}`, async () => {
        for (const app of [fast, slow]) await (await app.request(path)).body?.cancel();
        const a = await answer(await fast.request(path));
        deepEqual(a, await answer(await slow.request(path)));
        equal(a.status, 200);
        const tag = { "If-None-Match": a.headers.etag };
        const b = await answer(await fast.request(path, { headers: tag }));
        deepEqual(b, await answer(await slow.request(path, { headers: tag })));
        equal(b.status, 304);
        deepEqual(await settledGzip(fast, path), await settledGzip(slow, path));
      });
    }
  } finally {
    await s.close();
  }
});

Deno.test("JSON answers are never sniffed, on the fast path and through the app", async () => {
  const kv = await seededStore();
  try {
    for (const fastPath of [true, false]) {
      const app = createApp({
        store: kv.store,
        config: { apiKeys: [], adminToken: null },
        fastPath,
      });
      for (const path of ["/organisations/RGT01/", "/organisations/?active=true", "/nope/"]) {
        const res = await app.fetch(new Request(`http://localhost${path}`));
        await res.body?.cancel();
        equal(res.headers.get("x-content-type-options"), "nosniff", `${path} fast=${fastPath}`);
      }
    }
  } finally {
    await kv.close();
  }
});
