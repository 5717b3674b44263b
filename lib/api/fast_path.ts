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
import { logRequest } from "../log.ts";
import { etagMatches } from "./http.ts";
import { pathOf } from "./request_log.ts";
import { honoPath, ROUTES } from "./routes.ts";
import type { Snapshot, SnapshotCache } from "./snapshot.ts";

/** What one path answers. */
interface Entry {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  route: string;
}

/** The exposed headers, as the CORS middleware sends them. */
export const EXPOSED_HEADERS = "ETag, X-Data-Version";

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
    for (const p of [path, path.replace(/\/$/, "")]) if (!paths!.has(p)) paths!.set(p, entry);
  };
  for (const route of ROUTES) {
    if (!route.view) continue;
    const view = snap.view(route.view);
    const hono = honoPath(route.path);
    if (route.mode === "list") {
      claim(route.path, { body: view.body, etag: view.etag, route: hono });
    } else if (route.mode === "detail") {
      const [prefix, suffix] = route.path.split(/\{[a-z_]+\}/);
      for (const [code, item] of view.byCode) {
        claim(`${prefix}${code}${suffix}`, { body: item.body, etag: item.etag, route: hono });
      }
    }
  }
  tables.set(snap, paths);
  return paths;
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
    const headers: Record<string, string> = {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": EXPOSED_HEADERS,
      "ETag": entry.etag,
      "Cache-Control": "no-cache",
      "X-Data-Version": snap.version,
    };
    let res: Response;
    if (etagMatches(req.headers.get("If-None-Match"), entry.etag)) {
      res = new Response(null, { status: 304, headers });
    } else {
      headers["Content-Type"] = "application/json";
      res = new Response(entry.body, { status: 200, headers });
    }
    logRequest(
      "GET",
      path.length > 200 ? `${path.slice(0, 200)}…` : path,
      entry.route,
      res.status,
      Math.round((performance.now() - start) * 100) / 100,
    );
    return res;
  };
  return (req) => {
    if (req.method !== "GET") return null;
    const url = req.url;
    if (url.includes("?")) return null;
    const start = performance.now();
    const path = pathOf(url);
    const fresh = cache.peek();
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
