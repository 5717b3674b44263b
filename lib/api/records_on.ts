/**
 * The stored records as they were (or, for a published future date, will be) on a UK date, from
 * ODS's dated facts (`ods_facts`, with each record's own operational and legal dates): the
 * answers of `?as_of=` ({@link ./as_of.ts}). Pure.
 *
 * - Existence: an organisation or trust whose own period starts after the date is left out; one
 *   ended by then stays, with `active: false` (as do ICBs, regions and boards, never left out:
 *   the parents a date's records name are shown, as ODS dates the relationships to them).
 * - A trust's ICB is its `RE5` to an ICB (RO261) in force on the date (none before ICBs existed);
 *   an ICB's region its `RE5` to a region (RO209); a site's trust or board its `RE6` in force.
 * - A site's ICB and region follow its trust and the trust's ICB as they were on the date.
 * - An organisation deleted by a merge (a tombstone) is present, as it was when deleted (its PDU
 *   and network included), for dates before the UK date of its deletion, unless its code is
 *   stored again.
 * - A record with no dated facts of a kind (never synced since ODS facts were kept, or a curated
 *   one) keeps its stored value for it.
 *
 * @module
 */
import type {
  Entities,
  IntegratedCareBoard,
  Kind,
  OdsDates,
  Organisation,
  Trust,
} from "../model.ts";
import { activeOn, governing, relationshipsOf } from "../ods/dated.ts";
import { ENGLAND, icbOf, parentBoardOf, parentTrustOf, regionOf, WALES } from "../ods/entities.ts";
import { type OdsRecord, REL, ROLE } from "../ods/record.ts";
import { ukDate } from "../dates.ts";
import type { RecordLists } from "./dataset.ts";

/** An organisation deleted by `merge --delete` (its tombstone): as it was, and when. */
export interface DeletedOrganisation {
  record: Organisation;
  /** ISO instant of the delete. */
  deleted_at: string;
}

type Dated = Pick<
  OdsDates,
  "active" | "operational_start" | "operational_end" | "legal_start" | "legal_end" | "ods_facts"
>;
type View = Pick<OdsRecord, "active" | "operational" | "legal" | "relationships">;

function viewOf(r: Dated): View {
  return {
    active: r.active,
    operational: { start: r.operational_start, end: r.operational_end },
    legal: { start: r.legal_start, end: r.legal_end },
    relationships: r.ods_facts ? relationshipsOf(r.ods_facts) : [],
  };
}

/** Do the facts hold any relationship `relId` to one of `roles`, whatever its dates? */
function knows(v: View, relId: string, roles: readonly string[]): boolean {
  return v.relationships.some((r) =>
    r.id === relId && r.targetRole !== null && roles.includes(r.targetRole)
  );
}

/**
 * Did the record exist on `date`: its own period (operational, else legal) started on or
 * before it? A record without a start date counts as existing.
 *
 * @example
 * ```ts
 * import { existsOn } from "./records_on.ts";
 *
 * const site = {
 *   active: true,
 *   operational_start: "1999-04-01",
 *   operational_end: null,
 *   legal_start: null,
 *   legal_end: null,
 * };
 * existsOn(site, "1999-03-31"); // false
 * existsOn(site, "1999-04-01"); // true
 * ```
 */
export function existsOn(record: Dated, date: string): boolean {
  const start = governing(viewOf(record)).start;
  return start === null || start <= date;
}

function trustOn(t: Trust, date: string): Trust {
  const v = viewOf(t);
  const icb = knows(v, REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF, [ROLE.STRATEGIC_PARTNERSHIP])
    ? icbOf(v, date)
    : t.integrated_care_board_code;
  return { ...t, active: activeOn(v, date), integrated_care_board_code: icb };
}

function icbOn(i: IntegratedCareBoard, date: string): IntegratedCareBoard {
  const v = viewOf(i);
  const region = knows(v, REL.IS_LOCATED_IN_THE_GEOGRAPHY_OF, [ROLE.NHS_ENGLAND_REGION])
    ? regionOf(v, date)
    : i.nhs_england_region_code;
  return { ...i, active: activeOn(v, date), nhs_england_region_code: region };
}

/** Trusts and ICBs as they were on the date, by code. */
interface Parents {
  trust: ReadonlyMap<string, Trust>;
  icb: ReadonlyMap<string, IntegratedCareBoard>;
}

