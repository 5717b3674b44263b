/**
 * The sync run's diff as a Markdown report (entity, field, old, new), as the dry run prints it.
 *
 * @module
 */
import type { ChangeEntry } from "../store.ts";

/** A flat row of the report. */
export interface DiffRow {
  entity: string;
  code: string;
  op: ChangeEntry["op"];
  field: string;
  old: unknown;
  new: unknown;
  last_change_date: string | null;
}

/**
 * Flatten change entries into one row per changed field.
 *
 * @example
 * ```ts
 * import { diffRows } from "./report.ts";
 *
 * diffRows([]); // []
 * ```
 */
export function diffRows(entries: readonly ChangeEntry[]): DiffRow[] {
  return entries.flatMap((e) =>
    e.changes.map((c) => ({
      entity: e.entity,
      code: e.code,
      op: e.op,
      field: c.field,
      old: c.old,
      new: c.new,
      last_change_date: e.last_change_date,
    }))
  );
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined || v === "") return "";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  // HTML-escaped too: a Markdown viewer renders raw HTML, and ODS text is data, not markup.
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll("|", "\\|").replaceAll("\n", " ");
};

/**
 * Render rows as Markdown: a heading, a summary line and a `| Entity | Code | Field | Old | New |`
 * table. Without rows it says "No changes.", or, for a failed run (`failed`), that nothing was
 * applied because the run failed: a failure is never "no changes".
 *
 * @example
 * ```ts
 * import { markdownReport } from "./report.ts";
 *
 * markdownReport("Sync dry run", []).endsWith("No changes.\n"); // true
 * markdownReport("Sync dry run", [], [], { failed: true }).includes("No changes"); // false
 * ```
 */
export function markdownReport(
  title: string,
  rows: readonly DiffRow[],
  notes: string[] = [],
  options: { failed?: boolean } = {},
): string {
  const records = new Set(rows.map((r) => `${r.entity}:${r.code}`)).size;
  const lines = [`# ${title}`, "", `${records} record(s), ${rows.length} field change(s).`, ""];
  for (const n of notes) lines.push(`- ${n}`);
  if (notes.length) lines.push("");
  if (rows.length) {
    lines.push("| Entity | Code | Field | Old | New | ODS LastChangeDate |");
    lines.push("|---|---|---|---|---|---|");
    for (const r of rows) {
      lines.push(
        `| ${r.entity} | ${r.code} | ${r.field} | ${cell(r.old)} | ${cell(r.new)} | ${
          cell(r.last_change_date)
        } |`,
      );
    }
  } else if (options.failed) {
    lines.push("Nothing was applied: the run failed.");
  } else {
    lines.push("No changes.");
  }
  return lines.join("\n") + "\n";
}
