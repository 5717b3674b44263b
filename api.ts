/**
 * The read API: the original RCPCH NHS Organisations routes and shapes, served from KV through a
 * per-data-version snapshot cache, with Django REST framework's edges (its error bodies, `.json`
 * suffixes and `?format=json`, the JSON API root at `/` for API clients). Route wiring only; the
 * logic lives in `lib/api/`.
 *
 * @module
 */
import { nosniff } from "./lib/api/security.ts";
import { Hono, type MiddlewareHandler } from "hono";
import type { Config } from "./lib/config.ts";
import { log } from "./lib/log.ts";
import { AnswerCache } from "./lib/api/answers.ts";
import type { OffThread } from "./lib/api/off_thread.ts";
import { apiKeyAuth } from "./lib/api/auth.ts";
import { readCors } from "./lib/api/cors.ts";
import { ensureEtag } from "./lib/api/etag.ts";
import { EXPOSED_HEADERS, fastPath, warmFastPath } from "./lib/api/fast_path.ts";
import { registerDocs } from "./lib/api/docs.ts";
import { GEOGRAPHY_PATHS } from "./lib/api/geo_openapi.ts";
import { GEOGRAPHY_ROUTE_PATHS, registerGeographyRoutes } from "./lib/api/geography_routes.ts";
import { ApiError, methodNotAllowed, onApiError } from "./lib/api/errors.ts";
import { withoutFormat } from "./lib/api/format.ts";
import { type ReadDeps, readHandler } from "./lib/api/handlers.ts";
import { PracticeCache } from "./lib/api/practice_cache.ts";
import { PRACTICE_PATHS } from "./lib/api/practice_openapi.ts";
import { registerPracticeRoutes } from "./lib/api/practice_routes.ts";
import { registerHealth } from "./lib/api/health.ts";
import {
  buildOpenApi,
  forwardedPrefix,
  type JsonObject,
  registerSchema,
} from "./lib/api/openapi.ts";
import { apiRoot, prefersJson } from "./lib/api/root.ts";
import { requestLog } from "./lib/api/request_log.ts";
import { honoPath, ROUTES } from "./lib/api/routes.ts";
import { SnapshotCache } from "./lib/api/snapshot.ts";
import type { Store } from "./lib/store.ts";
import { registerUi } from "./lib/ui/routes.tsx";

/** What {@linkcode createApp} needs. */
export interface AppDeps {
  store: Store;
  /** `ods`: the FHIR settings of `/postcodes/{postcode}/` (without them it answers 503). */
  config: Pick<Config, "apiKeys" | "adminToken"> & Partial<Pick<Config, "trustProxy" | "ods">>;
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
  /**
   * The least time between two read-snapshot builds while the previous one may still be served
   * (default 0; the service uses `API_REBUILD_INTERVAL_MS`): a sync applying hundreds of
   * records in dozens of commits then costs a few builds, not one per commit.
   */
  rebuildIntervalMs?: number;
  /**
   * The most bytes the prepared answers of queried routes may hold (default 32 MiB; see
   * lib/api/answers.ts).
   */
  answerBudgetBytes?: number;
  /**
   * Builds long filtered, ordered or sparse lists off the request thread (the service passes
   * one; without it they are built on the request thread). See lib/api/off_thread.ts.
   */
  offThread?: OffThread;
  /** Answer plain list and detail GETs without routing (default true; tests compare both). */
  fastPath?: boolean;
  /**
   * Serve GP practices (`SYNC_GP_PRACTICES`, default true); false answers their routes with a
   * 404 and leaves them out of `/schema/`.
   */
  gpPractices?: boolean;
  /** Build the read snapshot right away instead of on the first request (the service does). */
  warm?: boolean;
}

/** The one route the admin token opens (its handler checks the token; API keys don't open it). */
export const SYNC_RUN_PATH = "/sync/run";

/** Paths that never need an API key. */
export function isPublicPath(path: string): boolean {
  return /^\/(?:health|schema|docs|swagger-ui)(?:\/|$)/.test(path);
}

/**
 * `GET /` for API clients (a request preferring JSON): DRF's API root, after the API-key check.
 * Anything else goes on to the status page. Registered before the web pages.
 */
function registerApiRoot(
  app: Hono,
  keyCheck: ReturnType<typeof apiKeyAuth>,
  trustProxy: boolean,
): void {
  let body: { base: string; json: string } | null = null;
  app.get("/", async (c, next) => {
    c.header("Vary", "Accept");
    if (!prefersJson(c.req.header("Accept"))) return await next();
    await keyCheck(c, () => Promise.resolve());
    const url = new URL(c.req.url);
    const base = `${url.origin}${forwardedPrefix(c.req.header("X-Forwarded-Prefix"), trustProxy)}`;
    if (body?.base !== base) body = { base, json: JSON.stringify(apiRoot(base, ROUTES)) };
    c.header("Content-Type", "application/json");
    return c.body(body.json, 200);
  });
}

const READ_METHODS = "GET, HEAD, OPTIONS";
const READ_METHOD_LIST = READ_METHODS.split(", ");

/**
 * A `?format=` left in the query is one this service does not serve: 404, as in DRF (which
 * ignores an empty one).
 */
const unservedFormat: MiddlewareHandler = async (c, next) => {
  const format = c.req.query("format");
  if (format !== undefined && format !== "") {
    throw new ApiError(404, "not found", { explanation: "only format=json is served" });
  }
  await next();
};

