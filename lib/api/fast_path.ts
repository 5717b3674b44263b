/**
 * The fast path of the read API: a plain `GET` of a list or detail route (no query string, the
 * canonical code) is answered straight from the snapshot's pre-built bytes, without routing or
 * middleware, and so is a repeated query (filters, `fields`, `ordering`, `as_of`, a lower-case
 * code) whose answer the app has prepared for the same request target (answers.ts).
 * Everything else — first queries, unknown paths, other methods, API keys — goes through the
 * Hono app as usual.
 *
 * The answers are the same as the app's: same body, status, ETag and `304`, validators, CORS
 * headers and request log line (a test compares them). It is what lets the service serve close
 * to the runtime's own ceiling.
 *
 * @module
 */
import { NOSNIFF } from "./security.ts";
import { logPrepared, RequestLine } from "../log.ts";
import type { AnswerCache } from "./answers.ts";
import {
  acceptsGzip,
  bytesBody,
  compressible,
  gzipEtag,
  gzipped,
  MIN_GZIP_BYTES,
} from "./compress.ts";
import { etagMatches } from "./http.ts";
import { pathOf, targetOf } from "./request_log.ts";
import { honoPath, ROUTES } from "./routes.ts";
import type { BuiltView, Snapshot, SnapshotCache } from "./snapshot.ts";
import type { PracticeCache } from "./practice_cache.ts";
import type { PracticeSnapshot } from "./practice_snapshot.ts";

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
export const EXPOSED_HEADERS = "ETag, X-Data-Version, X-As-Of, X-Postcode-Stale";

/** A list or detail route the fast path serves, split around its code placeholder. */
interface Servable {
  route: (typeof ROUTES)[number];
  hono: string;
  /** The whole path of a list; the part before the code of a detail. */
  prefix: string;
  /** The part after the code of a detail; `null` for a list. */
  suffix: string | null;
}

/** Every list and detail route, in the app's matching order. */
const SERVABLE: readonly Servable[] = ROUTES.flatMap((route): Servable[] => {
  if (!route.view || (route.mode !== "list" && route.mode !== "detail")) return [];
  const hono = honoPath(route.path);
  if (route.mode === "list") return [{ route, hono, prefix: route.path, suffix: null }];
  const [prefix, suffix] = route.path.split(/\{[a-z_]+\}/);
  return [{ route, hono, prefix, suffix }];
});

/**
 * What `path` (with its trailing slash) answers in `snap`, or `undefined`: the first route, in
 * matching order, with an item under that path. Only the view it needs is built.
 */
function resolve(snap: Snapshot, path: string): Entry | undefined {
  for (const { route, hono, prefix, suffix } of SERVABLE) {
    if (suffix === null) {
      if (path !== prefix) continue;
      const view = snap.view(route.view!);
      const gzip = compressible(view) ? view : undefined;
      return { body: view.json, etag: view.etag, route: hono, gzip };
    }
    if (!path.startsWith(prefix) || !path.endsWith(suffix)) continue;
    const code = path.slice(prefix.length, path.length - suffix.length);
    if (!code || code.includes("/")) continue;
    const item = snap.view(route.view!).byCode.get(code);
    if (item) return { body: item.json, etag: item.etag, route: hono };
  }
  return undefined;
}

const tables = new WeakMap<Snapshot, Map<string, Entry>>();

/**
 * The answer of a plain list or detail path in `snap`, with or without its trailing slash,
 * resolved on first use and kept with the snapshot (only paths that answer are kept).
 */
