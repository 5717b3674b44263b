/**
 * Interactive documentation at `/docs` and at `/swagger-ui/` (the original's path): Swagger UI
 * from the `swagger-ui-dist` package, served by this service (no CDN, works offline), reading
 * `/schema/`. Every URL in the page is relative, so it also works behind a path prefix (API
 * Management).
 *
 * If the Swagger UI files cannot be loaded, `/docs` falls back to a plain page listing every
 * operation of the OpenAPI document.
 *
 * @module
 */
import { docsPageHeaders } from "./security.ts";
import type { Context, Hono } from "hono";
import { ApiError } from "./errors.ts";
import { etagMatches, hashText } from "./http.ts";
import type { JsonObject } from "./openapi.ts";

/** The initializer script: starts Swagger UI on the schema URL the page names. */
export const INIT_JS = `"use strict";
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: true,
    displayRequestDuration: true,
  });
});
`;

/** A served file: content type, body and ETag. */
interface Asset {
  type: string;
  body: string;
  etag: string;
}

let assets: Promise<ReadonlyMap<string, Asset> | null> | null = null;

/** Load the Swagger UI files once (with their ETags); `null` if they cannot be loaded. */
function loadAssets(): Promise<ReadonlyMap<string, Asset> | null> {
  assets ??= import("./docs_assets.ts").then(
    (m) => {
      const files = {
        ...m.SWAGGER_UI_FILES,
        "init.js": { type: "text/javascript", body: INIT_JS },
      };
      const out = new Map<string, Asset>();
      for (const [name, f] of Object.entries(files)) {
        out.set(name, { ...f, etag: `"swagger-ui-${m.SWAGGER_UI_VERSION}.${hashText(f.body)}"` });
      }
      return out;
    },
    () => null,
  );
  return assets;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The paths the docs are served at (each with its assets under it). */
export const DOCS_MOUNTS = ["/docs", "/swagger-ui"] as const;

/**
 * Relative URLs from a docs page: `/docs` and `/docs/` resolve differently (the assets are
 * under the page's own path, the schema beside it).
 */
function relative(path: string): { assets: string; schema: string } {
  if (path.endsWith("/")) return { assets: "", schema: "../schema/" };
  const mount = path.slice(path.lastIndexOf("/") + 1);
  return { assets: `${mount}/`, schema: "schema/" };
}

/**
 * The Swagger UI page served at `path`.
 *
 * @example
 * ```ts
 * import { swaggerHtml } from "./docs.ts";
 *
 * swaggerHtml("/swagger-ui/").includes('data-schema-url="../schema/"'); // true
 * ```
 */
export function swaggerHtml(path: string): string {
  const rel = relative(path);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RCPCH NHS Organisations API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${rel.assets}swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-schema-url="${rel.schema}"></div>
<script src="${rel.assets}swagger-ui-bundle.js"></script>
<script src="${rel.assets}init.js"></script>
</body>
</html>
`;
}

/** The fallback page: every operation of the document, as a list of links. */
export function fallbackHtml(doc: JsonObject, path: string): string {
  const rel = relative(path);
  const base = rel.schema.replace(/schema\/$/, "");
  const rows: string[] = [];
  for (const [p, item] of Object.entries(doc.paths as Record<string, JsonObject>)) {
    const op = item.get as JsonObject | undefined;
    const summary = typeof op?.summary === "string" ? op.summary : "";
    const href = p.includes("{") ? "" : ` href="${escapeHtml(base + p.replace(/^\//, ""))}"`;
    rows.push(`<li><a${href}><code>GET ${escapeHtml(p)}</code></a> ${escapeHtml(summary)}</li>`);
  }
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>RCPCH NHS Organisations API</title>
<link rel="icon" href="data:,"></head>
<body>
<h1>RCPCH NHS Organisations API</h1>
<p>The OpenAPI document is at <a href="${rel.schema}">schema/</a>.</p>
<ul>
${rows.join("\n")}
</ul>
</body>
</html>
`;
}

function sendStatic(c: Context, etag: string, type: string, body: string, maxAge: number) {
  c.header("ETag", etag);
  c.header("Cache-Control", `public, max-age=${maxAge}`);
  if (etagMatches(c.req.header("If-None-Match"), etag)) return c.body(null, 304);
  c.header("Content-Type", type);
  return c.body(body, 200);
}

/**
 * Add `/docs` and `/swagger-ui` (each also with a trailing slash) and their assets under
 * `/docs/…` and `/swagger-ui/…` to `app`.
 *
 * @param openapi The current OpenAPI document (for the fallback page).
 */
export function registerDocs(app: Hono, openapi: () => JsonObject): void {
  for (const mount of DOCS_MOUNTS) {
    app.get(mount, async (c) => {
      const loaded = await loadAssets();
      // The raw path: the router treats `/docs` and `/docs/` alike, relative URLs do not.
      const path = new URL(c.req.url).pathname;
      const html = loaded ? swaggerHtml(path) : fallbackHtml(openapi(), path);
      const etag = `"docs.${hashText(html)}"`;
      docsPageHeaders(c);
      return sendStatic(c, etag, "text/html; charset=utf-8", html, 300);
    });
    app.get(`${mount}/:file{[A-Za-z0-9._-]+}`, async (c) => {
      const file = (await loadAssets())?.get(c.req.param("file"));
      if (!file) {
        throw new ApiError(404, "not found", { explanation: "no such documentation file" });
      }
      return sendStatic(c, file.etag, file.type, file.body, 86400);
    });
  }
}
