/**
 * Request handlers of the read routes: parse and validate the request first (so bad input is a
 * 400 whatever the cache holds), then answer from the snapshot of the current data version,
 * with a strong ETag and `304` on a matching `If-None-Match`.
 *
 * Unfiltered lists and plain details are served from the snapshot's pre-serialized JSON; only
 * filtered, ordered or projected responses are serialized per request.
 *
 * @module
 */
import type { Context, Handler } from "hono";
import { ukDate } from "../dates.ts";
import type { Kind, OdsFacts, Organisation } from "../model.ts";
import type { Store } from "../store.ts";
import { AS_OF_HEADER, parseAsOf } from "./as_of.ts";
import { CODE_PARAMS, codeFromPath } from "./codes.ts";
import type { AnswerCache } from "./answers.ts";
import { targetOf } from "./request_log.ts";
import { nextTurn } from "./turns.ts";
import { listBody, type ListQuery } from "./list_body.ts";
import { OFF_THREAD_ROWS, type OffThread } from "./off_thread.ts";
import {
  acceptsGzip,
  compressible,
  gzipEtag,
  gzipped,
  MIN_GZIP_BYTES,
  sendGzip,
} from "./compress.ts";
import { ApiError } from "./errors.ts";
import { parseFields, pickedJson } from "./fields.ts";
import { standIn } from "./predecessor.ts";
import { parentTimeline } from "./timeline.ts";
import { organisation as serializeOrganisation } from "./serialize.ts";
import { parseFilters, parseOrdering } from "./filters.ts";
import { asciiJson, notModified, sendJson } from "./http.ts";
import type { RouteDef } from "./routes.ts";
import { fieldsOf } from "./schemas.ts";
import type { BuiltView, Snapshot, SnapshotCache } from "./snapshot.ts";
import { type ViewId, VIEWS } from "./views.ts";

/** What the read handlers need. */
export interface ReadDeps {
  cache: SnapshotCache;
  store: Store;
  /** Prepared answers of queried routes (shared with the fast path). */
  answers: AnswerCache;
  /** Builds long lists off the request thread (the service has one; tests mostly don't). */
  offThread?: OffThread;
}

const NO_PARAMS = new URLSearchParams();

function query(c: Context): URLSearchParams {
  const url = c.req.url;
  return url.includes("?") ? new URL(url).searchParams : NO_PARAMS;
}

function codeFrom(c: Context, entity: Kind): string {
  return codeFromPath(entity, c.req.param(CODE_PARAMS[entity].name));
}

/**
 * The snapshot a request asks for: the current one, or with `?as_of=` the state on that date
 * (named in the `X-As-Of` header). Call it after the rest of the query is validated.
 */
async function snapshotFor(
  c: Context,
  deps: ReadDeps,
  params: URLSearchParams,
): Promise<{ snap: Snapshot; current: Snapshot }> {
  const date = parseAsOf(params);
  const current = await deps.cache.current();
  if (date === null) return { snap: current, current };
  c.header(AS_OF_HEADER, date);
  return { snap: await current.asOf(date), current };
}

function notFound(entity: Kind, code: string, explanation?: string): never {
  const info: Record<string, string> = { [CODE_PARAMS[entity].name]: code };
  if (explanation) info.explanation = explanation;
  throw new ApiError(404, "not found", info);
}

/** How a prepared answer is filed and described. */
interface AnswerSpec {
  /** Its canonical key (route, code, parsed query, date), without the data version. */
  key: string;
  etag: string;
  /** May the request target lead straight to it (false when it depends on today's date)? */
  byTarget?: boolean;
}

/**
 * Answer from the prepared answer of `spec`, built by `build` and filed on first use (see
 * answers.ts): repeated queries skip the work, and the fast path serves them by their target.
 * A build waits for its own turn of the event loop (turns.ts), so a burst of uncached queries
 * never holds up the other requests; gzip is made for answers asked for again.
 */
