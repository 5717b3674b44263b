/**
 * The web pages' pure parts, without a browser: the chart, the organisation filters and paging,
 * the session tokens, the stylesheet made self-contained, relative URLs, formatting, and the
 * status page's three states of the defensive algorithm.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { organisationRecord } from "../fixtures.ts";
import {
  type Kind,
  KIND_ORDER,
  type Organisation,
  type PaediatricDiabetesUnit,
} from "../../lib/model.ts";
import { INITIAL_SYNC_STATE, type SyncState } from "../../lib/sync/state.ts";
import { StatusPage } from "../../lib/ui/pages/status.tsx";
import type { RunRecord } from "../../lib/sync/run.ts";
import { NHSUK_CSS, NHSUK_IMAGES } from "../../lib/ui/asset_files.ts";
import { selfContainedCss } from "../../lib/ui/assets.ts";
import { issueSession, safeNext, SESSION_SECONDS, verifySession } from "../../lib/ui/auth.ts";
import { escapeXml, niceTicks, runPoints, syncChart } from "../../lib/ui/chart.ts";
import {
  filterOrganisations,
  paginate,
  parseOrgQuery,
  queryString,
  textScore,
} from "../../lib/ui/filters.ts";
import { formatAge, formatDay, formatInstant, formatValue } from "../../lib/ui/format.ts";
import { href, relativeBase, renderPage } from "../../lib/ui/layout.tsx";

Deno.test("chart: round ticks from zero", () => {
  deepEqual(niceTicks(635), [0, 200, 400, 600, 800]);
  deepEqual(niceTicks(53), [0, 20, 40, 60]);
  deepEqual(niceTicks(1), [0, 0.5, 1]);
  deepEqual(niceTicks(0), [0, 1]);
  deepEqual(niceTicks(4), [0, 1, 2, 3, 4]);
});

function run(fields: Partial<RunRecord>): RunRecord {
  return {
    id: "r",
    trigger: "test",
    source: "ord",
    kind: "incremental",
    dry_run: false,
    started_at: "2026-11-24T06:00:00.000Z",
    finished_at: "2026-11-24T06:00:01.000Z",
    query_date: null,
    links_seen: 0,
    fetched: 0,
    changed: 0,
    created: 0,
    field_changes: 0,
    quarantined: [],
    not_found: [],
    errors: [],
    outcome: "success",
    defensive: { event: "bau", message: "business as usual" },
    cursor_before: null,
    cursor_after: null,
    gaps: [],
    review_items: 0,
    requests: 0,
    retries: 0,
    ...fields,
  };
}

Deno.test("chart: points are oldest first and count every kind of failure", () => {
  const newestFirst = [
    run({ started_at: "2026-11-26T06:00:00.000Z", outcome: "failed", errors: ["ODS down"] }),
    run({
      started_at: "2026-11-25T06:00:00.000Z",
      changed: 53,
      quarantined: [{ code: "RVV", reason: "bad" }],
      not_found: ["ZZ404"],
    }),
    run({ started_at: "2026-11-24T06:00:00.000Z", changed: 635 }),
  ];
  deepEqual(runPoints(newestFirst), [
    { at: "2026-11-24T06:00:00.000Z", changes: 635, failures: 0, failed: false },
    { at: "2026-11-25T06:00:00.000Z", changes: 53, failures: 2, failed: false },
    { at: "2026-11-26T06:00:00.000Z", changes: 0, failures: 1, failed: true },
  ]);
  equal(runPoints(newestFirst, 2).length, 2, "only the latest runs");
  equal(runPoints(newestFirst, 2)[0].changes, 53);
});

Deno.test("chart: an accessible SVG with two bars per run, values, UK times and a failed mark", () => {
  const svg = syncChart([
    { at: "2026-11-24T06:00:00.000Z", changes: 635, failures: 0, failed: false },
    { at: "2026-07-25T06:00:00.000Z", changes: 53, failures: 2, failed: false },
    { at: "2026-11-26T06:00:00.000Z", changes: 0, failures: 1, failed: true },
  ]);
  ok(svg.startsWith("<svg ") && svg.endsWith("</svg>"));
  ok(svg.includes('role="img"'));
  ok(svg.includes('aria-labelledby="sync-chart-title sync-chart-desc"'));
  ok(svg.includes('<title id="sync-chart-title">Records changed and failures per sync run'));
  ok(svg.includes("3 runs from 24 Nov 06:00 to 26 Nov 06:00: 688 records changed, 3 failures"));
  equal((svg.match(/<rect /g) ?? []).length, 2 + 3 * 2, "legend + two bars per run");
  ok(svg.includes(">635</text>") && svg.includes(">53</text>") && svg.includes(">2</text>"));
  equal((svg.match(/>failed</g) ?? []).length, 1);
  ok(svg.includes(">07:00</text>"), "summer time is shown in UK time (BST)");
  ok(!/NaN|undefined/.test(svg));
  // Bars never go below the axis nor above the plot.
  for (
    const m of svg.matchAll(/<rect x="[\d.]+" y="([\d.-]+)" width="[\d.]+" height="([\d.-]+)"/g)
  ) {
    ok(Number(m[1]) >= 0 && Number(m[2]) >= 0, m[0]);
  }
  ok(!svg.includes("<script"), "no script in the chart");
});

Deno.test("chart: no runs gives a labelled empty chart; text is escaped", () => {
  const svg = syncChart([], { title: `<b>"x" & 'y'</b>` });
  ok(svg.includes("No sync runs yet"));
  ok(svg.includes("&#60;b&#62;&#34;x&#34; &#38; &#39;y&#39;&#60;/b&#62;"));
  equal(escapeXml("a<b"), "a&#60;b");
});

function org(fields: Partial<Organisation>): Organisation {
  return organisationRecord("X", { updated_at: "2026-01-01T00:00:00.000Z", ...fields });
}

const ORGS = [
  org({
    ods_code: "RGT01",
    name: "ADDENBROOKE'S HOSPITAL",
    postcode: "CB2 0QQ",
    trust_code: "RGT",
    integrated_care_board_code: "QUE",
    nhs_england_region_code: "Y61",
    paediatric_diabetes_unit_code: "PZ041",
    openuk_network_code: "EPEN",
  }),
  org({
    ods_code: "RGT1W",
    name: "JERSEY GENERAL HOSPITAL",
    postcode: "JE1 3QS",
    trust_code: "RGT",
    paediatric_diabetes_unit_code: "PZ248",
    source: "curated",
  }),
  org({
    ods_code: "7A1A1",
    name: "YSBYTY GLAN CLWYD",
    postcode: "LL18 5UJ",
    local_health_board_code: "7A1",
    paediatric_diabetes_unit_code: "PZ011",
    openuk_network_code: "EPIC",
  }),
  org({
    ods_code: "RVV01",
    name: "KENT AND CANTERBURY HOSPITAL",
    postcode: "CT1 3NG",
    trust_code: "RVV",
    active: false,
  }),
];

const UNITS = new Map<string, PaediatricDiabetesUnit>([
  ["PZ041", {
    pz_code: "PZ041",
    paediatric_diabetes_network_code: "PN06",
    source: "curated",
    updated_at: "",
  }],
  ["PZ248", {
    pz_code: "PZ248",
    paediatric_diabetes_network_code: "PN01",
    source: "curated",
    updated_at: "",
  }],
  ["PZ011", {
    pz_code: "PZ011",
    paediatric_diabetes_network_code: null,
    source: "curated",
    updated_at: "",
  }],
]);

const codes = (q: Record<string, string>) =>
  filterOrganisations(ORGS, parseOrgQuery((k) => q[k]), UNITS).map((o) => o.ods_code);

Deno.test("filters: search by name words, ODS code or postcode, best matches first", () => {
  deepEqual(codes({}), ["RGT01", "RGT1W", "RVV01", "7A1A1"], "all, by name");
  deepEqual(codes({ q: "addenbrooke" }), ["RGT01"]);
  deepEqual(codes({ q: "hospital general" }), ["RGT1W"], "every word, any order");
  deepEqual(codes({ q: "rgt01" }), ["RGT01"], "exact code, any case");
  deepEqual(codes({ q: "RGT" }), ["RGT01", "RGT1W"], "code prefix");
  deepEqual(codes({ q: "cb2 0qq" }), ["RGT01"], "postcode");
  deepEqual(codes({ q: "CB20QQ" }), ["RGT01"], "postcode without its space");
  deepEqual(codes({ q: "ll18" }), ["7A1A1"], "postcode district");
  deepEqual(codes({ q: "nowhere" }), []);
  equal(textScore(ORGS[0], "RGT01"), 3);
  equal(textScore(ORGS[0], "RGT0"), 2);
  equal(textScore(ORGS[0], "hospital"), 1);
});

Deno.test("filters: trust or health board, ICB, region, PDU, network, OPEN UK network, active", () => {
  deepEqual(codes({ trust: "rgt" }), ["RGT01", "RGT1W"]);
  deepEqual(codes({ trust: "7A1" }), ["7A1A1"], "a Welsh health board is a parent too");
  deepEqual(codes({ icb: "QUE" }), ["RGT01"]);
  deepEqual(codes({ region: "Y61" }), ["RGT01"]);
  deepEqual(codes({ pdu: "PZ248" }), ["RGT1W"]);
  deepEqual(codes({ network: "PN06" }), ["RGT01"], "through the unit's network");
  deepEqual(codes({ openuk: "EPIC" }), ["7A1A1"]);
  deepEqual(codes({ active: "false" }), ["RVV01"]);
  deepEqual(codes({ active: "true", trust: "RGT", q: "jersey" }), ["RGT1W"], "combined");
});

Deno.test("filters: malformed parameters read as 'any'; the query string round-trips", () => {
  const q = parseOrgQuery((k) =>
    ({ trust: "<script>", active: "maybe", page: "-3", q: "  a   b  " } as Record<string, string>)[
      k
    ]
  );
  equal(q.trust, "");
  equal(q.active, "");
  equal(q.page, 1);
  equal(q.q, "a b");
  const full = parseOrgQuery((k) =>
    ({ q: "x y", icb: "QUE", active: "true", page: "2" } as Record<string, string>)[k]
  );
  equal(queryString(full), "?q=x+y&icb=QUE&active=true&page=2");
  equal(queryString(full, { page: 1 }), "?q=x+y&icb=QUE&active=true");
  const back = new URLSearchParams(queryString(full));
  deepEqual(parseOrgQuery((k) => back.get(k)), full);
  equal(queryString(parseOrgQuery(() => null)), "");
});

Deno.test("filters: pages are clamped", () => {
  const items = Array.from({ length: 120 }, (_, i) => i);
  const first = paginate(items, 1, 50);
  deepEqual([first.page, first.pages, first.from, first.to, first.items.length], [1, 3, 1, 50, 50]);
  const last = paginate(items, 99, 50);
  deepEqual([last.page, last.from, last.to, last.items[0]], [3, 101, 120, 100]);
  const none = paginate([], 1, 50);
  deepEqual([none.page, none.pages, none.from, none.to], [1, 1, 0, 0]);
});

const KEY = "ui-test-key-0123456789";
const OTHER = "ui-other-key-0123456789";
const T0 = new Date("2026-11-26T09:30:00Z");
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

Deno.test("session: a token verifies under its key until it expires, and holds no key", async () => {
  const token = await issueSession(KEY, T0);
  ok(!token.includes(KEY) && !token.includes(btoa(KEY)));
  ok(/^v1\.\d+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/.test(token), token);
  ok(await verifySession(token, [KEY], T0));
  ok(await verifySession(token, [OTHER, KEY], later(SESSION_SECONDS - 1)), "any configured key");
  ok(!(await verifySession(token, [KEY], later(SESSION_SECONDS))), "expired");
  ok(!(await verifySession(token, [OTHER], T0)), "the key was removed from API_KEYS");
  ok(!(await verifySession(token, [], T0)));
  ok(await issueSession(KEY, T0) !== token, "each token is unique");
});

Deno.test("session: tampered, forged or malformed tokens are refused", async () => {
  const token = await issueSession(KEY, T0);
  const [v, expiry, nonce, mac] = token.split(".");
  const longer = `${v}.${Number(expiry) + 3600}.${nonce}.${mac}`;
  ok(!(await verifySession(longer, [KEY], T0)), "expiry moved");
  const flipped = mac.slice(0, -1) + (mac.endsWith("A") ? "B" : "A");
  ok(!(await verifySession(`${v}.${expiry}.${nonce}.${flipped}`, [KEY], T0)), "MAC changed");
  const farFuture = await issueSession(KEY, T0, SESSION_SECONDS * 10);
  ok(!(await verifySession(farFuture, [KEY], T0)), "a lifetime longer than allowed");
  for (const bad of ["", "v1", KEY, `v2.${expiry}.${nonce}.${mac}`, `${token}x`, "x".repeat(500)]) {
    ok(!(await verifySession(bad, [KEY], T0)), bad);
  }
  ok(!(await verifySession(null, [KEY], T0)));
});

Deno.test("session: only local paths are followed after signing in", () => {
  equal(safeNext("/ui/sync"), "/ui/sync");
  equal(safeNext("/ui/organisations?q=a%20b&icb=QUE"), "/ui/organisations?q=a%20b&icb=QUE");
  for (
    const bad of [
      null,
      "",
      "//evil.example/",
      "/\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "ui/sync",
      "/ui\nLocation: x",
      "/" + "a".repeat(3000),
    ]
  ) {
    equal(safeNext(bad), "/", String(bad));
  }
});

Deno.test("assets: the NHS.UK stylesheet is made self-contained", () => {
  ok(NHSUK_CSS.includes("@font-face") && NHSUK_CSS.includes("assets.nhs.uk"), "as published");
  const css = selfContainedCss(NHSUK_CSS);
  ok(!css.includes("@font-face"), "no web font");
  ok(!/url\(\s*["']?(?:https?:)?\/\//.test(css), "no URL to another site");
  ok(!css.includes("url(/"), "no absolute URL");
  ok(!css.includes("sourceMappingURL"));
  ok(css.includes("arial,sans-serif"), "the font stack's own fallback stays");
  const images = [...css.matchAll(/url\(["']?images\/([^)"']+)/g)].map((m) => m[1]);
  ok(images.length > 0);
  for (const name of images) ok(NHSUK_IMAGES[name], `${name} is served`);
});

Deno.test("layout: URLs are relative to the page", () => {
  equal(relativeBase("/"), "./");
  equal(relativeBase("/ui"), "./");
  equal(relativeBase("/ui/sync"), "./../");
  equal(relativeBase("/ui/sync/"), "./../../");
  equal(relativeBase("/ui/organisations/RGT01"), "./../../");
  equal(href({ base: "./../" }, "/ui/review"), "./../ui/review");
  // Behind a path prefix: the page /ui/sync/runs/1 is served as /p/ui/sync/runs/1.
  const base = relativeBase("/ui/sync/runs/1");
  equal(new URL(href({ base }, "/ui/sync"), "https://h/p/ui/sync/runs/1").pathname, "/p/ui/sync");
  equal(new URL(href({ base }, "/"), "https://h/p/ui/sync/runs/1").pathname, "/p/");
});

Deno.test("format: UK times and dates, ages and values", () => {
  equal(formatInstant("2026-11-25T06:00:00.000Z"), "Wed, 25 Nov 2026, 06:00");
  equal(formatInstant("2026-07-01T06:00:00.000Z"), "Wed, 1 Jul 2026, 07:00", "BST");
  equal(formatInstant(null), "—");
  equal(formatDay("2026-11-24"), "24 Nov 2026");
  equal(formatDay("soon"), "soon");
  equal(formatAge("2026-11-26T08:00:00Z", T0), "1 hour ago");
  equal(formatAge("2026-11-26T09:29:30Z", T0), "just now");
  equal(formatAge("2026-11-20T09:30:00Z", T0), "6 days ago");
  equal(formatAge(null, T0), "never");
  equal(formatValue(null), "");
  equal(formatValue("x"), "x");
  equal(formatValue(["RVV02"]), '["RVV02"]');
  equal(formatValue(false), "false");
});

Deno.test("status page: business as usual, re-querying and alert read differently", async () => {
  const counts = Object.fromEntries(KIND_ORDER.map((k) => [k, 1])) as Record<Kind, number>;
  const render = async (state: Partial<SyncState>, description: string) =>
    await renderPage(
      <StatusPage
        ctx={{ base: "./", signedIn: false, now: T0 }}
        data={{
          counts,
          activeOrganisations: 1,
          state: { ...INITIAL_SYNC_STATE, cursor: "2026-11-25", ...state },
          modeDescription: description,
          lastRun: run({ outcome: "empty", started_at: "2026-11-26T08:00:00.000Z" }),
          reviewOpen: 0,
          quarantined: 0,
          running: false,
        }}
      />,
    );
  const bau = await render({ mode: "bau" }, "business as usual");
  ok(bau.includes('nhsuk-tag--green">Business as usual'));
  ok(!bau.includes("nhsuk-card--warning"));
  const requery = await render(
    { mode: "requery", empty_days: ["2026-11-26", "2026-11-27"] },
    "re-querying day 2 of 3",
  );
  ok(requery.includes('nhsuk-tag--orange">Re-querying day 2 of 3'));
  ok(requery.includes("on 2 working days"));
  const alert = await render(
    { mode: "alert", alert: "No records for 3 working days: raise a log." },
    "alert",
  );
  ok(alert.includes("nhsuk-card--warning"));
  ok(alert.includes("No records for 3 working days: raise a log."));
  ok(alert.includes("mailto:ssd.nationalservicedesk@nhs.net"));
});
