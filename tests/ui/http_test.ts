/**
 * The web pages over HTTP, without a browser: every page answers HTML with its security
 * headers, the JSON API is unchanged, and signing in with an API key (form, session cookie,
 * sign-out) behaves, including against forged cookies, other sites and open redirects.
 */
import { equal, match, ok } from "node:assert/strict";
import { createApp } from "../../api.ts";
import { seededStore } from "../api/helpers.ts";
import { logLines } from "../sync/helpers.ts";
import { SESSION_COOKIE, SESSION_SECONDS } from "../../lib/ui/auth.ts";
import { PAGE_CSP } from "../../lib/ui/routes.tsx";
import { NOW, uiWorld } from "./helpers.ts";

const KEY = "ui-http-key-0123456789";
const OTHER = "ui-http-other-0123456789";

Deno.test("web pages over HTTP", async (t) => {
  const u = await uiWorld();
  let clock = new Date(NOW);
  const open = u.serve();
  const locked = u.serve([KEY, OTHER], () => clock);
  const get = (base: string, path: string, headers: HeadersInit = {}) =>
    fetch(base + path, { headers, redirect: "manual" });
  const text = async (res: Response) => ({ res, body: await res.text() });
  const login = (body: Record<string, string>, headers: HeadersInit = {}) =>
    fetch(`${locked.url}/ui/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(body),
    });
  const sameOrigin = { Origin: locked.url };
  try {
    const wed = u.runs[1];
    const pages = [
      "/",
      "/ui/sync",
      `/ui/sync/runs/${wed.id}`,
      "/ui/review",
      "/ui/review?status=all&reason=closure",
      "/ui/organisations",
      "/ui/organisations?q=CB2&active=true",
      "/ui/organisations/RGT01",
      "/ui/organisations/rgt01",
      "/ui/networks",
    ];

    await t.step("every page is HTML with no scripts, no-store and a strict CSP", async () => {
      for (const path of pages) {
        const { res, body } = await text(await get(open.url, path));
        equal(res.status, 200, path);
        match(res.headers.get("content-type") ?? "", /^text\/html/);
        equal(res.headers.get("cache-control"), "no-store");
        equal(res.headers.get("content-security-policy"), PAGE_CSP);
        equal(res.headers.get("x-frame-options"), "DENY");
        ok(body.startsWith('<!DOCTYPE html><html lang="en-GB">'), path);
        ok(!/<script/i.test(body), `${path} has no script`);
        ok(!/(?:src|href)="(?:https?:)?\/\//.test(body), `${path} loads nothing from elsewhere`);
      }
    });

    await t.step("the status page tells the state at a glance", async () => {
      const { body } = await text(await get(open.url, "/"));
      for (
        const s of [
          "Re-querying day 1 of 3",
          "2026-11-25",
          "No records",
          "Thu, 26 Nov 2026, 08:00",
          "1 hour ago",
          // The demo's items and the 9 sites of the PDU list the baseline created.
          "23 items open",
          "1 record quarantined",
          "347 active of 348",
        ]
      ) ok(body.includes(s), s);
    });

    await t.step("a run's report is the Markdown the sync printed", async () => {
      for (const [i, r] of u.runs.entries()) {
        const res = await get(open.url, `/ui/sync/runs/${r.id}/report.md`);
        equal(res.status, 200);
        match(res.headers.get("content-type") ?? "", /^text\/markdown/);
        equal(await res.text(), u.markdowns[i]);
      }
      const page = await (await get(open.url, `/ui/sync/runs/${wed.id}`)).text();
      ok(page.includes("CAMBRIDGE AND DISTRICT UNIVERSITY HOSPITALS NHS TRUST"), "the rename");
      ok(page.includes("RVV: 2 primary roles"), "the quarantined record");
    });

    await t.step("unknown pages, runs and codes are HTML 404s", async () => {
      for (
        const path of [
          "/ui/nope",
          "/ui/sync/runs/nope",
          "/ui/sync/runs/nope/report.md",
          "/ui/organisations/ZZZ99",
          "/ui/organisations/%3Cb%3E",
        ]
      ) {
        const { res, body } = await text(await get(open.url, path));
        equal(res.status, 404, path);
        ok(body.includes("<h1>Page not found</h1>"), path);
        ok(!body.includes("<b>"), "the code is escaped");
      }
    });

    await t.step("the JSON API and its open paths are unchanged", async () => {
      const res = await get(open.url, "/organisations/RGT01/");
      equal(res.status, 200);
      equal((await res.json()).ods_code, "RGT01");
      const health = await get(locked.url, "/health");
      equal(health.status, 200);
      await health.body?.cancel();
      const api = await get(locked.url, "/organisations/RGT01/");
      equal(api.status, 401);
      await api.body?.cancel();
    });

    await t.step("without keys configured, /ui/login goes to the status page", async () => {
      const res = await get(open.url, "/ui/login?next=/ui/sync");
      equal(res.status, 303);
      equal(res.headers.get("location"), "./../ui/sync");
    });

    await t.step("with keys: pages redirect to sign in; assets and the form are open", async () => {
      for (
        const [path, location] of [
          ["/", "./ui/login?next=%2F"],
          ["/ui/sync", "./../ui/login?next=%2Fui%2Fsync"],
          ["/ui/organisations?q=a", "./../ui/login?next=%2Fui%2Forganisations%3Fq%3Da"],
          ["/ui/nope", "./../ui/login?next=%2Fui%2Fnope"],
        ]
      ) {
        const res = await get(locked.url, path);
        equal(res.status, 303, path);
        equal(res.headers.get("location"), location);
        await res.body?.cancel();
      }
      for (const path of ["/ui/login", "/ui/assets/nhsuk-frontend.css", "/ui/assets/app.css"]) {
        const res = await get(locked.url, path);
        equal(res.status, 200, path);
        await res.body?.cancel();
      }
    });

    await t.step("with keys: the API's key headers open the pages too", async () => {
      const cases: Record<string, string>[] = [
        { "Ocp-Apim-Subscription-Key": KEY },
        { Authorization: `Bearer ${OTHER}` },
      ];
      for (const headers of cases) {
        const res = await get(locked.url, "/ui/review", headers);
        equal(res.status, 200);
        await res.body?.cancel();
      }
      const wrong = await get(locked.url, "/", { "Ocp-Apim-Subscription-Key": `${KEY}x` });
      equal(wrong.status, 303);
    });

    await t.step("a wrong key is refused with the form again, and no cookie", async () => {
      for (const key of ["", "wrong", `${KEY} x`, KEY.slice(0, -1)]) {
        const { res, body } = await text(await login({ key, next: "/ui/sync" }, sameOrigin));
        equal(res.status, 401, key);
        equal(res.headers.get("set-cookie"), null);
        ok(body.includes("Enter a valid API key"));
        ok(body.includes('value="/ui/sync"'), "the destination is kept");
        ok(!body.includes(KEY));
      }
    });

    await t.step("a form posted from another site (or with no origin) is refused", async () => {
      const cases: Record<string, string>[] = [{}, { Origin: "https://evil.example" }];
      for (const headers of cases) {
        const res = await login({ key: KEY }, headers);
        equal(res.status, 403);
        equal(res.headers.get("set-cookie"), null);
        await res.body?.cancel();
      }
      const tooBig = await login({ key: "x".repeat(5000) }, sameOrigin);
      equal(tooBig.status, 413);
      await tooBig.body?.cancel();
    });

    let cookie = "";
    await t.step("the right key sets an HttpOnly, SameSite=Strict session cookie", async () => {
      const res = await login({ key: KEY, next: "/ui/organisations?q=CB2" }, sameOrigin);
      equal(res.status, 303);
      equal(res.headers.get("location"), "./../ui/organisations?q=CB2");
      const set = res.headers.get("set-cookie") ?? "";
      match(set, new RegExp(`^${SESSION_COOKIE}=v1\\.`));
      match(set, /; HttpOnly/);
      match(set, /; SameSite=Strict/);
      match(set, /; Path=\//);
      match(set, new RegExp(`; Max-Age=${SESSION_SECONDS}`));
      ok(!/; Secure/.test(set), "plain HTTP on loopback");
      ok(!set.includes(KEY), "the cookie does not hold the key");
      cookie = set.split(";")[0];
      await res.body?.cancel();
    });

    await t.step("the session opens the pages (and offers to sign out), not the API", async () => {
      const { res, body } = await text(
        await get(locked.url, "/ui/organisations?q=CB2", { Cookie: cookie }),
      );
      equal(res.status, 200);
      ok(body.includes("RGT01"));
      ok(body.includes("Sign out"));
      const api = await get(locked.url, "/organisations/RGT01/", { Cookie: cookie });
      equal(api.status, 401, "the JSON API still wants a key header");
      await api.body?.cancel();
    });

    await t.step("over HTTPS (as a proxy says) the cookie is Secure", async () => {
      const res = await login({ key: OTHER }, { ...sameOrigin, "X-Forwarded-Proto": "https" });
      match(res.headers.get("set-cookie") ?? "", /; Secure/);
      await res.body?.cancel();
    });

    await t.step("forged and tampered cookies are refused", async () => {
      const value = cookie.split("=")[1];
      for (
        const bad of [
          `${SESSION_COOKIE}=${value.slice(0, -2)}AA`,
          `${SESSION_COOKIE}=${KEY}`,
          `${SESSION_COOKIE}=v1.9999999999.AAAAAAAAAAAAAAAA.${"A".repeat(43)}`,
          `other=${value}`,
        ]
      ) {
        const res = await get(locked.url, "/", { Cookie: bad });
        equal(res.status, 303, bad);
        await res.body?.cancel();
      }
    });

    await t.step("only local destinations are followed after signing in", async () => {
      for (
        const next of ["//evil.example/", "https://evil.example/", "/\\evil.example", "/ui/login"]
      ) {
        const res = await login({ key: KEY, next }, sameOrigin);
        equal(res.status, 303);
        equal(res.headers.get("location"), "./../", next);
        await res.body?.cancel();
      }
    });

    await t.step("a session ends after 8 hours", async () => {
      clock = new Date(Date.parse(NOW) + (SESSION_SECONDS - 60) * 1000);
      const still = await get(locked.url, "/", { Cookie: cookie });
      equal(still.status, 200);
      await still.body?.cancel();
      clock = new Date(Date.parse(NOW) + (SESSION_SECONDS + 1) * 1000);
      const expired = await get(locked.url, "/", { Cookie: cookie });
      equal(expired.status, 303);
      await expired.body?.cancel();
      clock = new Date(NOW);
    });

    await t.step("signing out clears the cookie", async () => {
      const res = await fetch(`${locked.url}/ui/logout`, {
        method: "POST",
        redirect: "manual",
        headers: {
          Cookie: cookie,
          ...sameOrigin,
          "Content-Type": "application/x-www-form-urlencoded",
        },
      });
      equal(res.status, 303);
      equal(res.headers.get("location"), "./../ui/login");
      match(res.headers.get("set-cookie") ?? "", new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));
      await res.body?.cancel();
    });

    await t.step("keys never reach the logs; refused sign-ins are logged", () => {
      const all = logLines.join("\n");
      ok(!all.includes(KEY) && !all.includes(OTHER));
      ok(all.includes("ui sign-in refused"));
    });
  } finally {
    await u.close();
  }
});

Deno.test("web pages on a seeded store that has never synced", async () => {
  const t = await seededStore();
  const app = createApp({ store: t.store, config: { apiKeys: [], adminToken: null } });
  try {
    for (
      const [path, expected] of [
        ["/", "No sync has run yet."],
        ["/ui/sync", "No sync runs yet"],
        ["/ui/review", "Nothing to review."],
        ["/ui/organisations?q=zzzz", "No organisation matches."],
        ["/ui/organisations/RGT01", "Created by reference seed"],
        ["/ui/networks", "OPEN UK networks"],
      ]
    ) {
      const res = await app.request(path);
      equal(res.status, 200, path);
      ok((await res.text()).includes(expected), `${path}: ${expected}`);
    }
  } finally {
    await t.close();
  }
});
