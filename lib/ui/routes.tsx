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
import { markdownReport } from "../sync/report.ts";
import { listQuarantine, listReview, listRuns, runRows } from "../sync/routes.ts";
import type { RunRecord } from "../sync/run.ts";
import type { DiffRow } from "../sync/report.ts";
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

/** The run's report as Markdown, as the sync printed it. */
export function runReportMarkdown(run: RunRecord, rows: readonly DiffRow[]): string {
  return markdownReport(
    `Sync ${run.dry_run ? "dry run" : "run"} ${run.id} (${run.source}, ${run.kind}` +
      `${run.query_date ? ` from ${run.query_date}` : ""})`,
    rows,
    [
      `outcome: ${run.outcome}`,
      ...run.errors.map((e) => `error: ${e}`),
      ...run.quarantined.map((q) => `quarantined ${q.code}: ${q.reason}`),
      ...run.not_found.map((c) => `not found in ODS: ${c}`),
      ...(run.gaps.length ? [`gap: no records on ${run.gaps.join(", ")}`] : []),
    ],
  );
}

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

/**
 * Add the web pages to `app`. Call it before the API-key middleware.
 *
 * @example
 * ```ts
 * registerUi(app, { store, keys: config.apiKeys });
 * ```
 */
export function registerUi(app: Hono, deps: UiDeps): void {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const auth = new UiAuth(deps.keys, now);
  const cache = deps.cache ?? new SnapshotCache(store);

  const context = async (c: Context): Promise<PageContext> => ({
    base: relativeBase(pathname(c)),
    signedIn: await auth.hasSession(c),
    now: now(),
  });
  const send = async (c: Context, page: Html, status: 200 | 401 | 404 = 200) => {
    pageHeaders(c);
    return c.html(await renderPage(page), status);
  };
  const notFound = async (c: Context, what: string) =>
    send(c, <NotFoundPage ctx={await context(c)} what={what} />, 404);

  registerAssets(app);

  // ---- Signing in (open) ----
  app.get("/ui/login", async (c) => {
    const ctx = await context(c);
    const next = safeNext(c.req.query("next"));
    if (!auth.enabled) {
      c.header("Cache-Control", "no-store");
      return c.redirect(ctx.base + next.slice(1), 303);
    }
    return send(c, <LoginPage ctx={ctx} next={next} error={false} />);
  });
  app.post(
    "/ui/login",
    bodyLimit({ maxSize: 4096, onError: (c) => c.text("request too large", 413) }),
    csrf(),
    async (c) => {
      const ctx = await context(c);
      const form = await c.req.parseBody();
      const key = typeof form.key === "string" ? form.key.trim() : "";
      let next = safeNext(typeof form.next === "string" ? form.next : null);
      if (next.startsWith("/ui/login")) next = "/";
      if (!auth.enabled) return c.redirect(ctx.base + next.slice(1), 303);
      if (!key || !(await auth.checkKey(key))) {
        log("warn", "ui sign-in refused", { path: "/ui/login" });
        return send(c, <LoginPage ctx={{ ...ctx, signedIn: false }} next={next} error />, 401);
      }
      setCookie(c, SESSION_COOKIE, await auth.issue(key), {
        path: "/",
        httpOnly: true,
        sameSite: "Strict",
        secure: isHttps(c),
        maxAge: SESSION_SECONDS,
      });
      c.header("Cache-Control", "no-store");
      return c.redirect(ctx.base + next.slice(1), 303);
    },
  );
  app.post("/ui/logout", csrf(), (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c) });
    c.header("Cache-Control", "no-store");
    return c.redirect(`${relativeBase(pathname(c))}ui/login`, 303);
  });

  // ---- The pages (a key or a session needed when keys are set) ----
  const gate: MiddlewareHandler = async (c, next) => {
    if (await auth.allows(c)) return await next();
    const url = new URL(c.req.url);
    c.header("Cache-Control", "no-store");
    const back = encodeURIComponent(url.pathname + url.search);
    return c.redirect(`${relativeBase(url.pathname)}ui/login?next=${back}`, 303);
  };

  app.get("/", gate, async (c) => {
    const data = await loadStatus(store);
    return send(c, <StatusPage ctx={await context(c)} data={data} />);
  });

  app.get("/ui", gate, (c) => c.redirect(relativeBase(pathname(c)), 303));

  app.get("/ui/sync", gate, async (c) => {
    const [runs, quarantine] = await Promise.all([
      listRuns(store, HISTORY_RUNS),
      listQuarantine(store),
    ]);
    return send(
      c,
      <SyncHistoryPage ctx={await context(c)} runs={runs} quarantine={quarantine} />,
    );
  });

  app.get("/ui/sync/runs/:id", gate, async (c) => {
    const run = await loadRun(store, c.req.param("id"));
    if (!run) return notFound(c, "There is no sync run with this ID.");
    const rows = await runRows(store, run.id);
    return send(c, <RunPage ctx={await context(c)} run={run} rows={rows} />);
  });

  app.get("/ui/sync/runs/:id/report.md", gate, async (c) => {
    const run = await loadRun(store, c.req.param("id"));
    if (!run) return notFound(c, "There is no sync run with this ID.");
    const markdown = runReportMarkdown(run, await runRows(store, run.id));
    pageHeaders(c);
    c.header("Content-Type", "text/markdown; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="sync-run-${run.id}.md"`);
    return c.body(markdown, 200);
  });

  app.get("/ui/review", gate, async (c) => {
    const status = ["open", "done", "all"].includes(c.req.query("status") ?? "")
      ? c.req.query("status")!
      : "open";
    const reasonParam = c.req.query("reason") ?? "";
    const reason = /^[a-z_]{1,20}$/.test(reasonParam) ? reasonParam : "";
    const [items, snap] = await Promise.all([listReview(store), cache.current()]);
    const views = filterReview(items, status, reason).map((item) => ({
      item,
      name: item.name ?? nameOf(snap.data, item.entity, item.code),
    }));
    const counts = {
      open: items.filter((i) => i.status === "open").length,
      done: items.filter((i) => i.status === "done").length,
    };
    return send(
      c,
      <ReviewPage
        ctx={await context(c)}
        views={views}
        status={status}
        reason={reason}
        counts={counts}
      />,
    );
  });

  app.get("/ui/organisations", gate, async (c) => {
    const query = parseOrgQuery((k) => c.req.query(k));
    const { data } = await cache.current();
    const found = filterOrganisations(
      [...data.records.organisation.values()],
      query,
      data.records.paediatric_diabetes_unit,
    );
    return send(
      c,
      <OrganisationsPage
        ctx={await context(c)}
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
      return notFound(c, `There is no organisation with the ODS code ${code.slice(0, 12)}.`);
    }
    const history = await store.history("organisation", code);
    return send(
      c,
      <OrganisationPage ctx={await context(c)} org={org} data={data} history={history} />,
    );
  });

  app.get("/ui/networks", gate, async (c) => {
    const { data } = await cache.current();
    return send(c, <NetworksPage ctx={await context(c)} data={data} />);
  });

  app.get("/ui/*", gate, (c) => notFound(c, "There is no page at this address."));
}
