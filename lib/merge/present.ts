/**
 * Terminal output of `deno task merge`: plans, relationships, warnings, what a dry run would
 * write, and the summary. Functions return text; the caller writes it.
 *
 * @module
 */
import { styleText } from "node:util";
import type { FieldChange } from "../diff.ts";
import { type Entities, type Kind, KINDS } from "../model.ts";
import { indexEntries } from "../store.ts";
import type { Applied } from "./apply.ts";
import type { CreatePlan, DeletePlan, LinkPlan, MembershipChoice, Plan } from "./plan.ts";

type Format = Parameters<typeof styleText>[0];

/** Colours on or off (off for pipes, `NO_COLOR`, and tests). */
export class Painter {
  constructor(readonly color: boolean) {}

  paint(format: Format, text: string): string {
    return this.color ? styleText(format, text, { validateStream: false }) : text;
  }
  bold = (t: string): string => this.paint("bold", t);
  dim = (t: string): string => this.paint("dim", t);
  green = (t: string): string => this.paint("green", t);
  yellow = (t: string): string => this.paint("yellow", t);
  /** A loud warning: bold red on its own line. */
  alarm = (t: string): string => this.paint(["bold", "red"], `!! ${t}`);
}

/** Lay out rows as aligned columns (the first row is the header). */
export function table(rows: readonly (readonly string[])[], indent = ""): string {
  if (rows.length === 0) return "";
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length));
  }
  return rows.map((row) =>
    indent + row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i])).join("  ")
      .trimEnd()
  ).join("\n") + "\n";
}

const KIND_LABEL: Record<Kind, string> = {
  organisation: "organisation",
  trust: "trust",
  local_health_board: "local health board",
  integrated_care_board: "ICB",
  nhs_england_region: "NHS England region",
  country: "country",
  london_borough: "London borough",
  paediatric_diabetes_unit: "PDU",
  paediatric_diabetes_network: "PDU network",
  openuk_network: "OPEN UK network",
  general_practice: "GP practice",
  sub_icb_location: "sub-ICB location",
};

const dash = (v: string | null | undefined): string => v ?? "—";

function membershipLine(choice: MembershipChoice): string {
  return choice.code ? `${choice.code}  (from ${choice.source})` : "none found";
}

function notesAndWarnings(plan: Plan, p: Painter): string {
  let out = "";
  for (const n of plan.notes) out += `  ${p.dim(n)}\n`;
  for (const w of plan.warnings) out += `  ${p.alarm(w)}\n`;
  return out;
}

/** What `--create` will do for one organisation. */
export function renderCreatePlan(plan: CreatePlan, p: Painter): string {
  const o = plan.organisation;
  const isNew = (kind: Kind, code: string | null) =>
    code && plan.parents.some((x) => x.kind === kind && x.code === code) ? "  (new: from ODS)" : "";
  const rows: string[][] = [
    ["Name", o.name],
    ["Address", [o.address1, o.city, o.postcode].filter(Boolean).join(", ") || "—"],
    [
      "ODS status",
      `${plan.ods.active ? "active" : "INACTIVE"}, last changed ${plan.ods.lastChangeDate}`,
    ],
  ];
  if (o.trust_code) rows.push(["Trust", o.trust_code + isNew("trust", o.trust_code)]);
  if (o.local_health_board_code) {
    rows.push([
      "Local health board",
      o.local_health_board_code + isNew("local_health_board", o.local_health_board_code),
    ]);
  }
  rows.push(
    [
      "ICB",
      dash(o.integrated_care_board_code) +
      isNew("integrated_care_board", o.integrated_care_board_code),
    ],
    [
      "NHS England region",
      dash(o.nhs_england_region_code) + isNew("nhs_england_region", o.nhs_england_region_code),
    ],
    ["Country", dash(o.country_code)],
    ["London borough", dash(o.london_borough_code)],
    ["PDU", membershipLine(plan.pdu)],
    ["OPEN UK network", membershipLine(plan.network)],
  );
  let out = `${p.bold(`Create ${plan.code}`)}\n${table(rows, "  ")}`;
  for (const parent of plan.parents) {
    const name = (parent.record as { name?: string }).name ?? "";
    out += `  ${p.green("+")} new ${KIND_LABEL[parent.kind]} ${parent.code} ${name}\n`;
  }
  return out + notesAndWarnings(plan, p);
}

/** The organisation and all its relationships, with how many others share each. */
export function renderDeletePlan(plan: DeletePlan, p: Painter): string {
  const o = plan.organisation;
  let out = p.alarm(`You are about to delete ${plan.code} (${o.name}).`) + "\n";
  out += "  It has the following relationships:\n";
  const rows: string[][] = [["Relationship", "Code", "Name", "Other organisations"]];
  for (const rel of plan.relations) {
    rows.push([
      rel.label,
      dash(rel.code),
      rel.code ? dash(rel.name) : "",
      rel.others === null ? "" : String(rel.others),
    ]);
  }
  return out + table(rows, "  ") + notesAndWarnings(plan, p);
}

