/**
 * The web pages in a real browser: Debian's Chromium driven headless by `playwright-core`,
 * against a seeded store with a synced history. Loads every page, asserts what it shows,
 * follows links, submits the forms (with JavaScript off, as the pages need none), signs in with
 * a key, checks each page with axe-core (no serious or critical violations) and saves
 * screenshots under `tests/tmp/screenshots/` (ignored by git), or under `SCREENSHOTS_DIR` when
 * set: `deno task screenshots` refreshes the pictures the docs show in `docs/screenshots/`.
 *
 * Needs Chromium (`CHROMIUM_PATH`, or `chromium` on `PATH`: Debian's package, which
 * `deno task test` installs when missing).
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  axeSource,
  type Browser,
  chromium,
  type Locator,
  type Page,
} from "../../testing/browser_deps.ts";
import { chromiumPath } from "../../testing/tools.ts";
import { uiWorld } from "./helpers.ts";

const KEY = "ui-browser-key-0123456789";
const SCREENSHOTS = Deno.env.get("SCREENSHOTS_DIR")
  ? new URL(`${Deno.env.get("SCREENSHOTS_DIR")!.replace(/\/?$/, "/")}`, `file://${Deno.cwd()}/`)
  : new URL("../tmp/screenshots/", import.meta.url);
const VIEWPORT = { width: 1024, height: 800 };

/** One axe-core finding. */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Launch headless Chromium as the environment guide documents (Playwright makes a fresh profile). */
function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Run axe-core in the page; fail on serious or critical violations. */
async function checkAccessibility(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as {
      axe: { run(context: unknown, options: unknown): Promise<{ violations: Violation[] }> };
      document: unknown;
    };
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
    }));
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  deepEqual(bad, [], `${label}: ${JSON.stringify(bad, null, 1)}`);
  const minor = violations.map((v) => `${v.id} (${v.impact})`);
  deepEqual(minor, [], `${label}: minor violations ${minor.join(", ")}`);
}

