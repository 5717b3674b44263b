/**
 * Planning `--link-*` / `--unlink-*` on one existing organisation: each membership asked for is
 * checked on its own ({@linkcode planMembershipChange}), then the changes are applied together.
 *
 * @module
 */
import type { Organisation } from "../model.ts";
import {
  fail,
  type Guard,
  type Halt,
  type Known,
  type LinkChange,
  type LinkPlan,
  type Membership,
  MEMBERSHIP_FIELD,
  MEMBERSHIP_LABEL,
  type Question,
  Reader,
  type Step,
} from "./plan.ts";

/** What to change with `--link-*` / `--unlink-*`: `undefined` leaves a membership alone. */
export interface LinkRequest {
  pdu?: string | null;
  network?: string | null;
}

/** What a link plan collects on the way. */
interface LinkDraft {
  changes: LinkChange[];
  guards: Guard[];
  notes: string[];
  warnings: string[];
  questions: Question[];
}

const MEMBERSHIP_KIND = {
  pdu: "paediatric_diabetes_unit",
  network: "openuk_network",
} as const;

/** The PDU or network to link to must be in the store. */
function checkTarget(
  code: string,
  m: Membership,
  to: string,
  r: Reader,
  d: LinkDraft,
): Halt | undefined {
  const kind = MEMBERSHIP_KIND[m];
  const target = r.record(kind, to);
  if (target === undefined) return r.need();
  if (!target) {
    return fail(`${MEMBERSHIP_LABEL[m]} ${to} is not in the store; ${code} was not changed`);
  }
  d.guards.push({ kind, code: to });
  return undefined;
}

/** Leaving `from`: warn when the organisation is its last member; ask before a move. */
function checkLeaving(
  code: string,
  m: Membership,
  from: string,
  to: string | null,
  r: Reader,
  d: LinkDraft,
): Halt | undefined {
  const label = MEMBERSHIP_LABEL[m];
  const members = r.members(MEMBERSHIP_FIELD[m], from);
  if (!members) return r.need();
  if (members.filter((c) => c !== code).length === 0) {
    d.warnings.push(
      `${code} IS THE LAST ORGANISATION OF ${label.toUpperCase()} ${from}: ` +
        `${to ? "moving" : "unlinking"} it leaves the ${label} with no organisation.`,
    );
  }
  if (to) {
    d.questions.push({
      message: `${code} is in ${label} ${from}. Move it to ${to}?`,
      defaultAnswer: false,
    });
  }
  return undefined;
}

/** Plan one membership change (`to`: a code to link, `null` to unlink) into `d`. */
function planMembershipChange(
  code: string,
  org: Organisation,
  m: Membership,
  to: string | null,
  r: Reader,
  d: LinkDraft,
): Halt | undefined {
  const from = org[MEMBERSHIP_FIELD[m]];
  if (from === to) {
    d.notes.push(
      to
        ? `${code} is already in ${MEMBERSHIP_LABEL[m]} ${to}.`
        : `${code} has no ${MEMBERSHIP_LABEL[m]}.`,
    );
    return undefined;
  }
  const halt = (to ? checkTarget(code, m, to, r, d) : undefined) ??
    (from ? checkLeaving(code, m, from, to, r, d) : undefined);
  if (halt) return halt;
  d.changes.push({ membership: m, from, to });
  return undefined;
}

/** The organisation with every change applied. */
function applyChanges(org: Organisation, changes: readonly LinkChange[]): Organisation {
  let next: Organisation = { ...org };
  for (const c of changes) next = { ...next, [MEMBERSHIP_FIELD[c.membership]]: c.to };
  return next;
}

/**
 * Plan `--link-*` / `--unlink-*` on one existing organisation.
 *
 * @example
 * ```ts
 * import { planLink } from "./plan_link.ts";
 * import { emptyKnown } from "./plan.ts";
 *
 * planLink("RGT01", { pdu: "PZ041" }, emptyKnown()).status; // "need": the organisation
 * ```
 */
export function planLink(code: string, request: LinkRequest, known: Known): Step<LinkPlan> {
  const r = new Reader(known);
  const org = r.record("organisation", code);
  if (r.missing) return r.need();
  if (!org) return fail(`${code} does not exist in the store; create it first with --create`);
  const d: LinkDraft = { changes: [], guards: [], notes: [], warnings: [], questions: [] };
  for (const m of ["pdu", "network"] as const) {
    const to = request[m];
    if (to === undefined) continue;
    const halt = planMembershipChange(code, org, m, to, r, d);
    if (halt) return halt;
  }
  if (d.changes.length === 0) {
    return { status: "noop", reason: d.notes.join(" ") || `nothing to change for ${code}` };
  }
  d.questions.push({
    message: `Apply ${d.changes.length === 1 ? "this change" : "these changes"} to ${code} ` +
      `(${org.name})?`,
    defaultAnswer: true,
  });
  const { changes, guards, notes, warnings, questions } = d;
  return {
    status: "ready",
    plan: {
      action: "link",
      code,
      organisation: org,
      next: applyChanges(org, changes),
      changes,
      guards,
      notes,
      warnings,
      questions,
    },
  };
}
