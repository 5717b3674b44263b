/**
 * The read API: the original RCPCH NHS Organisations routes and shapes, served from KV through a
 * per-data-version snapshot cache. Route wiring only; the logic lives in `lib/api/`.
 *
 * @module
 */
import { Hono } from "hono";
import type { Config } from "./lib/config.ts";
import { log } from "./lib/log.ts";
import { apiKeyAuth } from "./lib/api/auth.ts";
import { readCors } from "./lib/api/cors.ts";
import { ensureEtag } from "./lib/api/etag.ts";
import { EXPOSED_HEADERS, fastPath, warmFastPath } from "./lib/api/fast_path.ts";
import { registerDocs } from "./lib/api/docs.ts";
import { ApiError, onApiError } from "./lib/api/errors.ts";
import { readHandler } from "./lib/api/handlers.ts";
import { registerHealth } from "./lib/api/health.ts";
import { buildOpenApi, type JsonObject, registerSchema } from "./lib/api/openapi.ts";
import { requestLog } from "./lib/api/request_log.ts";
import { honoPath, ROUTES } from "./lib/api/routes.ts";
import { SnapshotCache } from "./lib/api/snapshot.ts";
import type { Store } from "./lib/store.ts";
import { registerUi } from "./lib/ui/routes.tsx";

/** What {@linkcode createApp} needs. */
export interface AppDeps {
  store: Store;
  config: Pick<Config, "apiKeys" | "adminToken">;
  /** Clock (for `/health`); defaults to the system clock. */
  now?: () => Date;
  /**
   * Routes added by other modules (the sync's `/sync/…`). They are registered after the
   * logging, CORS, API-key and ETag middlewares and before the read routes, so they are
   * protected like them and may take over a path (e.g. `/health`).
   */
  extraRoutes?: (app: Hono) => void;
  /** OpenAPI path items for the extra routes, published in `/schema/`. */
  extraPaths?: Readonly<Record<string, JsonObject>>;
  /**
   * How long the read cache trusts a data version before reading it from KV again (default
   * 1000 ms): writes by other processes or instances show within this time; this process's own
   * writes show at once. `0` reads the version on every request.
   */
  cacheMaxAgeMs?: number;
  /** Answer plain list and detail GETs without routing (default true; tests compare both). */
  fastPath?: boolean;
  /** Build the read snapshot right away instead of on the first request (the service does). */
  warm?: boolean;
}

/** Paths that never need an API key. */
export function isPublicPath(path: string): boolean {
  return /^\/(?:health|schema|docs)(?:\/|$)/.test(path);
}

const READ_METHODS = "GET, HEAD, OPTIONS";
const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"];

/**
 * Build the API.
 *
 * @example
 * ```ts
 * const app = createApp({ store, config: { apiKeys: [], adminToken: null } });
 * Deno.serve(app.fetch);
 * ```
 */
export function createApp(deps: AppDeps): Hono {
  const { store, config } = deps;
  const now = deps.now ?? (() => new Date());
  const app = new Hono({ strict: false });
  const cache = new SnapshotCache(store, { maxAgeMs: deps.cacheMaxAgeMs });
  let doc: JsonObject | null = null;
  const openapi = () =>
    doc ??= buildOpenApi(ROUTES, { auth: config.apiKeys.length > 0, extraPaths: deps.extraPaths });

  app.onError(onApiError);
  app.notFound(() => {
    throw new ApiError(404, "not found", "no such route");
  });

  app.use("*", requestLog());
  app.use(
    "*",
    readCors({
      allowMethods: ["GET", "HEAD", "OPTIONS"],
      allowHeaders: ["Ocp-Apim-Subscription-Key", "Authorization", "If-None-Match"],
      exposeHeaders: EXPOSED_HEADERS.split(", "),
      maxAge: 86400,
    }),
  );
  const keys = config.adminToken ? [...config.apiKeys, config.adminToken] : config.apiKeys;
  // ---- Web pages (lib/ui/): `/` and `/ui/…`. Before the API-key check: they check the same
  // keys themselves and also accept the session cookie of their sign-in form. ----
  registerUi(app, { store, cache, keys: config.apiKeys.length ? keys : [], now });
  // ---- end of web pages ----
  app.use("*", apiKeyAuth(config.apiKeys.length ? keys : [], isPublicPath));
  app.use("*", ensureEtag());

  // ---- Extra routes (sync engineer: /sync/status, /sync/runs, /sync/review, ...) ----
  deps.extraRoutes?.(app);
  // ---- end of extra routes ----

  registerHealth(app, store, now);
  registerSchema(app, openapi);
  registerDocs(app, openapi);

  const readDeps = { cache, store };
  const paths = new Set(["/health", "/schema", "/docs"]);
  for (const route of ROUTES) {
    const path = honoPath(route.path);
    paths.add(path);
    app.get(path, readHandler(route, readDeps));
  }
  for (const path of paths) {
    app.on(WRITE_METHODS, path, (c) => {
      c.header("Allow", READ_METHODS);
      throw new ApiError(405, "method not allowed", `allowed: ${READ_METHODS}`);
    });
  }
  // Plain list and detail GETs skip routing and middleware (same answers; see fast_path.ts).
  // Only without API keys: with keys every request goes through the key check.
  if (!config.apiKeys.length && deps.fastPath !== false) {
    const fast = fastPath(cache);
    if (deps.warm) {
      warmFastPath(cache).catch((err) =>
        log("warn", "snapshot warm-up failed", { error: String(err) })
      );
    }
    const viaApp = app.fetch;
    app.fetch = (req, ...rest) => {
      const answer = fast(req);
      if (answer === null) return viaApp(req, ...rest);
      if (answer instanceof Response) return answer;
      return answer.then((res) => res ?? viaApp(req, ...rest));
    };
  }
  return app;
}
