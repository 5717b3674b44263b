/**
 * Where a created organisation's memberships come from (first found wins):
 *
 * - PDU: the tombstone of a deleted organisation with the same code; the reference row for the
 *   code; an organisation ODS lists as its predecessor; the reference row for its parent.
 * - OPEN UK network: the tombstone; the reference rows for the parent (by the original's seeding
 *   rule, `openUkNetworkOf` in `lib/memberships.ts`: the last row wins); a predecessor.
 *
 * Pure: reads go through a {@linkcode Reader}.
 *
 * @module
 */
import { openUkNetworkOf, pduOfCode, type SiteParent } from "../memberships.ts";
import type { Organisation, SeedMemberships } from "../model.ts";
import type { OdsRecord } from "../ods/record.ts";
import {
  type Candidate,
  fail,
  type Guard,
  type Halt,
  type Membership,
  MEMBERSHIP_FIELD,
  MEMBERSHIP_LABEL,
  type MembershipChoice,
  type Question,
  type Reader,
  type TombstoneRead,
} from "./plan.ts";

/** An organisation ODS names as the site's predecessor, and where its record was found. */
export interface Predecessor {
  code: string;
  record: Organisation;
  how: string;
}

/** Where a new organisation's memberships are looked for. */
export interface Places {
  /** The organisation's code. */
  code: string;
  /** Its tombstone (a previous delete of the same code), if any. */
  tombstone: TombstoneRead;
  /** Its parent trust or local health board, and how to name it (`trust RGT`). */
  parent: SiteParent & { label: string };
  /**
   * Is the parent's code a trust's? For a health board: does a trust share its code (7A7
   * does)? Then, as in the original's seed, the board's sites get no network from its row.
   */
  parentCodeIsTrust: boolean;
  /** The curated reference rows. */
  ref: SeedMemberships;
  /** Predecessor codes in ODS (other than the site itself). */
  predecessorCodes: string[];
  predecessors: Predecessor[];
}

/**
 * The predecessors ODS names for `ods` (other than itself), and those found in the store or as
 * tombstones. Reads through `r`: check `r.missing` afterwards.
 *
 * @example
 * ```ts
 * import { readPredecessors } from "./memberships.ts";
 * import { emptyKnown, Reader } from "./plan.ts";
 *
 * const r = new Reader(emptyKnown());
 * readPredecessors("RGT01", { successions: [] }, r); // { codes: [], found: [] }
 * ```
 */
export function readPredecessors(
  code: string,
  ods: Pick<OdsRecord, "successions">,
  r: Reader,
): { codes: string[]; found: Predecessor[] } {
  const predecessors = ods.successions.filter((s) => s.type === "Predecessor");
  const codes = [...new Set(predecessors.map((s) => s.target))].filter((p) => p !== code);
  const found: Predecessor[] = [];
  for (const p of codes) {
    const inStore = r.record("organisation", p);
    const tomb = r.tombstone(p);
    if (inStore === undefined || tomb === undefined) continue;
    if (inStore) found.push({ code: p, record: inStore, how: "in the store" });
    else if (tomb.value) found.push({ code: p, record: tomb.value.record, how: "deleted" });
  }
  return { codes, found };
}

function fromTombstone(p: Places, m: Membership): Candidate | null {
  const tomb = p.tombstone.value;
  const value = tomb?.record[MEMBERSHIP_FIELD[m]] ?? null;
  if (!tomb || !value) return null;
  return {
    code: value,
    source: `tombstone of ${p.code} (deleted ${tomb.deleted_at.slice(0, 10)})`,
  };
}

function fromPredecessors(p: Places, m: Membership): (Candidate | null)[] {
  return p.predecessors.map((pred) => {
    const value = pred.record[MEMBERSHIP_FIELD[m]];
    return value
      ? { code: value, source: `predecessor ${pred.code} (ODS succession, ${pred.how})` }
      : null;
  });
}

function pduRow(p: Places, code: string): Candidate | null {
  const pz = pduOfCode(p.ref.pdu, code);
  if (!pz) return null;
  return { code: pz, source: `reference data (${code === p.code ? code : p.parent.label})` };
}

function networkRow(p: Places): Candidate | null {
  const code = openUkNetworkOf(p.ref.openuk, p.parent, () => p.parentCodeIsTrust);
  return code ? { code, source: `reference data (${p.parent.label})` } : null;
}

function tombstonePlace(p: Places): string {
  return `tombstone of ${p.code}${p.tombstone.value ? "" : " (none)"}`;
}

function predecessorPlace(p: Places): string {
  return p.predecessorCodes.length
    ? `predecessors in ODS (${p.predecessorCodes.join(", ")})`
    : "predecessors in ODS (none)";
}

/** The first candidate found wins; the others naming a different code are kept for a note. */
function choose(candidates: (Candidate | null)[], lookedIn: string[]): MembershipChoice {
  const found = candidates.filter((c): c is Candidate => c !== null);
  const chosen = found[0] ?? null;
  const alsoFound: Candidate[] = [];
  for (const c of found.slice(1)) {
    if (c.code !== chosen?.code && !alsoFound.some((a) => a.code === c.code)) alsoFound.push(c);
  }
  return { code: chosen?.code ?? null, source: chosen?.source ?? null, lookedIn, alsoFound };
}

