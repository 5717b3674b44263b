/**
 * The maintainers' web pages, server-rendered with `hono/jsx` in NHS.UK frontend markup, no
 * JavaScript:
 *
 * | route | page |
 * |---|---|
 * | `/` | status at a glance |
 * | `/ui/sync`, `/ui/sync/runs/{id}` (`…/report.md`) | sync history; one run's report |
 * | `/ui/review` | the review list with merge commands |
 * | `/ui/organisations`, `/ui/organisations/{code}` | search and filter; one organisation |
 * | `/ui/networks` | diabetes networks and units, OPEN UK networks |
 * | `/ui/login` (GET, POST), `/ui/logout` (POST) | sign in with an API key |
 * | `/ui/assets/…` | stylesheets and icons (no key needed) |
 *
 * With API keys configured, every page needs a key: in the API's headers, or through the
 * session cookie set by `/ui/login` (see {@link ./auth.ts}). {@linkcode registerUi} must be
 * called before the API-key middleware is added, as the pages do their own check (the API's
 * check knows nothing of the cookie).
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { SnapshotCache } from "../api/snapshot.ts";
import { log } from "../log.ts";
import type { Store } from "../store.ts";
import { listQuarantine, listReview, listRuns, runRows } from "../sync/history.ts";
import { runMarkdown } from "../sync/run_record.ts";
import { registerAssets } from "./assets.ts";
import { isHttps, safeNext, SESSION_COOKIE, SESSION_SECONDS, UiAuth } from "./auth.ts";
import { filterReview, loadRun, loadStatus, nameOf } from "./data.ts";
import { filterOrganisations, paginate, parseOrgQuery } from "./filters.ts";
import { type Html, type PageContext, relativeBase, renderPage } from "./layout.tsx";
import { LoginPage, NotFoundPage } from "./pages/login.tsx";
import { NetworksPage } from "./pages/networks.tsx";
import { filterChoices, OrganisationPage, OrganisationsPage } from "./pages/organisations.tsx";
import { ReviewPage } from "./pages/review.tsx";
import { StatusPage } from "./pages/status.tsx";
import { RunPage, SyncHistoryPage } from "./pages/sync.tsx";

/** What the pages need. */
export interface UiDeps {
  store: Store;
  /** The API's read cache, shared so one snapshot serves both (a new one if absent). */
  cache?: SnapshotCache;
  /** The keys the API accepts (none: the pages are open, like the API). */
  keys: readonly string[];
  /** Clock; defaults to the system clock. */
  now?: () => Date;
}

/** Organisations per page of the browser. */
export const PAGE_SIZE = 50;

/** Runs listed on the sync history page. */
export const HISTORY_RUNS = 100;

/** The `Content-Security-Policy` of every page: no scripts at all, styles from this site. */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The headers of every page: no caching, no scripts, no framing. */
function pageHeaders(c: Context): void {
  c.header("Cache-Control", "no-store");
  c.header("Content-Security-Policy", PAGE_CSP);
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
  c.header("Vary", "Cookie");
}

/** The raw request path (the router treats `/a` and `/a/` alike, relative URLs do not). */
function pathname(c: Context): string {
  return new URL(c.req.url).pathname;
}

/** What every page route shares: the store, the read cache, the sign-in check, the senders. */
interface Pages {
  store: Store;
  cache: SnapshotCache;
  auth: UiAuth;
  /** What the page of a request needs to know about it. */
  context(c: Context): Promise<PageContext>;
  /** Send a page as HTML, with the pages' security and caching headers. */
  send(c: Context, page: Html, status?: 200 | 401 | 404): Promise<Response>;
  /** Send the "not found" page, saying what is not there. */
  notFound(c: Context, what: string): Promise<Response>;
  /** Let through a request with a key or a session; send the others to sign in. */
  gate: MiddlewareHandler;
}

