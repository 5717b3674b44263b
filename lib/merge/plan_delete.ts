/**
 * Planning `--delete` of one organisation: what it belongs to, how many others share each
 * relation, and the loud warning when it is the last member of its PDU or network.
 *
 * @module
 */
import type { AnyRecord, Kind, Organisation } from "../model.ts";
import {
  type DeletePlan,
  fail,
  type Known,
  Reader,
  type Relation,
  type SharedField,
  type Step,
} from "./plan.ts";

/** Names shown next to a relationship, by the kind holding it. */
function nameOf(record: AnyRecord | null | undefined): string | null {
  if (!record) return null;
  const r = record as unknown as Record<string, unknown>;
  if (typeof r.name === "string") return r.name;
  if (typeof r.paediatric_diabetes_network_code === "string") {
    return `network ${r.paediatric_diabetes_network_code}`;
  }
  return null;
}

const RELATIONS: { label: string; field: SharedField; kind: Kind }[] = [
  { label: "PDU", field: "paediatric_diabetes_unit_code", kind: "paediatric_diabetes_unit" },
  { label: "OPEN UK network", field: "openuk_network_code", kind: "openuk_network" },
  { label: "Trust", field: "trust_code", kind: "trust" },
  { label: "Local health board", field: "local_health_board_code", kind: "local_health_board" },
  { label: "ICB", field: "integrated_care_board_code", kind: "integrated_care_board" },
  { label: "NHS England region", field: "nhs_england_region_code", kind: "nhs_england_region" },
  { label: "Country", field: "country_code", kind: "country" },
  { label: "London borough", field: "london_borough_code", kind: "london_borough" },
];

/** Loud warning text for an organisation that is the last of its PDU or network. */
function lastMemberWarnings(
  code: string,
  relations: readonly Relation[],
  what: "deleting" | "unlinking",
  only: readonly SharedField[],
): string[] {
  const out: string[] = [];
  for (const rel of relations) {
    if (!only.includes(rel.field) || rel.code === null || rel.others !== 0) continue;
    out.push(
      `${code} IS THE LAST ORGANISATION OF ${rel.label.toUpperCase()} ${rel.code}: ${what} it ` +
        `leaves the ${rel.label} with no organisation.`,
    );
  }
  return out;
}

function relationsOf(org: Organisation, r: Reader): Relation[] | undefined {
  const out: Relation[] = [];
  for (const spec of RELATIONS) {
    const value = org[spec.field];
    if (!value) {
      out.push({ label: spec.label, field: spec.field, code: null, name: null, others: null });
      continue;
    }
    const record = r.record(spec.kind, value);
    const members = r.members(spec.field, value);
    out.push({
      label: spec.label,
      field: spec.field,
      code: value,
      name: record === undefined ? null : nameOf(record) ?? (record ? null : "(not in the store)"),
      others: members ? members.filter((c) => c !== org.ods_code).length : null,
    });
  }
  return r.missing ? undefined : out;
}

/**
 * Plan `--delete` of one organisation: what it belongs to, what breaks, what is kept.
 *
 * @example
 * ```ts
 * import { planDelete } from "./plan_delete.ts";
 * import { emptyKnown } from "./plan.ts";
 *
 * planDelete("RGT01", emptyKnown()).status; // "need": the organisation and its tombstone
 * ```
 */
export function planDelete(code: string, known: Known): Step<DeletePlan> {
  const r = new Reader(known);
  const org = r.record("organisation", code);
  const tombstone = r.tombstone(code);
  if (r.missing) return r.need();
  if (!org) {
    const when = tombstone!.value ? ` (already deleted ${tombstone!.value.deleted_at})` : "";
    return fail(`${code} does not exist in the store${when}`);
  }
  const relations = relationsOf(org, r);
  if (!relations) return r.need();
  const warnings = lastMemberWarnings(code, relations, "deleting", [
    "paediatric_diabetes_unit_code",
    "openuk_network_code",
  ]);
  const notes = [
    `A tombstone keeps ${code} and its memberships: \`deno task merge -o ${code} --create\` ` +
    `restores them.`,
  ];
  if (org.active) notes.push(`${code} is still ACTIVE in ODS as last synced.`);
  if (tombstone!.value) {
    notes.push(`It replaces the tombstone of the delete on ${tombstone!.value.deleted_at}.`);
  }
  return {
    status: "ready",
    plan: {
      action: "delete",
      code,
      organisation: org,
      relations,
      previousTombstone: tombstone!,
      notes,
      warnings,
      questions: [{
        message: `Are you sure you want to delete ${code} (${org.name})?`,
        defaultAnswer: false,
      }],
    },
  };
}