/**
 * The PDU: from the tombstone, the organisation's reference row, a predecessor, then the
 * parent's reference row (first found wins).
 *
 * @example
 * ```ts
 * import { choosePdu } from "./memberships.ts";
 *
 * const choice = choosePdu({
 *   code: "RGT01",
 *   tombstone: { value: null, versionstamp: null },
 *   parent: { kind: "trust", code: "RGT", label: "trust RGT" },
 *   parentCodeIsTrust: true,
 *   ref: { pdu: [{ ods_code: "RGT", pz_code: "PZ041" }], openuk: [], trust_icb: [] },
 *   predecessorCodes: [],
 *   predecessors: [],
 * });
 * [choice.code, choice.source]; // ["PZ041", "reference data (trust RGT)"]
 * ```
 */
export function choosePdu(p: Places): MembershipChoice {
  return choose(
    [
      fromTombstone(p, "pdu"),
      pduRow(p, p.code),
      ...fromPredecessors(p, "pdu"),
      pduRow(p, p.parent.code),
    ],
    [
      tombstonePlace(p),
      `reference data for ${p.code}`,
      predecessorPlace(p),
      `reference data for ${p.parent.label}`,
    ],
  );
}

/**
 * The OPEN UK network: from the tombstone, the parent's reference rows (the last one wins, as
 * the original's seed applied them in order), then a predecessor.
 *
 * @example
 * ```ts
 * import { chooseNetwork } from "./memberships.ts";
 *
 * const choice = chooseNetwork({
 *   code: "RGT01",
 *   tombstone: { value: null, versionstamp: null },
 *   parent: { kind: "trust", code: "RGT", label: "trust RGT" },
 *   parentCodeIsTrust: true,
 *   ref: { pdu: [], openuk: [{ parent_code: "RGT", network_code: "EPEN" }], trust_icb: [] },
 *   predecessorCodes: [],
 *   predecessors: [],
 * });
 * choice.code; // "EPEN"
 * ```
 */
export function chooseNetwork(p: Places): MembershipChoice {
  return choose(
    [fromTombstone(p, "network"), networkRow(p), ...fromPredecessors(p, "network")],
    [tombstonePlace(p), `reference data for ${p.parent.label}`, predecessorPlace(p)],
  );
}

/**
 * A membership must name something the store has: fail naming it otherwise (or ask to read the
 * PDU and network records first).
 *
 * @example
 * ```ts
 * import { checkMembershipsStored } from "./memberships.ts";
 * import { emptyKnown, Reader } from "./plan.ts";
 *
 * const none = { code: null, source: null, lookedIn: [], alsoFound: [] };
 * checkMembershipsStored("RGT01", none, none, new Reader(emptyKnown())); // undefined: nothing to check
 * ```
 */
export function checkMembershipsStored(
  code: string,
  pdu: MembershipChoice,
  network: MembershipChoice,
  r: Reader,
): Halt | undefined {
  const pduRecord = pdu.code ? r.record("paediatric_diabetes_unit", pdu.code) : null;
  const networkRecord = network.code ? r.record("openuk_network", network.code) : null;
  if (r.missing) return r.need();
  if (pdu.code && !pduRecord) {
    return fail(
      `PDU ${pdu.code} (from ${pdu.source}) is not in the store, so ${code} was not ` +
        `created. Add the PDU to the store first, or create ${code} from a reference without it.`,
    );
  }
  if (network.code && !networkRecord) {
    return fail(
      `OPEN UK network ${network.code} (from ${network.source}) is not in the store, so ` +
        `${code} was not created.`,
    );
  }
  return undefined;
}

/** What a plan shows and checks: filled in by {@linkcode noteMembership}. */
export interface PlanMessages {
  guards: Guard[];
  notes: string[];
  warnings: string[];
  questions: Question[];
}

/**
 * Guard a chosen membership and note the other candidates; without one, warn and ask before
 * going on.
 *
 * @example
 * ```ts
 * import { noteMembership } from "./memberships.ts";
 *
 * const out = { guards: [], notes: [], warnings: [], questions: [] };
 * noteMembership("RGT01", "pdu", { code: null, source: null, lookedIn: ["x"], alsoFound: [] }, out);
 * out.questions.length; // 1: continue without a PDU?
 * ```
 */
export function noteMembership(
  code: string,
  m: Membership,
  choice: MembershipChoice,
  d: PlanMessages,
): void {
  const label = MEMBERSHIP_LABEL[m];
  if (choice.code) {
    d.guards.push({
      kind: m === "pdu" ? "paediatric_diabetes_unit" : "openuk_network",
      code: choice.code,
    });
    for (const other of choice.alsoFound) {
      d.notes.push(
        `${label}: also found ${other.code} in ${other.source}; using ` +
          `${choice.code} from ${choice.source}.`,
      );
    }
    return;
  }
  d.warnings.push(`No ${label} found for ${code}. Looked in: ${choice.lookedIn.join("; ")}.`);
  d.questions.push({
    message: `Continue creating ${code} without a ${label}? (add one later ` +
      `with --link-${m} ${m === "pdu" ? "PZnnn" : "CODE"})`,
    defaultAnswer: false,
  });
}
