/**
 * Django REST framework's edges, as the original answered them (issue #12 item 9): error
 * bodies with a string `detail`, `.json` format suffixes and `?format=json`, the JSON API root
 * at `/` for API clients (browsers keep the status page), and `/swagger-ui/`.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { getJson } from "./helpers.ts";
import { ORIGINAL_ROOT } from "../../lib/api/root.ts";
import { seededApp } from "./seeded.ts";

const app = await seededApp();

const BROWSER_ACCEPT =
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

Deno.test('an unknown code is DRF\'s 404 {"detail": "Not found."}', async () => {
  const { status, body } = await getJson(app, "/organisations/ZZZ99/");
  equal(status, 404);
  equal((body as { detail: unknown }).detail, "Not found.");
});

Deno.test("an unknown route is DRF's 404 too", async () => {
  const { status, body } = await getJson(app, "/nope/");
  equal(status, 404);
  equal((body as { detail: unknown }).detail, "Not found.");
});

Deno.test('a POST is DRF\'s 405 {"detail": "Method \\"POST\\" not allowed."}', async () => {
  const res = await app.request("/organisations/", { method: "POST", body: "{}" });
  equal(res.status, 405);
  equal((await res.json()).detail, 'Method "POST" not allowed.');
});

Deno.test("the 405 names the method sent (DELETE)", async () => {
  const res = await app.request("/trusts/RGT/", { method: "DELETE" });
  equal((await res.json()).detail, 'Method "DELETE" not allowed.');
});

Deno.test("the explanation of an error is in other keys than detail", async () => {
  const { body } = await getJson(app, "/organisations/?active=maybe");
  const e = body as Record<string, unknown>;
  equal(typeof e.detail, "string");
  equal(e.error, "invalid filter");
  ok(Array.isArray(e.active), "the field at fault, DRF-style");
});

Deno.test("/organisations.json is /organisations/", async () => {
  const plain = await app.request("/organisations/");
  const suffixed = await app.request("/organisations.json");
  equal(suffixed.status, 200);
  equal(await suffixed.text(), await plain.text());
});

Deno.test("/organisations/RGT01.json is /organisations/RGT01/", async () => {
  const res = await getJson(app, "/organisations/RGT01.json");
  equal(res.status, 200);
  equal((res.body as { ods_code: string }).ods_code, "RGT01");
});

Deno.test("a .json suffix works on nested routes (/paediatric_diabetes_units/parent.json)", async () => {
  const plain = await app.request("/paediatric_diabetes_units/parent/");
  const suffixed = await app.request("/paediatric_diabetes_units/parent.json");
  equal(await suffixed.text(), await plain.text());
});

Deno.test("?format=json is the same answer, filters kept", async () => {
  const res = await getJson(app, "/organisations/?format=json&ods_code=RGT01");
  equal(res.status, 200);
  deepEqual((res.body as { ods_code: string }[]).map((o) => o.ods_code), ["RGT01"]);
});

Deno.test("a format the service does not serve is DRF's 404 (?format=xml)", async () => {
  const { status, body } = await getJson(app, "/organisations/?format=xml");
  equal(status, 404);
  equal((body as { detail: string }).detail, "Not found.");
});

Deno.test("GET / with Accept: application/json is DRF's API root, names to absolute URLs", async () => {
  const res = await app.request("http://api.example/", {
    headers: { Accept: "application/json" },
  });
  equal(res.status, 200);
  match(res.headers.get("content-type") ?? "", /^application\/json/);
  const root = await res.json() as Record<string, string>;
  deepEqual(Object.keys(root).slice(0, ORIGINAL_ROOT.length), [...ORIGINAL_ROOT]);
  equal(root.organisations, "http://api.example/organisations/");
  equal(
    root["paediatric_diabetes_units/parent"],
    "http://api.example/paediatric_diabetes_units/parent/",
  );
});

Deno.test("the API root's URLs follow X-Forwarded-Prefix behind a trusted proxy (API Management)", async () => {
  const behind = await seededApp({ trustProxy: true });
  const res = await behind.request("http://api.example/", {
    headers: { Accept: "application/json", "X-Forwarded-Prefix": "/nhs-organisations/v1" },
  });
  const root = await res.json() as Record<string, string>;
  equal(root.trusts, "http://api.example/nhs-organisations/v1/trusts/");
});

Deno.test("without TRUST_PROXY the API root ignores a client's X-Forwarded-Prefix", async () => {
  const res = await app.request("http://api.example/", {
    headers: { Accept: "application/json", "X-Forwarded-Prefix": "/evil" },
  });
  const root = await res.json() as Record<string, string>;
  equal(root.trusts, "http://api.example/trusts/");
});

Deno.test("every URL of the API root answers 200", async () => {
  const res = await app.request("/", { headers: { Accept: "application/json" } });
  for (const url of Object.values(await res.json() as Record<string, string>)) {
    const answer = await app.request(url);
    await answer.body?.cancel();
    equal(answer.status, 200, url);
  }
});

Deno.test("/.json and /?format=json are the API root too", async () => {
  for (const path of ["/.json", "/?format=json"]) {
    const res = await app.request(path);
    match(res.headers.get("content-type") ?? "", /^application\/json/, path);
    ok("organisations" in await res.json(), path);
  }
});

Deno.test("a browser's GET / keeps the status page", async () => {
  const res = await app.request("/", { headers: { Accept: BROWSER_ACCEPT } });
  equal(res.status, 200);
  match(res.headers.get("content-type") ?? "", /^text\/html/);
  await res.body?.cancel();
});

Deno.test("GET / says it varies by Accept", async () => {
  const res = await app.request("/", { headers: { Accept: "application/json" } });
  await res.body?.cancel();
  match(res.headers.get("vary") ?? "", /Accept/);
});

Deno.test("/swagger-ui/ serves the interactive docs, with its assets beside it", async () => {
  const page = await app.request("/swagger-ui/");
  equal(page.status, 200);
  match(page.headers.get("content-type") ?? "", /^text\/html/);
  const html = await page.text();
  ok(html.includes('id="swagger-ui"'));
  ok(html.includes('data-schema-url="../schema/"'));
  const init = await app.request("/swagger-ui/init.js");
  equal(init.status, 200);
  await init.body?.cancel();
});

Deno.test("an empty ?format= is ignored, as DRF ignores it", async () => {
  equal((await getJson(app, "/trusts/RGT/?format=")).status, 200);
});