/** The read routes, and DRF's 405 for the other methods on them and the service's paths. */
function registerReadRoutes(app: Hono, readDeps: ReadDeps): void {
  const paths = new Set([
    "/",
    "/health",
    "/schema",
    "/docs",
    "/swagger-ui",
    ...GEOGRAPHY_ROUTE_PATHS,
  ]);
  for (const route of ROUTES) {
    const path = honoPath(route.path);
    paths.add(path);
    app.get(path, readHandler(route, readDeps));
  }
  for (const path of paths) {
    // Every other method (POST, DELETE, TRACE, PROPFIND, ...) is a 405 naming the allowed ones.
    app.all(path, (c, next) => {
      if (READ_METHOD_LIST.includes(c.req.method)) return next();
      c.header("Allow", READ_METHODS);
      throw new ApiError(
        405,
        "method not allowed",
        { allowed: READ_METHODS },
        methodNotAllowed(c.req.method),
      );
    });
  }
}

/**
 * Put the fast path in front of `app` (plain list and detail GETs skip routing and middleware,
 * with the same answers; see fast_path.ts), and DRF's format overrides in front of both
 * (`/organisations.json`, `?format=json` are served as the plain path asking for JSON).
 */
function frontFetch(
  app: Hono,
  cache: SnapshotCache,
  answers: AnswerCache,
  practices: PracticeCache | undefined,
  options: { fast: boolean; warm: boolean },
) {
  if (options.fast) {
    const fast = fastPath(cache, answers, practices);
    if (options.warm) {
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
  const serve = app.fetch;
  app.fetch = (req, ...rest) => {
    const plain = withoutFormat(req);
    return plain.method === "HEAD" ? headAnswer(serve, plain, rest) : serve(plain, ...rest);
  };
}

/**
 * A HEAD answer: the GET answer's status and headers, its real `Content-Length`, no body.
 * (Answering HEAD through the GET handlers, the server would send `Content-Length: 0`.)
 */
async function headAnswer(
  serve: Hono["fetch"],
  req: Request,
  rest: Parameters<Hono["fetch"]> extends [Request, ...infer R] ? R : never,
): Promise<Response> {
  const res = await serve(new Request(req.url, { method: "GET", headers: req.headers }), ...rest);
  const length = res.body ? (await res.arrayBuffer()).byteLength : 0;
  const headers = new Headers(res.headers);
  if (res.status !== 304) headers.set("content-length", String(length));
  return new Response(null, { status: res.status, headers });
}

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
  const cache = new SnapshotCache(store, {
    maxAgeMs: deps.cacheMaxAgeMs,
    minRebuildIntervalMs: deps.rebuildIntervalMs,
  });
  const answers = new AnswerCache({ budgetBytes: deps.answerBudgetBytes });
  let doc: JsonObject | null = null;
  const openapi = () =>
    doc ??= buildOpenApi(ROUTES, {
      auth: config.apiKeys.length > 0,
      extraPaths: {
        ...GEOGRAPHY_PATHS,
        ...(deps.gpPractices === false ? {} : PRACTICE_PATHS),
        ...deps.extraPaths,
      },
    });

  app.onError(onApiError);
  app.notFound(() => {
    throw new ApiError(404, "not found", { explanation: "no such route" });
  });

  app.use("*", requestLog());
  app.use("*", nosniff());
  app.use(
    "*",
    readCors({
      allowMethods: ["GET", "HEAD", "OPTIONS"],
      allowHeaders: ["Ocp-Apim-Subscription-Key", "Authorization", "If-None-Match"],
      exposeHeaders: EXPOSED_HEADERS.split(", "),
      maxAge: 86400,
    }),
  );
  // Separate roles: API keys read (API and web pages); the admin token only starts sync runs,
  // and `POST /sync/run` checks it itself. A deployment wanting one secret for both lists it in
  // API_KEYS too.
  const keys = config.apiKeys;
  const keyCheck = apiKeyAuth(keys, (path) => isPublicPath(path) || path === SYNC_RUN_PATH);
  // `GET /` negotiates: API clients get DRF's API root, browsers the status page below.
  registerApiRoot(app, keyCheck, !!config.trustProxy);
  // ---- Web pages (lib/ui/): `/` and `/ui/…`. Before the API-key check: they check the same
  // keys themselves and also accept the session cookie of their sign-in form. ----
  registerUi(app, { store, cache, keys, now });
  // ---- end of web pages ----
  app.use("*", keyCheck);
  app.use("*", unservedFormat);
  app.use("*", ensureEtag());

  // ---- Extra routes (sync engineer: /sync/status, /sync/runs, /sync/review, ...) ----
  deps.extraRoutes?.(app);
  // ---- end of extra routes ----

  // Postcode geography and `/organisations/within_radius/` (before the read routes, which
  // would take `within_radius` for an ODS code).
  registerGeographyRoutes(app, { store, cache, ods: config.ods, now });
  // GP practices, from their own cache (loaded on their first request).
  const practices = new PracticeCache(store, { maxAgeMs: deps.cacheMaxAgeMs });
  registerPracticeRoutes(app, { cache: practices, enabled: deps.gpPractices });

  registerHealth(app, store, now, () => answers.stats());
  registerSchema(app, openapi, { trustProxy: config.trustProxy });
  registerDocs(app, openapi);

  registerReadRoutes(app, { cache, store, answers, offThread: deps.offThread });
  // The fast path only without API keys: with keys every request goes through the key check.
  frontFetch(app, cache, answers, deps.gpPractices === false ? undefined : practices, {
    fast: !config.apiKeys.length && deps.fastPath !== false,
    warm: deps.warm ?? false,
  });
  return app;
}