async function prepared(
  c: Context,
  deps: ReadDeps,
  snap: Snapshot,
  spec: AnswerSpec,
  build: () => string | Promise<string>,
): Promise<Response> {
  const answers = deps.answers;
  const key = `${snap.date ?? ""}|${spec.key}`;
  answers.forVersion(snap.version);
  let answer = answers.lookup(key);
  const repeated = answer !== undefined;
  if (!answer) {
    await nextTurn();
    const body = await build();
    answers.forVersion(snap.version);
    answer = answers.lookup(key) ??
      answers.file(key, { body, etag: spec.etag, route: c.req.routePath, asOf: snap.date });
  }
  if (spec.byTarget !== false) answers.alias(targetOf(c.req.url), answer);
  let etag = answer.etag;
  let gzip: Uint8Array<ArrayBuffer> | undefined;
  if (answer.body.length >= MIN_GZIP_BYTES) {
    c.header("Vary", "Accept-Encoding");
    if (repeated && acceptsGzip(c.req.header("Accept-Encoding"))) gzip = answers.gzip(answer);
    if (gzip) etag = gzipEtag(etag);
  }
  const cached = notModified(c, etag, snap.version);
  if (cached) return cached;
  if (!gzip) return sendJson(c, answer.body);
  return sendGzip(c, gzip);
}

/** A list body: off the request thread for long views when a build worker is at hand. */
function buildList(deps: ReadDeps, built: BuiltView, q: ListQuery): string | Promise<string> {
  if (deps.offThread && built.rows.length >= OFF_THREAD_ROWS) {
    return deps.offThread.build(built.rows, q);
  }
  return listBody(built.rows, q);
}

function listHandler(route: RouteDef, view: ViewId, deps: ReadDeps): Handler {
  const def = VIEWS[view];
  const valid = fieldsOf(def.component);
  return async (c) => {
    const params = query(c);
    const filters = parseFilters(def.filters, params);
    const fields = parseFields(params, valid);
    const ordering = route.ordering ? parseOrdering(params, route.ordering) : null;
    const { snap } = await snapshotFor(c, deps, params);
    const built = snap.view(view);
    const plain = !filters.length && !fields && !ordering;
    if (plain && snap.date === null) return plainList(c, snap, built);
    const shape = plain ? "" : `|${JSON.stringify([filters, fields, ordering])}`;
    const etag = plain ? built.etag : snap.etag(`${view}|*${shape}`);
    const key = `${route.path}${shape}`;
    return prepared(
      c,
      deps,
      snap,
      { key, etag },
      () => plain ? built.json : buildList(deps, built, { filters, fields, ordering }),
    );
  };
}

/** The plain list of the current state (the fast path serves it the same way). */
function plainList(c: Context, snap: Snapshot, built: BuiltView): Response {
  if (compressible(built)) {
    c.header("Vary", "Accept-Encoding");
    if (acceptsGzip(c.req.header("Accept-Encoding"))) {
      const cached = notModified(c, gzipEtag(built.etag), snap.version);
      if (cached) return cached;
      return sendGzip(c, gzipped(built));
    }
  }
  return notModified(c, built.etag, snap.version) ?? sendJson(c, built.json);
}

function detailHandler(route: RouteDef, view: ViewId, deps: ReadDeps): Handler {
  const def = VIEWS[view];
  const valid = fieldsOf(def.component);
  return async (c) => {
    const code = codeFrom(c, def.entity);
    const params = query(c);
    const fields = parseFields(params, valid);
    const { snap, current } = await snapshotFor(c, deps, params);
    const hit = snap.view(view).byCode.get(code);
    if (!hit) notFound(def.entity, code, whyNot(def.entity, code, snap, current, def.excluded));
    if (!fields && snap.date === null) {
      return notModified(c, hit.etag, snap.version) ?? sendJson(c, hit.json);
    }
    const etag = fields ? snap.etag(`${view}|${code}|${fields.join(",")}`) : hit.etag;
    const key = `${route.path}|${code}|${fields?.join(",") ?? ""}`;
    return prepared(
      c,
      deps,
      snap,
      { key, etag },
      () => fields ? pickedJson(hit.item, fields) : hit.json,
    );
  };
}

/** Why a code with no item has none: left out of the view, or not in existence on the date. */
function whyNot(
  entity: Kind,
  code: string,
  snap: Snapshot,
  current: Snapshot,
  excluded: string | undefined,
): string | undefined {
  if (snap.data.records[entity].has(code)) return excluded;
  if (snap.date !== null && current.data.records[entity].has(code)) {
    return `it did not exist yet on ${snap.date} (as ODS dates it)`;
  }
  return undefined;
}

