/**
 * Swagger UI's files, imported as text so they are part of the module graph: bundled on
 * Deno Deploy, served offline, no CDN. Loaded lazily by {@link ./docs.ts} (dynamic import), so
 * processes that never serve `/docs` never hold them.
 *
 * @module
 */
import bundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };
import css from "swagger-ui-dist/swagger-ui.css" with { type: "text" };

/** The swagger-ui-dist version these files come from (keep in step with deno.json). */
export const SWAGGER_UI_VERSION = "5.35.0";

/** Asset files by name, with their content type. */
export const SWAGGER_UI_FILES: Readonly<Record<string, { type: string; body: string }>> = {
  "swagger-ui-bundle.js": { type: "text/javascript; charset=utf-8", body: bundle },
  "swagger-ui.css": { type: "text/css; charset=utf-8", body: css },
};