function organisationOn(o: Organisation, date: string, parents: Parents): Organisation {
  const v = viewOf(o);
  const out = { ...o, active: activeOn(v, date) };
  if (knows(v, REL.IS_OPERATED_BY, [ROLE.NHS_TRUST, ...ROLE.LOCAL_HEALTH_BOARD])) {
    out.trust_code = parentTrustOf(v, date);
    out.local_health_board_code = out.trust_code ? null : parentBoardOf(v, date);
    out.country_code = out.trust_code
      ? ENGLAND
      : out.local_health_board_code
      ? WALES
      : o.country_code;
  }
  const trust = out.trust_code === null ? undefined : parents.trust.get(out.trust_code);
  if (trust) out.integrated_care_board_code = trust.integrated_care_board_code;
  else if (out.trust_code !== o.trust_code) out.integrated_care_board_code = null;
  const icb = out.integrated_care_board_code === null
    ? undefined
    : parents.icb.get(out.integrated_care_board_code);
  if (icb) out.nhs_england_region_code = icb.nhs_england_region_code;
  else if (out.integrated_care_board_code !== o.integrated_care_board_code) {
    out.nhs_england_region_code = null;
  }
  return out;
}

/** The kinds left out on dates before they opened. */
const EXISTING_FROM_START: readonly Kind[] = ["organisation", "trust"];

/**
 * Every record as it was on `date` (see the module documentation); kinds that are not ODS's
 * (PDUs, networks, boroughs, countries) as stored.
 *
 * @example
 * ```ts
 * import type { Trust } from "../model.ts";
 * import type { RecordLists } from "./dataset.ts";
 * import { recordsOn } from "./records_on.ts";
 *
 * const none = { start: null, end: null };
 * const trust = {
 *   ods_code: "RWR",
 *   active: true,
 *   operational_start: "2001-04-01",
 *   operational_end: null,
 *   legal_start: null,
 *   legal_end: null,
 *   integrated_care_board_code: "QM7",
 *   ods_facts: {
 *     roles: [],
 *     successions: [],
 *     relationships: [{
 *       id: "RE5",
 *       target: "QM7",
 *       target_role: "RO261",
 *       active: true,
 *       operational: { start: "2020-04-01", end: null },
 *       legal: none,
 *     }],
 *   },
 * } as unknown as Trust;
 * const lists = { trust: [trust] } as unknown as RecordLists;
 * for (const kind of ["organisation", "integrated_care_board"] as const) lists[kind] = [];
 * recordsOn(lists, "2019-06-01").trust[0].integrated_care_board_code; // null
 * recordsOn(lists, "2000-06-01").trust.length; // 0: not yet opened
 * ```
 */
export function recordsOn(
  lists: RecordLists,
  date: string,
  deleted: readonly DeletedOrganisation[] = [],
): RecordLists {
  const out = { ...lists } as Record<Kind, readonly Entities[Kind][]>;
  const stored = new Set(lists.organisation.map((o) => o.ods_code));
  const then = deleted.filter((d) => date < ukDate(new Date(d.deleted_at)));
  const restored = then.map((d) => d.record).filter((o) => !stored.has(o.ods_code));
  if (restored.length) out.organisation = [...lists.organisation, ...restored];
  for (const kind of EXISTING_FROM_START) {
    out[kind] = (out[kind] as readonly Dated[]).filter((r) => existsOn(r, date)) as never;
  }
  const trusts = (out.trust as Trust[]).map((t) => trustOn(t, date));
  const icbs = (out.integrated_care_board as IntegratedCareBoard[]).map((i) => icbOn(i, date));
  const parents: Parents = {
    trust: new Map(trusts.map((t) => [t.ods_code, t])),
    icb: new Map(icbs.map((i) => [i.ods_code, i])),
  };
  out.trust = trusts;
  out.integrated_care_board = icbs;
  out.organisation = (out.organisation as Organisation[]).map((o) =>
    organisationOn(o, date, parents)
  );
  for (const kind of ["local_health_board", "nhs_england_region"] as const) {
    if (!out[kind]) continue;
    out[kind] = (out[kind] as readonly Dated[]).map((r) => ({
      ...r,
      active: activeOn(viewOf(r), date),
    })) as never;
  }
  return out as RecordLists;
}