function siblingsHandler(view: ViewId, deps: ReadDeps): Handler {
  return async (c) => {
    const code = codeFrom(c, "organisation");
    const { snap, current } = await snapshotFor(c, deps, query(c));
    const org = snap.data.records.organisation.get(code);
    if (!org) {
      notFound("organisation", code, whyNot("organisation", code, snap, current, undefined));
    }
    const etag = snap.etag(`${view}|org|${code}`);
    return prepared(c, deps, snap, { key: `${view}|org|${code}`, etag }, () => {
      const unit = org.paediatric_diabetes_unit_code;
      const hit = unit === null ? undefined : snap.view(view).byCode.get(unit);
      return hit ? `[${hit.json}]` : "[]";
    });
  };
}

/**
 * `…/history/`: the stored record, its change log and its dated parents. With `?as_of=`, the
 * record as it was on the date (`null` when it did not exist then) and the changes committed up
 * to that UK day; the parent timeline is whole (it is dated itself).
 */
function historyHandler(entity: Kind, deps: ReadDeps): Handler {
  return async (c) => {
    const code = codeFrom(c, entity);
    const { snap, current } = await snapshotFor(c, deps, query(c));
    const cached = notModified(c, snap.etag(`history+parents|${entity}|${code}`), snap.version);
    if (cached) return cached;
    const stored = current.data.records[entity].get(code) ?? null;
    let changes = await deps.store.history(entity, code);
    if (!stored && !changes.length) notFound(entity, code);
    const record = snap === current ? stored : snap.data.records[entity].get(code) ?? null;
    if (snap.date !== null) {
      const date = snap.date;
      changes = changes.filter((e) => ukDate(new Date(e.time)) <= date);
    }
    const facts = (stored as { ods_facts?: OdsFacts | null } | null)?.ods_facts;
    return sendJson(
      c,
      asciiJson({ entity, code, record, changes, parents: parentTimeline(facts) }),
    );
  };
}

/** Every organisation the service holds or held: current ones, then deleted ones (tombstones). */
function knownOrganisations(current: Snapshot): Map<string, Organisation> {
  const known = new Map(current.data.records.organisation);
  for (const d of current.deleted) {
    if (!known.has(d.record.ods_code)) known.set(d.record.ods_code, d.record);
  }
  return known;
}

function snapshotRouteHandler(deps: ReadDeps): Handler {
  return async (c) => {
    const code = codeFrom(c, "organisation");
    const asked = parseAsOf(query(c), new Date(), "date");
    const current = await deps.cache.current();
    const date = asked ?? ukDate(new Date());
    const snap = asked === null ? current : await current.asOf(date);
    c.header(AS_OF_HEADER, date);
    const found = standIn(code, snap.data.records.organisation, knownOrganisations(current));
    if (!found) notFound("organisation", code, `no state of it or a predecessor on ${date}`);
    const etag = snap.etag(`snapshot|${code}|${asked ?? ""}`);
    // Without `?date=` the answer is today's: its target must not lead to it tomorrow.
    const spec = { key: `snapshot|${code}|${asked ?? ""}`, etag, byTarget: asked !== null };
    return prepared(c, deps, snap, spec, () => {
      const item = serializeOrganisation(snap.data, found.record);
      return asciiJson({ ...item, predecessor_ods_code: found.predecessor });
    });
  };
}

/**
 * The handler of a route.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { readHandler } from "./handlers.ts";
 * import { honoPath, ROUTES } from "./routes.ts";
 * import { AnswerCache } from "./answers.ts";
 * import { SnapshotCache } from "./snapshot.ts";
 * import { Store } from "../store.ts";
 * const store = await Store.open(":memory:");
 * const deps = { store, cache: new SnapshotCache(store), answers: new AnswerCache() };
 * const app = new Hono();
 * for (const route of ROUTES) app.get(honoPath(route.path), readHandler(route, deps));
 * const res = await app.request("/trusts"); // the app strips trailing slashes first
 * if (res.status !== 200 || (await res.text()) !== "[]") throw new Error("empty list expected");
 * store.close();
 * ```
 */
export function readHandler(route: RouteDef, deps: ReadDeps): Handler {
  switch (route.mode) {
    case "list":
      return listHandler(route, route.view!, deps);
    case "detail":
      return detailHandler(route, route.view!, deps);
    case "siblings":
      return siblingsHandler(route.view!, deps);
    case "history":
      return historyHandler(route.entity!, deps);
    case "snapshot":
      return snapshotRouteHandler(deps);
  }
}