Deno.test({
  name: "web pages in a browser",
  // Playwright's pipes to the browser process and its timers live across the test's steps and
  // are only released by `browser.close()`; Deno's resource and op sanitizers would flag them.
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const u = await uiWorld();
  const open = u.serve();
  const locked = u.serve([KEY]);
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  const browser = await launch();
  try {
    // Pages are used with JavaScript off (they have none; the CSP forbids it)...
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORT });
    const page = await noJs.newPage();
    // ...and audited with it on, as axe-core runs in the page (the CSP is bypassed for it).
    const audit = await (await browser.newContext({ bypassCSP: true, viewport: VIEWPORT }))
      .newPage();
    const check = async (
      url: string,
      shot: string | null,
      options: { fullPage?: boolean } = {},
    ) => {
      await audit.goto(url);
      if (shot) {
        await audit.screenshot({
          path: new URL(`${shot}.png`, SCREENSHOTS).pathname,
          fullPage: options.fullPage ?? false,
          // Run ids hold random digits: hide them so screenshots only change when pages do.
          mask: [audit.locator("[data-volatile]")],
          maskColor: "#d8dde0",
          animations: "disabled",
        });
      }
      await checkAccessibility(audit, url);
    };
    const text = (selector: string) => page.locator(selector).innerText();
    const menu = page.getByRole("navigation", { name: "Menu" });
    /** Click a link or button and wait for the page it leads to. */
    const follow = async (target: Locator) => {
      await Promise.all([page.waitForEvent("framenavigated"), target.click()]);
      await page.waitForLoadState();
    };
    const path = () => new URL(page.url()).pathname + new URL(page.url()).search;

    await t.step("status: the state at a glance, with links to everything else", async () => {
      await page.goto(`${open.url}/`);
      equal(await page.title(), "Service status – RCPCH NHS Organisations");
      equal(await text("h1"), "Service status");
      const main = await text("main");
      for (
        const s of [
          "Re-querying day 1 of 3",
          "Cursor: 2026-11-25",
          "No records",
          "Thu, 26 Nov 2026, 08:00 (1 hour ago)",
          // The demo's items and the 9 sites of the PDU list the baseline created.
          "23 items open, 1 record quarantined",
          "347 active of 348",
        ]
      ) ok(main.includes(s), s);
      await check(`${open.url}/`, "status", { fullPage: true });
    });

    await t.step("sync history: a chart and a table; a run's report", async () => {
      await follow(menu.getByRole("link", { name: "Sync history" }));
      equal(path(), "/ui/sync");
      const chart = page.locator("svg[role=img]");
      equal(await chart.count(), 1);
      ok((await chart.locator("title").textContent())?.includes("per sync run"));
      const runs = page.getByRole("table", { name: "Sync runs" });
      equal(await runs.locator("tbody tr").count(), u.runs.length);
      ok((await runs.innerText()).includes("Failed"));
      await check(`${open.url}/ui/sync`, "sync", { fullPage: true });

      await follow(page.getByRole("link", { name: "Wed, 25 Nov 2026, 06:00" }));
      equal(path(), `/ui/sync/runs/${u.runs[1].id}`);
      equal(await text("h1"), "Wed, 25 Nov 2026, 06:00");
      const report = await text("main");
      ok(report.includes("CAMBRIDGE AND DISTRICT UNIVERSITY HOSPITALS NHS TRUST"));
      ok(report.includes(`${u.runs[1].field_changes} field changes`));
      await check(page.url(), "sync-run");
      await follow(
        page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", {
          name: "Sync history",
        }).first(),
      );
      equal(path(), "/ui/sync");
    });

    await t.step("review list: facts and merge commands; filter by reason", async () => {
      await follow(menu.getByRole("link", { name: "Review list" }));
      equal(path(), "/ui/review");
      const closed = u.demo.closedSite!;
      const item = page.locator("li.nhsuk-card", { hasText: `organisation ${closed.code}` })
        .filter({ hasText: "Closure" });
      equal(await item.count(), 1);
      equal(await item.locator("code").innerText(), `deno task merge -o ${closed.code} --delete`);
      ok((await item.innerText()).includes("End date"));
      await check(`${open.url}/ui/review`, "review");

      await page.selectOption("#reason", "closure");
      await follow(page.getByRole("button", { name: "Show items" }));
      equal(path(), "/ui/review?status=open&reason=closure");
      equal(await text("main h2.nhsuk-heading-m"), "5 items");
    });

    await t.step("organisations: search, open one, follow its parents and history", async () => {
      await follow(menu.getByRole("link", { name: "Organisations" }));
      await page.fill("#q", "addenbrooke");
      await follow(page.getByRole("button", { name: "Find organisations" }));
      ok(path().startsWith("/ui/organisations?q=addenbrooke&"), path());
      equal(await text("#results"), "1 organisation");
      await follow(page.getByRole("link", { name: "RGT01" }));
      equal(path(), "/ui/organisations/RGT01");
      equal(await text("h1"), "ADDENBROOKE'S HOSPITAL");
      const main = await text("main");
      ok(main.includes("CAMBRIDGE AND DISTRICT UNIVERSITY HOSPITALS NHS TRUST (RGT)"));
      // The new ICB in the ONS style its name takes (ODS: "NHS S1Y5D INTEGRATED CARE BOARD").
      ok(main.includes("NHS S1Y5D Integrated Care Board (S1Y5D)"), "moved to the new ICB");
      ok(main.includes("PZ041, in"));
      equal(await page.locator(".app-timeline__item").count(), 3, "seed, baseline, new ICB");
      ok((await page.locator(".app-timeline__item").first().innerText()).includes(
        "Updated by ODS sync",
      ));
      await check(page.url(), "organisation", { fullPage: true });

      await follow(page.getByRole("link", { name: "NHS S1Y5D Integrated Care Board (S1Y5D)" }));
      equal(path(), "/ui/organisations?icb=S1Y5D");
      ok(Number((await text("#results")).split(" ")[0]) > 1);
      ok((await text("table")).includes("RGT01"));
      await check(`${open.url}/ui/organisations?q=hospital`, "organisations");
    });

    await t.step("organisations: filters and the header search", async () => {
      await page.goto(`${open.url}/ui/organisations`);
      await page.selectOption("#filter-active", "false");
      await follow(page.getByRole("button", { name: "Find organisations" }));
      equal(await text("#results"), "1 organisation");
      ok((await text("table")).includes(u.demo.closedSite!.code));

      await page.fill("#search-field", "CB2 0QQ");
      await follow(page.locator("#search button"));
      equal(path(), "/ui/organisations?q=CB2+0QQ");
      ok((await text("table")).includes("RGT01"));
      equal(await page.inputValue("#q"), "CB2 0QQ", "the search is kept in the form");
    });

    await t.step("networks: units and organisations of each network", async () => {
      await follow(menu.getByRole("link", { name: "Networks" }));
      equal(path(), "/ui/networks");
      const rgtUnit = page.locator("#network-PN06").locator("..");
      ok((await rgtUnit.innerText()).includes("RGT01"));
      ok((await text("#openuk")).includes("OPEN UK networks"));
      await check(`${open.url}/ui/networks`, "networks");
      await check(`${open.url}/ui/nope`, null);
    });

    await t.step("with API keys: sign in with the form, then sign out", async () => {
      await page.goto(`${locked.url}/ui/review`);
      equal(path(), "/ui/login?next=%2Fui%2Freview");
      await page.fill("#key", "not-the-key-0123456789");
      await follow(page.getByRole("button", { name: "Sign in" }));
      ok((await text(".nhsuk-error-summary")).includes("Enter a valid API key"));
      await check(page.url(), "login");
      await page.fill("#key", KEY);
      await follow(page.getByRole("button", { name: "Sign in" }));
      equal(path(), "/ui/review");
      const [cookie] = await noJs.cookies(locked.url);
      equal(cookie.httpOnly, true);
      equal(cookie.sameSite, "Strict");
      ok(!cookie.value.includes(KEY));
      await follow(menu.getByRole("link", { name: "Organisations" }));
      equal(await text("h1"), "Organisations", "the session carries over to other pages");
      await follow(page.getByRole("button", { name: "Sign out" }));
      equal(path(), "/ui/login");
      await page.goto(`${locked.url}/`);
      equal(path(), "/ui/login?next=%2F");
    });
  } finally {
    await browser.close();
    await u.close();
  }
});