/** The membership changes `--link-*` / `--unlink-*` will make. */
export function renderLinkPlan(plan: LinkPlan, p: Painter): string {
  const label = { pdu: "PDU", network: "OPEN UK network" } as const;
  const rows: string[][] = [["Membership", "Now", "After"]];
  for (const c of plan.changes) rows.push([label[c.membership], dash(c.from), dash(c.to)]);
  return `${p.bold(`Change ${plan.code} (${plan.organisation.name})`)}\n${table(rows, "  ")}` +
    notesAndWarnings(plan, p);
}

/** Any plan. */
export function renderPlan(plan: Plan, p: Painter): string {
  if (plan.action === "create") return renderCreatePlan(plan, p);
  if (plan.action === "delete") return renderDeletePlan(plan, p);
  return renderLinkPlan(plan, p);
}

function value(v: unknown): string {
  return JSON.stringify(v) ?? "null";
}

function indexDelta(kind: Kind, code: string, changes: FieldChange[]): [number, number] {
  const before = Object.fromEntries(changes.map((c) => [c.field, c.old]));
  const after = Object.fromEntries(changes.map((c) => [c.field, c.new]));
  const indexed = new Set<string>(KINDS[kind].indexed);
  const count = (r: Record<string, unknown>) =>
    indexEntries(kind, code, r as unknown as Entities[Kind]).filter((k) =>
      indexed.has(String(k[2]))
    ).length;
  return [count(after), count(before)];
}

/**
 * Exactly what a commit writes (or, in a dry run, would write): each record with every changed
 * field, its index entries, tombstone mutations and change log entries.
 */
export function renderWrites(applied: Applied, p: Painter, dryRun: boolean): string {
  const head = dryRun ? "Would write, in one atomic commit:" : "Wrote, in one atomic commit:";
  let out = `  ${p.bold(head)}\n`;
  for (const e of applied.entries) {
    const [added, removed] = indexDelta(e.entity, e.code, e.changes);
    const idx = [added ? `+${added}` : "", removed ? `-${removed}` : ""].filter(Boolean).join(
      " ",
    );
    out += `    ${e.op} ${KIND_LABEL[e.entity]} ${e.code}` +
      `${idx ? `  (index entries ${idx})` : ""}\n`;
    if (dryRun && e.op !== "delete") {
      for (const c of e.changes) {
        out += e.op === "create"
          ? `      ${c.field}: ${value(c.new)}\n`
          : `      ${c.field}: ${value(c.old)} → ${value(c.new)}\n`;
      }
    }
  }
  for (const x of applied.extras) {
    out += `    ${x.op} ${x.key.join("/")}${
      x.op === "set" ? " (memberships kept for --create)" : ""
    }\n`;
  }
  if (applied.entries.length) {
    out += `    ${applied.entries.length} change log entr${
      applied.entries.length === 1 ? "y" : "ies"
    } (cause merge)\n`;
  }
  return out;
}

/** How one code ended. */
export interface CodeResult {
  code: string;
  action: "create" | "delete" | "link";
  /** `failed` makes the exit code non-zero; `declined` and `unchanged` don't. */
  result:
    | "created"
    | "deleted"
    | "changed"
    | "would create"
    | "would delete"
    | "would change"
    | "declined"
    | "unchanged"
    | "failed"
    | "not run";
  detail: string;
}

/** Did this result fail? */
export const isFailure = (r: CodeResult): boolean =>
  r.result === "failed" || r.result === "not run";

/** The table at the end of a run, and the counts. */
export function renderSummary(results: readonly CodeResult[], p: Painter): string {
  const header = ["Code", "Action", "Result", "Detail"];
  const plain = results.map((r) => [r.code, r.action, r.result, r.detail]);
  const widths = header.map((h, i) => Math.max(h.length, ...plain.map((row) => row[i].length)));
  const colour = (r: CodeResult, cell: string) =>
    isFailure(r)
      ? p.paint(["bold", "red"], cell)
      : r.result === "declined" || r.result === "unchanged"
      ? p.yellow(cell)
      : p.green(cell);
  const line = (cells: string[], r?: CodeResult) =>
    "  " + cells.map((cell, i) => {
      if (i === cells.length - 1) return cell;
      const padded = cell.padEnd(widths[i]);
      return r && i === 2 ? colour(r, padded) : padded;
    }).join("  ").trimEnd();
  const failed = results.filter(isFailure).length;
  const counts = `${results.length} code(s): ${results.length - failed} ok, ${failed} failed`;
  return `\n${p.bold("Summary")}\n${line(header)}\n` +
    results.map((r, i) => line(plain[i], r) + "\n").join("") +
    `  ${failed ? p.paint(["bold", "red"], counts) : counts}\n`;
}
