/**
 * `/schema/` (OpenAPI 3.1 listing every route), `/docs` (Swagger UI served offline, no external
 * URL) and the extra-routes hook.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { createApp } from "../../api.ts";
import { fallbackHtml, swaggerHtml } from "../../lib/api/docs.ts";
import { buildOpenApi, forwardedPrefix, type JsonObject } from "../../lib/api/openapi.ts";
import { pathParams, ROUTES } from "../../lib/api/routes.ts";
import { captureLogs, tempStore, writeFixture } from "./helpers.ts";

captureLogs();

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, { get: Operation }>;
  components: { schemas: Record<string, unknown> };
};

/** Every `$ref` in a JSON value. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

const EXTERNAL = /(?:src|href)\s*=\s*["']?(?:[a-z]+:)?\/\//i;

Deno.test("OpenAPI document and docs", async (t) => {
  const kv = await tempStore();
  await writeFixture(kv.store);
  const app = createApp({
    store: kv.store,
    config: { apiKeys: [], adminToken: null },
    extraRoutes: (app) => app.get("/sync/status", (c) => c.json({ mode: "bau" })),
    extraPaths: { "/sync/status": { get: { operationId: "get_sync_status", responses: {} } } },
  });
  try {
    await t.step("/schema/ is an OpenAPI 3.1 document listing every route", async () => {
      const res = await app.request("/schema/");
      equal(res.status, 200);
      match(res.headers.get("content-type") ?? "", /^application\/json/);
      const doc = await res.json() as Doc;
      equal(doc.openapi, "3.1.0");
      equal(doc.info.title, "RCPCH NHS Organisations");
      for (const route of ROUTES) {
        const op = doc.paths[route.path]?.get;
        ok(op, `documents ${route.path}`);
        const inPath = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        deepEqual(inPath, pathParams(route.path), route.path);
        ok(op.responses["200"].content?.["application/json"].schema, route.path);
        ok(op.responses["400"] && op.responses["304"], route.path);
      }
      for (const path of ["/health/", "/schema/", "/docs/", "/sync/status"]) {
        ok(doc.paths[path], path);
      }
      const ids = Object.values(doc.paths).map((p) => p.get.operationId);
      equal(new Set(ids).size, ids.length, "operation ids are unique");
      for (const ref of refs(doc)) {
        const name = ref.replace("#/components/schemas/", "");
        ok(ref.startsWith("#/components/schemas/") && doc.components.schemas[name], ref);
      }
      const filters = doc.paths["/organisations/"].get.parameters!.map((p) => p.name);
      for (const f of ["ods_code", "name", "active", "published_at", "fields"]) {
        ok(filters.includes(f), f);
      }
      const noSlash = await app.request("/schema");
      deepEqual(await noSlash.json(), doc);
    });

    await t.step(
      "servers follow X-Forwarded-Prefix behind a trusted proxy, if well formed",
      async () => {
        const trusting = createApp({
          store: kv.store,
          config: { apiKeys: [], adminToken: null, trustProxy: true },
        });
        const behind = await trusting.request("/schema/", {
          headers: { "X-Forwarded-Prefix": "/nhs-organisations/v1/" },
        });
        deepEqual((await behind.json() as Doc).servers, [{ url: "/nhs-organisations/v1" }]);
        equal(behind.headers.get("vary"), "X-Forwarded-Prefix");
        equal(forwardedPrefix("/a/<script>", true), "");
        equal(forwardedPrefix("//evil.example", true), "");
        equal(forwardedPrefix(undefined, true), "");
      },
    );

    await t.step("without TRUST_PROXY a client's X-Forwarded-Prefix changes nothing", async () => {
      const res = await app.request("/schema/", { headers: { "X-Forwarded-Prefix": "/evil" } });
      deepEqual((await res.json() as Doc).servers, [{ url: "/" }]);
    });

    await t.step("the docs page allows only its own scripts and may not be framed", async () => {
      const res = await app.request("/docs/");
      await res.body?.cancel();
      const csp = res.headers.get("content-security-policy") ?? "";
      ok(csp.includes("script-src 'self'") && csp.includes("frame-ancestors 'none'"), csp);
      equal(res.headers.get("x-frame-options"), "DENY");
      equal(res.headers.get("x-content-type-options"), "nosniff");
    });

    await t.step("security schemes appear only when keys are required", () => {
      const open = buildOpenApi(ROUTES, { auth: false }) as JsonObject & { security?: unknown };
      equal(open.security, undefined);
      const closed = buildOpenApi(ROUTES, { auth: true }) as JsonObject & { security?: unknown };
      deepEqual(closed.security, [{ subscriptionKey: [] }, { bearer: [] }]);
    });

    await t.step("/docs and /docs/ load Swagger UI from this service only", async () => {
      for (const path of ["/docs", "/docs/"]) {
        const res = await app.request(path);
        equal(res.status, 200);
        match(res.headers.get("content-type") ?? "", /^text\/html/);
        const html = await res.text();
        ok(!EXTERNAL.test(html), `${path} has no external URL`);
        const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
        ok(urls.length >= 3);
        for (const url of urls.filter((u) => !u.startsWith("data:"))) {
          const resolved = new URL(url, `http://localhost${path}`).pathname;
          const asset = await app.request(resolved);
          equal(asset.status, 200, `${path} -> ${resolved}`);
          ok((await asset.text()).length > 0);
        }
        const schemaUrl = /data-schema-url="([^"]+)"/.exec(html)![1];
        equal(new URL(schemaUrl, `http://localhost${path}`).pathname, "/schema/");
      }
      const bundle = await app.request("/docs/swagger-ui-bundle.js");
      match(bundle.headers.get("content-type") ?? "", /javascript/);
      match(await bundle.text(), /SwaggerUIBundle/);
      const init = await (await app.request("/docs/init.js")).text();
      match(init, /validatorUrl: null/);
      const css = await app.request("/docs/swagger-ui.css");
      match(css.headers.get("content-type") ?? "", /text\/css/);
      await css.body?.cancel();
      equal((await app.request("/docs/missing.js")).status, 404);
    });

    await t.step("the fallback page lists every operation, with no external URL", () => {
      const doc = buildOpenApi(ROUTES, { auth: false });
      const html = fallbackHtml(doc, "/docs/");
      for (const route of ROUTES) ok(html.includes(route.path), route.path);
      ok(!EXTERNAL.test(html));
      ok(!EXTERNAL.test(swaggerHtml("/docs")));
    });

    await t.step("extra routes are served next to the read routes", async () => {
      const res = await app.request("/sync/status");
      equal(res.status, 200);
      deepEqual(await res.json(), { mode: "bau" });
      ok(res.headers.get("etag"));
    });
  } finally {
    await kv.close();
  }
});