/** The shared parts of the page routes, built once from `deps`. */
function pagesOf(deps: UiDeps): Pages {
  const now = deps.now ?? (() => new Date());
  const auth = new UiAuth(deps.keys, now);
  const context = async (c: Context): Promise<PageContext> => ({
    base: relativeBase(pathname(c)),
    signedIn: await auth.hasSession(c),
    now: now(),
  });
  const send = async (c: Context, page: Html, status: 200 | 401 | 404 = 200) => {
    pageHeaders(c);
    return c.html(await renderPage(page), status);
  };
  const gate: MiddlewareHandler = async (c, next) => {
    if (await auth.allows(c)) return await next();
    const url = new URL(c.req.url);
    c.header("Cache-Control", "no-store");
    // Back to the page after signing in, if it is a local path of sane length (safeNext's rule);
    // a 60 KB URL must not become a 100 KB Location header.
    const back = safeNext(url.pathname + url.search);
    return c.redirect(
      `${relativeBase(url.pathname)}ui/login?next=${encodeURIComponent(back)}`,
      303,
    );
  };
  return {
    store: deps.store,
    cache: deps.cache ?? new SnapshotCache(deps.store),
    auth,
    context,
    send,
    notFound: async (c, what) => send(c, <NotFoundPage ctx={await context(c)} what={what} />, 404),
    gate,
  };
}

/** A redirect (303) to `next`, a site path, relative to the page. */
function redirectTo(c: Context, ctx: PageContext, next: string): Response {
  return c.redirect(ctx.base + next.slice(1), 303);
}

/** `POST /ui/login`: check the key; on success set the session cookie and go to `next`. */
async function signIn(c: Context, pages: Pages): Promise<Response> {
  const { auth } = pages;
  const ctx = await pages.context(c);
  const form = await c.req.parseBody();
  const key = typeof form.key === "string" ? form.key.trim() : "";
  let next = safeNext(typeof form.next === "string" ? form.next : null);
  if (next.startsWith("/ui/login")) next = "/";
  if (!auth.enabled) return redirectTo(c, ctx, next);
  if (!key || !(await auth.checkKey(key))) {
    log("warn", "ui sign-in refused", { path: "/ui/login" });
    return pages.send(c, <LoginPage ctx={{ ...ctx, signedIn: false }} next={next} error />, 401);
  }
  setCookie(c, SESSION_COOKIE, await auth.issue(key), {
    path: "/",
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c),
    maxAge: SESSION_SECONDS,
  });
  c.header("Cache-Control", "no-store");
  return redirectTo(c, ctx, next);
}

/** Signing in and out: `/ui/login` (GET, POST) and `/ui/logout` (POST), open to all. */
function registerSignIn(app: Hono, pages: Pages): void {
  app.get("/ui/login", async (c) => {
    const ctx = await pages.context(c);
    const next = safeNext(c.req.query("next"));
    if (!pages.auth.enabled) {
      c.header("Cache-Control", "no-store");
      return redirectTo(c, ctx, next);
    }
    return pages.send(c, <LoginPage ctx={ctx} next={next} error={false} />);
  });
  app.post(
    "/ui/login",
    bodyLimit({ maxSize: 4096, onError: (c) => c.text("request too large", 413) }),
    csrf(),
    (c) => signIn(c, pages),
  );
  app.post("/ui/logout", csrf(), (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c) });
    c.header("Cache-Control", "no-store");
    return c.redirect(`${relativeBase(pathname(c))}ui/login`, 303);
  });
}

/** `/` (the status page) and `/ui`, which goes there. */
function registerStatus(app: Hono, pages: Pages): void {
  const { gate } = pages;
  app.get("/", gate, async (c) => {
    const data = await loadStatus(pages.store);
    return pages.send(c, <StatusPage ctx={await pages.context(c)} data={data} />);
  });
  app.get("/ui", gate, (c) => c.redirect(relativeBase(pathname(c)), 303));
}

