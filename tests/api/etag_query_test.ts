import { equal, ok } from "node:assert/strict";
import { seededApp } from "./seeded.ts";

const app = await seededApp();

/** Each query's body and ETag. */
async function answers(path: string, queries: string[]) {
  const out: { query: string; body: string; etag: string }[] = [];
  for (const query of queries) {
    const res = await app.request(path + query);
    equal(res.status, 200, path + query);
    out.push({ query, body: await res.text(), etag: res.headers.get("etag") ?? "" });
  }
  return out;
}

Deno.test("ETags: every query parameter that changes a body changes its ETag", async () => {
  const all = [
    ...await answers("/organisations/paediatric-diabetes-units/", [
      "",
      "?ordering=name",
      "?ordering=-name",
      "?ordering=ods_code",
      "?ordering=-ods_code",
    ]),
    ...await answers("/organisations/", [
      "",
      "?fields=ods_code",
      "?fields=ods_code,name",
      "?ods_code=RGT01",
      "?active=true",
      "?active=false",
    ]),
  ];
  for (const a of all) {
    for (const b of all) {
      if (a.body !== b.body) ok(a.etag !== b.etag, `${a.query} and ${b.query} share ${a.etag}`);
    }
  }
});

Deno.test("ETags: the same answer asked in another spelling keeps its ETag", async () => {
  const [plain, reordered] = await answers("/organisations/", [
    "?fields=ods_code,name",
    "?fields=name,ods_code",
  ]);
  equal(plain.body, reordered.body);
  equal(plain.etag, reordered.etag);
});
