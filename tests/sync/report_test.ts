import { ok } from "node:assert/strict";
import { markdownReport } from "../../lib/sync/report.ts";

const row = (value: string) => ({
  entity: "organisation",
  code: "RGT01",
  op: "update" as const,
  field: "name",
  old: "ADDENBROOKE'S HOSPITAL",
  new: value,
  last_change_date: "2026-11-24",
});

Deno.test("report: ODS text is HTML-escaped, so a Markdown viewer shows it instead of running it", () => {
  const md = markdownReport("Sync run", [row("<script>alert(1)</script> & <b>bold</b>")]);
  ok(md.includes("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"), md);
  ok(!md.includes("<script>"), md);
});

Deno.test("report: a | or a newline in ODS text cannot break the table", () => {
  const md = markdownReport("Sync run", [row("A | B\nC")]);
  ok(md.includes("| A \\| B C |"), md);
});