/** `/ui/sync`: the history; `/ui/sync/runs/{id}`: one run, and its report as Markdown. */
function registerSync(app: Hono, pages: Pages): void {
  const { store, gate } = pages;
  app.get("/ui/sync", gate, async (c) => {
    const [runs, quarantine] = await Promise.all([
      listRuns(store, HISTORY_RUNS),
      listQuarantine(store),
    ]);
    return pages.send(
      c,
      <SyncHistoryPage ctx={await pages.context(c)} runs={runs} quarantine={quarantine} />,
    );
  });
  app.get("/ui/sync/runs/:id", gate, async (c) => {
    const run = await loadRun(store, c.req.param("id"));
    if (!run) return pages.notFound(c, "There is no sync run with this ID.");
    const rows = await runRows(store, run.id);
    return pages.send(c, <RunPage ctx={await pages.context(c)} run={run} rows={rows} />);
  });
  app.get("/ui/sync/runs/:id/report.md", gate, async (c) => {
    const run = await loadRun(store, c.req.param("id"));
    if (!run) return pages.notFound(c, "There is no sync run with this ID.");
    // The report as the sync printed it.
    const markdown = runMarkdown(run, await runRows(store, run.id));
    pageHeaders(c);
    c.header("Content-Type", "text/markdown; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="sync-run-${run.id}.md"`);
    return c.body(markdown, 200);
  });
}

/** The review list's filters from the query: status (`open` unless valid) and reason. */
function reviewQuery(c: Context): { status: string; reason: string } {
  const status = ["open", "done", "all"].includes(c.req.query("status") ?? "")
    ? c.req.query("status")!
    : "open";
  const reasonParam = c.req.query("reason") ?? "";
  const reason = /^[a-z_]{1,20}$/.test(reasonParam) ? reasonParam : "";
  return { status, reason };
}

/** `/ui/review`: the review list, filtered, with each item's record name. */
function registerReview(app: Hono, pages: Pages): void {
  app.get("/ui/review", pages.gate, async (c) => {
    const { status, reason } = reviewQuery(c);
    const [items, snap] = await Promise.all([listReview(pages.store), pages.cache.current()]);
    const views = filterReview(items, status, reason).map((item) => ({
      item,
      name: item.name ?? nameOf(snap.data, item.entity, item.code),
    }));
    const counts = {
      open: items.filter((i) => i.status === "open").length,
      done: items.filter((i) => i.status === "done").length,
    };
    return pages.send(
      c,
      <ReviewPage
        ctx={await pages.context(c)}
        views={views}
        status={status}
        reason={reason}
        counts={counts}
      />,
    );
  });
}

/** `/ui/organisations`: search and filter; `/ui/organisations/{code}`: one organisation. */
function registerOrganisations(app: Hono, pages: Pages): void {
  const { cache, gate } = pages;
  app.get("/ui/organisations", gate, async (c) => {
    const query = parseOrgQuery((k) => c.req.query(k));
    const { data } = await cache.current();
    const found = filterOrganisations(
      [...data.records.organisation.values()],
      query,
      data.records.paediatric_diabetes_unit,
    );
    return pages.send(
      c,
      <OrganisationsPage
        ctx={await pages.context(c)}
        query={query}
        page={paginate(found, query.page, PAGE_SIZE)}
        choices={filterChoices(data)}
      />,
    );
  });
  app.get("/ui/organisations/:code", gate, async (c) => {
    const code = c.req.param("code").toUpperCase();
    const { data } = await cache.current();
    const org = /^[A-Z0-9]{1,12}$/.test(code) ? data.records.organisation.get(code) : undefined;
    if (!org) {
      return pages.notFound(c, `There is no organisation with the ODS code ${code.slice(0, 12)}.`);
    }
    const history = await pages.store.history("organisation", code);
    return pages.send(
      c,
      <OrganisationPage ctx={await pages.context(c)} org={org} data={data} history={history} />,
    );
  });
}

/** `/ui/networks`: diabetes networks and units, OPEN UK networks. */
function registerNetworks(app: Hono, pages: Pages): void {
  app.get("/ui/networks", pages.gate, async (c) => {
    const { data } = await pages.cache.current();
    return pages.send(c, <NetworksPage ctx={await pages.context(c)} data={data} />);
  });
}

/**
 * Add the web pages to `app`. Call it before the API-key middleware.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Hono } from "hono";
 * import { Store } from "../store.ts";
 * import { registerUi } from "./routes.tsx";
 *
 * const store = await Store.open(":memory:");
 * const app = new Hono();
 * registerUi(app, { store, keys: ["a-long-secret-api-key"] });
 *
 * // Without a key or a session, a page sends the browser to sign in.
 * const res = await app.request("/ui/sync");
 * equal(res.status, 303);
 * equal(res.headers.get("location"), "./../ui/login?next=%2Fui%2Fsync");
 * store.close();
 * ```
 */
export function registerUi(app: Hono, deps: UiDeps): void {
  const pages = pagesOf(deps);
  registerAssets(app);
  registerSignIn(app, pages);
  // The pages from here on need a key or a session when keys are set.
  registerStatus(app, pages);
  registerSync(app, pages);
  registerReview(app, pages);
  registerOrganisations(app, pages);
  registerNetworks(app, pages);
  app.get("/ui/*", pages.gate, (c) => pages.notFound(c, "There is no page at this address."));
}
