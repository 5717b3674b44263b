import { deepEqual, equal, ok } from "node:assert/strict";
import { runRecord } from "../fixtures.ts";
import { escapeXml, niceTicks, runPoints, syncChart } from "../../lib/ui/chart.ts";

Deno.test("chart: round ticks from zero", () => {
  deepEqual(niceTicks(635), [0, 200, 400, 600, 800]);
  deepEqual(niceTicks(53), [0, 20, 40, 60]);
  deepEqual(niceTicks(1), [0, 0.5, 1]);
  deepEqual(niceTicks(0), [0, 1]);
  deepEqual(niceTicks(4), [0, 1, 2, 3, 4]);
});

Deno.test("chart: points are oldest first and count every kind of failure", () => {
  const newestFirst = [
    runRecord({ started_at: "2026-11-26T06:00:00.000Z", outcome: "failed", errors: ["ODS down"] }),
    runRecord({
      started_at: "2026-11-25T06:00:00.000Z",
      changed: 53,
      quarantined: [{ code: "RVV", reason: "bad" }],
      not_found: ["ZZ404"],
    }),
    runRecord({ started_at: "2026-11-24T06:00:00.000Z", changed: 635 }),
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
