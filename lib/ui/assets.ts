/**
 * The web pages' static files under `/ui/assets/`: the NHS.UK frontend stylesheet (made
 * self-contained: no web font, icon URLs relative to the stylesheet), the icons it uses, and
 * this service's own small stylesheet. No JavaScript is served: every page works without it.
 *
 * These files need no key: they are public npm content and the sign-in page needs them.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { etagMatches, hashText } from "../api/http.ts";

/** A served file: content type, body and ETag. */
export interface Asset {
  type: string;
  body: string;
  etag: string;
}

/**
 * Make the published nhsuk-frontend CSS self-contained: drop the `@font-face` rules (Frutiger is
 * licensed for nhs.uk only and would load from the NHS CDN; the font stack falls back to Arial
 * and the system sans-serif), point `/assets/images/…` at `images/…` next to the stylesheet,
 * and drop the source map comment (the map is not served).
 */
export function selfContainedCss(css: string): string {
  return css
    .replace(/@font-face\s*\{[^}]*\}/g, "")
    .replace(/url\((["']?)\/assets\/images\//g, "url($1images/")
    .replace(/\/\*#\s*sourceMappingURL=[^*]*\*\//g, "");
}

/** This service's own styles: the change timeline, the chart, code blocks and wide tables. */
export const APP_CSS = `/* RCPCH NHS Organisations: additions to the NHS.UK frontend styles. */
.app-table-wrap { overflow-x: auto; margin-bottom: 24px; }
.app-table-wrap .nhsuk-table { margin-bottom: 0; }
.app-chart { display: block; width: 100%; height: auto; max-width: 960px; }
.app-figure { margin: 0 0 24px; }
.app-figure figcaption { color: #4c6272; font-size: 16px; margin-top: 8px; }
.app-code { display: block; overflow-x: auto; white-space: pre; padding: 8px 12px;
  background: #f0f4f5; border-left: 4px solid #005eb8; font-size: 16px; margin: 0 0 8px; }
.app-muted { color: #4c6272; }
.app-nowrap { white-space: nowrap; }
.app-stat { font-size: 36px; font-weight: 600; line-height: 1.1; margin: 0 0 8px; }
.app-timeline { list-style: none; margin: 0 0 24px; padding: 0 0 0 24px;
  border-left: 4px solid #005eb8; }
.app-timeline__item { position: relative; margin: 0 0 24px; }
.app-timeline__item::before { content: ""; position: absolute; left: -34px; top: 6px;
  width: 16px; height: 16px; border-radius: 50%; background: #ffffff;
  border: 4px solid #005eb8; }
.app-timeline__heading { margin: 0 0 4px; font-size: 19px; font-weight: 600; }
.app-filters .nhsuk-form-group { margin-bottom: 16px; }
.app-filters .nhsuk-select { width: 100%; max-width: 100%; }
.app-sign-out { display: inline; margin: 0; }
.app-sign-out .nhsuk-button { margin: 0; }
dl.app-facts { margin: 0 0 16px; }
`;

let files: Promise<ReadonlyMap<string, Asset>> | null = null;

/** Load the files once, with their ETags. */
export function loadAssets(): Promise<ReadonlyMap<string, Asset>> {
  files ??= import("./asset_files.ts").then((m) => {
    const out = new Map<string, Asset>();
    const add = (name: string, type: string, body: string) =>
      out.set(name, { type, body, etag: `"ui-${m.NHSUK_FRONTEND_VERSION}.${hashText(body)}"` });
    add("nhsuk-frontend.css", "text/css; charset=utf-8", selfContainedCss(m.NHSUK_CSS));
    add("app.css", "text/css; charset=utf-8", APP_CSS);
    for (const [name, svg] of Object.entries(m.NHSUK_IMAGES)) {
      add(`images/${name}`, "image/svg+xml", svg);
    }
    return out;
  });
  return files;
}

function send(c: Context, asset: Asset): Response {
  c.header("ETag", asset.etag);
  c.header("Cache-Control", "public, max-age=86400");
  c.header("X-Content-Type-Options", "nosniff");
  if (etagMatches(c.req.header("If-None-Match"), asset.etag)) return c.body(null, 304);
  c.header("Content-Type", asset.type);
  return c.body(asset.body, 200);
}

/** Add `GET /ui/assets/<file>` and `/ui/assets/images/<file>` to `app`. */
export function registerAssets(app: Hono): void {
  const serve = (name: string) => async (c: Context) => {
    const asset = (await loadAssets()).get(name);
    return asset ? send(c, asset) : c.text("not found", 404);
  };
  app.get("/ui/assets/:file{[a-z0-9.-]+}", (c) => serve(c.req.param("file"))(c));
  app.get("/ui/assets/images/:file{[a-z0-9.-]+}", (c) => serve(`images/${c.req.param("file")}`)(c));
}