function lookupPath(snap: Snapshot, path: string): Entry | undefined {
  let paths = tables.get(snap);
  if (!paths) tables.set(snap, paths = new Map());
  let entry = paths.get(path);
  if (!entry) {
    entry = resolve(snap, path.endsWith("/") ? path : `${path}/`);
    if (entry) paths.set(path, entry);
  }
  return entry;
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

/** What one response is made of. */
interface Prepared {
  body: string;
  etag: string;
  /** gzip bytes to send to clients that take them, if made. */
  gzip: Uint8Array<ArrayBuffer> | undefined;
  /** Does the response say `Vary: Accept-Encoding`? */
  varies: boolean;
  asOf: string | null;
  log: NonNullable<Entry["log"]>;
}

function respond(req: Request, version: string, p: Prepared, start: number): Response {
  // Lower-case names: they are sent lower-case anyway, and Deno checks them faster.
  const headers: Record<string, string> = {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": EXPOSED_HEADERS,
    "etag": p.etag,
    "cache-control": "no-cache",
    "x-data-version": version,
    [NOSNIFF.name]: NOSNIFF.value,
  };
  if (p.asOf !== null) headers["x-as-of"] = p.asOf;
  let gzip: Uint8Array<ArrayBuffer> | undefined;
  if (p.varies) {
    headers["vary"] = "Accept-Encoding";
    if (p.gzip && acceptsGzip(req.headers.get("accept-encoding"))) {
      headers["etag"] = gzipEtag(p.etag);
      gzip = p.gzip;
    }
  }
  if (etagMatches(req.headers.get("if-none-match"), headers["etag"])) {
    logPrepared(p.log.notModified, performance.now() - start);
    return new Response(null, { status: 304, headers });
  }
  headers["content-type"] = "application/json";
  logPrepared(p.log.ok, performance.now() - start);
  if (!gzip) return new Response(p.body, { status: 200, headers });
  headers["content-encoding"] = "gzip";
  headers["content-length"] = String(gzip.length);
  return new Response(bytesBody(gzip), { status: 200, headers });
}

/** A plain list or detail of the snapshot's path table. */
function fromTable(req: Request, snap: Snapshot, path: string, start: number): Response | null {
  const entry = lookupPath(snap, path);
  if (!entry) return null;
  const log = entry.log ??= logLines(path, entry.route);
  const accepts = entry.gzip !== undefined && acceptsGzip(req.headers.get("accept-encoding"));
  const gzip = accepts ? gzipped(entry.gzip!) : undefined;
  const varies = entry.gzip !== undefined;
  const p = { body: entry.body, etag: entry.etag, gzip, varies, asOf: null, log };
  return respond(req, snap.version, p, start);
}

const answerLogs = new WeakMap<object, Map<string, NonNullable<Entry["log"]>>>();

/** The log lines of an answer (`key`) under a path, made once. */
function linesFor(key: object, path: string, route: string): NonNullable<Entry["log"]> {
  let logs = answerLogs.get(key);
  if (!logs) answerLogs.set(key, logs = new Map());
  let log = logs.get(path);
  if (!log) logs.set(path, log = logLines(path, route));
  return log;
}

/** A prepared answer the app filed under this request target (see answers.ts). */
function fromAnswers(
  req: Request,
  answers: AnswerCache,
  snap: Snapshot,
  start: number,
): Response | null {
  answers.forVersion(snap.version);
  const answer = answers.lookup(targetOf(req.url));
  if (!answer) return null;
  const log = linesFor(answer, pathOf(req.url), answer.route);
  const varies = answer.body.length >= MIN_GZIP_BYTES;
  const gzip = varies && acceptsGzip(req.headers.get("accept-encoding"))
    ? answers.gzip(answer)
    : undefined;
  const p = { body: answer.body, etag: answer.etag, gzip, varies, asOf: answer.asOf, log };
  return respond(req, snap.version, p, start);
}

const PRACTICES = "/general_practices";

const practiceDetails = new WeakMap<PracticeSnapshot, Map<string, PracticeDetail>>();

/** A practice's answer: its JSON, ETag and log lines (made once per snapshot and path). */
interface PracticeDetail {
  json: string;
  etag: string;
  log: NonNullable<Entry["log"]>;
}

/** The answer of a practice's detail path in `snap` (its canonical code), or `undefined`. */
function practiceDetail(snap: PracticeSnapshot, path: string): PracticeDetail | undefined {
  let paths = practiceDetails.get(snap);
  if (!paths) practiceDetails.set(snap, paths = new Map());
  let detail = paths.get(path);
  if (detail) return detail;
  const code = /^\/general_practices\/([^/]+)\/?$/.exec(path)?.[1];
  const row = code === undefined ? undefined : snap.byCode.get(code);
  if (!row) return undefined;
  const log = logLines(path, `${PRACTICES}/:ods_code`);
  detail = { json: row.json, etag: snap.etag(code!), log };
  paths.set(path, detail);
  return detail;
}

/**
 * A GP practice answer from the practice snapshot: the plain list, a detail by its canonical
 * code, or a query the app answered for the same request target; `null` otherwise, and for a
 * long answer whose gzip bytes a client would take but are not made yet.
 */
function fromPractices(req: Request, snap: PracticeSnapshot, start: number): Response | null {
  const path = pathOf(req.url);
  let answer: { json: string; etag: string; gzipped?: Uint8Array<ArrayBuffer> } | undefined;
  if (req.url.includes("?")) answer = snap.answerFor(targetOf(req.url));
  else if (path === PRACTICES || path === `${PRACTICES}/`) answer = snap.list();
  else {
    const detail = practiceDetail(snap, path);
    if (!detail) return null;
    const { json, etag, log } = detail;
    const p = { body: json, etag, gzip: undefined, varies: false, asOf: null, log };
    return respond(req, snap.version, p, start);
  }
  if (!answer) return null;
  const varies = answer.json.length >= MIN_GZIP_BYTES;
  const wantsGzip = varies && acceptsGzip(req.headers.get("accept-encoding"));
  if (wantsGzip && !answer.gzipped) return null;
  const log = linesFor(answer, path, PRACTICES);
  const p = { body: answer.json, etag: answer.etag, gzip: answer.gzipped, varies, asOf: null, log };
  return respond(req, snap.version, p, start);
}

/**
 * A handler answering plain list and detail `GET`s from `cache`, repeated queries from
 * `answers` by their request target, and GP practices from `practices`, or `null` for anything
 * it doesn't serve (the caller then passes the request to the app). While the snapshot is
 * known fresh it answers synchronously, which Deno serves fastest.
 */
export function fastPath(
  cache: SnapshotCache,
  answers: AnswerCache,
  practices?: PracticeCache,
): (req: Request) => FastAnswer {
  const answer = (req: Request, snap: Snapshot, start: number) => {
    const url = req.url;
    if (!url.includes("?")) {
      const res = fromTable(req, snap, pathOf(url), start);
      if (res) return res;
    }
    return fromAnswers(req, answers, snap, start);
  };
  return (req) => {
    if (req.method !== "GET") return null;
    const start = performance.now();
    if (pathOf(req.url).startsWith(PRACTICES)) {
      const snap = practices?.peek(start);
      return snap ? fromPractices(req, snap, start) : null;
    }
    const fresh = cache.peek(start);
    if (fresh) return answer(req, fresh, start);
    return cache.current().then(
      (snap) => answer(req, snap, start),
      () => null, // the app answers with its JSON error
    );
  };
}

/** Build the snapshot and its views now (at start-up), so the first request doesn't wait. */
export async function warmFastPath(cache: SnapshotCache): Promise<void> {
  const snap = await cache.current();
  for (const { route } of SERVABLE) snap.view(route.view!);
}
