/**
 * The fast path of the read API: a plain `GET` of a list or detail route (no query string, the
 * canonical code) is answered straight from the snapshot's pre-built bytes, without routing or
 * middleware. Everything else — queries, lower-case codes, unknown paths, other methods, API
 * keys — goes through the Hono app as usual.
 *
 * The answers are the same as the app's: same body, status, ETag and `304`, validators, CORS
 * headers and request log line (a test compares them). It is what lets the service serve close
 * to the runtime's own ceiling.
 *
 * @module
 */
import { NOSNIFF } from "./security.ts";
import { logPrepared, RequestLine } from "../log.ts";
import { acceptsGzip, compressible, gzipEtag, gzipped } from "./compress.ts";
import { etagMatches } from "./http.ts";
import { pathOf } from "./request_log.ts";
import { honoPath, ROUTES } from "./routes.ts";
import type { BuiltView, Snapshot, SnapshotCache } from "./snapshot.ts";

/** What one path answers. */
interface Entry {
  body: string;
  etag: string;
  route: string;
  /** A list sent gzip-compressed to clients that take it (see compress.ts). */
  gzip?: BuiltView;
  /** Its request log lines for 200 and 304, made on first use. */
  log?: { ok: RequestLine; notModified: RequestLine };
}

/** The longest path logged as it is; longer ones are cut (as the request log middleware does). */
const MAX_LOGGED_PATH = 200;

/** The exposed headers, as the CORS middleware sends them. */
export const EXPOSED_HEADERS = "ETag, X-Data-Version, X-As-Of";

const tables = new WeakMap<Snapshot, Map<string, Entry>>();

/**
 * Every plain list and detail path of `snap`, both with and without the trailing slash. Routes
 * are claimed in table order, as the app matches them (`/organisations/limited/` before
 * `/organisations/{ods_code}/`).
 */
function table(snap: Snapshot): Map<string, Entry> {
  let paths = tables.get(snap);
  if (paths) return paths;
  paths = new Map();
  const claim = (path: string, entry: Entry) => {
    for (const p of [path, path.replace(/\/$/, "")]) {
      if (!paths!.has(p)) paths!.set(p, { ...entry });
    }
  };
  for (const route of ROUTES) {
    if (!route.view) continue;
    const view = snap.view(route.view);
    const hono = honoPath(route.path);
    if (route.mode === "list") {
      const gzip = compressible(view) ? view : undefined;
      claim(route.path, { body: view.json, etag: view.etag, route: hono, gzip });
    } else if (route.mode === "detail") {
      const [prefix, suffix] = route.path.split(/\{[a-z_]+\}/);
      for (const [code, item] of view.byCode) {
        claim(`${prefix}${code}${suffix}`, { body: item.json, etag: item.etag, route: hono });
      }
    }
  }
  tables.set(snap, paths);
  return paths;
}

function logLines(path: string, route: string): NonNullable<Entry["log"]> {
  const logged = path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path;
  return {
    ok: new RequestLine("GET", logged, route, 200),
    notModified: new RequestLine("GET", logged, route, 304),
  };
}

/** The fast path's answer: a response, `null` (let the app answer), or one to come. */
export type FastAnswer = Response | null | Promise<Response | null>;

/**
 * A handler answering plain list and detail `GET`s from `cache`, or `null` for anything it
 * doesn't serve (the caller then passes the request to the app). While the snapshot is known
 * fresh it answers synchronously, which Deno serves fastest.
 */
export function fastPath(cache: SnapshotCache): (req: Request) => FastAnswer {
  const answer = (req: Request, snap: Snapshot, path: string, start: number) => {
    const entry = table(snap).get(path);
    if (!entry) return null;
    // Lower-case names: they are sent lower-case anyway, and Deno checks them faster.
    const headers: Record<string, string> = {
      "access-control-allow-origin": "*",
      "access-control-expose-headers": EXPOSED_HEADERS,
      "etag": entry.etag,
      "cache-control": "no-cache",
      "x-data-version": snap.version,
      [NOSNIFF.name]: NOSNIFF.value,
    };
    const log = entry.log ??= logLines(path, entry.route);
    let body: string | Uint8Array<ArrayBuffer> = entry.body;
    if (entry.gzip) {
      headers["vary"] = "Accept-Encoding";
      if (acceptsGzip(req.headers.get("accept-encoding"))) {
        headers["etag"] = gzipEtag(entry.etag);
        headers["content-encoding"] = "gzip";
        body = gzipped(entry.gzip);
      }
    }
    let res: Response;
    if (etagMatches(req.headers.get("if-none-match"), headers["etag"])) {
      delete headers["content-encoding"];
      res = new Response(null, { status: 304, headers });
      logPrepared(log.notModified, performance.now() - start);
    } else {
      headers["content-type"] = "application/json";
      res = new Response(body, { status: 200, headers });
      logPrepared(log.ok, performance.now() - start);
    }
    return res;
  };
  return (req) => {
    if (req.method !== "GET") return null;
    const url = req.url;
    if (url.includes("?")) return null;
    const start = performance.now();
    const path = pathOf(url);
    const fresh = cache.peek(start);
    if (fresh) return answer(req, fresh, path, start);
    return cache.current().then(
      (snap) => answer(req, snap, path, start),
      () => null, // the app answers with its JSON error
    );
  };
}

/** Build the snapshot and its path table now (at start-up), so the first request doesn't wait. */
export async function warmFastPath(cache: SnapshotCache): Promise<void> {
  table(await cache.current());
}
