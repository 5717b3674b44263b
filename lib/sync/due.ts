/**
 * What falls due on a UK date: the fields of ODS-backed records that ODS's dated facts (stored as
 * `ods_facts`, with the record's own operational and legal dates) make different on that date
 * from what is stored. A change ODS published in advance (a site moving trust next quarter, a
 * trust moving ICB, a closure) thereby becomes the current state on its date without waiting for
 * ODS to send the record again. Pure: the effective-date job (`./effective.ts`) commits it.
 *
 * The derivation is the sync's (`lib/ods/entities.ts`): `active` from the record's own dates;
 * a site's trust or board from its `RE6` in force; a trust's ICB from its `RE5` in force (kept
 * while the trust is active and ODS gives none); an ICB's region likewise; a site's ICB and region
 * from its trust as this job leaves it.
 *
 * @module
 */
import type { Entities, IntegratedCareBoard, Organisation, Trust } from "../model.ts";
import { activeOn, relationshipsOf } from "../ods/dated.ts";
import {
  ENGLAND,
  icbOf,
  ODS_KINDS,
  type OdsKind,
  parentBoardOf,
  parentTrustOf,
  regionOf,
  WALES,
} from "../ods/entities.ts";
import type { OdsRecord } from "../ods/record.ts";
import type { CurrentState } from "./plan.ts";

/** The stored fields the dates decide. */
type Dated = Pick<
  Organisation,
  "active" | "operational_start" | "operational_end" | "legal_start" | "legal_end" | "ods_facts"
>;

/** The record's own dates and its relationships, in the shape the derivations read. */
function view(r: Dated): Pick<OdsRecord, "active" | "operational" | "legal" | "relationships"> {
  return {
    active: r.active,
    operational: { start: r.operational_start, end: r.operational_end },
    legal: { start: r.legal_start, end: r.legal_end },
    relationships: r.ods_facts ? relationshipsOf(r.ods_facts) : [],
  };
}

/** The trust as it is in force on `on` (only `active` without stored facts). */
function trustOn(t: Trust, on: string): Trust {
  const v = view(t);
  const active = activeOn(v, on);
  if (!t.ods_facts) return { ...t, active };
  const icb = icbOf(v, on) ?? (active ? t.integrated_care_board_code : null);
  return { ...t, active, integrated_care_board_code: icb };
}

/** The ICB as it is in force on `on`. */
function icbRecordOn(i: IntegratedCareBoard, on: string): IntegratedCareBoard {
  const v = view(i);
  const active = activeOn(v, on);
  if (!i.ods_facts) return { ...i, active };
  return { ...i, active, nhs_england_region_code: regionOf(v, on) ?? i.nhs_england_region_code };
}

/** Parents as the job leaves them, by code. */
export interface DueParents {
  trust(code: string): Pick<Trust, "integrated_care_board_code"> | null;
  icb(code: string): Pick<IntegratedCareBoard, "nhs_england_region_code"> | null;
}

/** The organisation as it is in force on `on`, its ICB and region from its trust in `parents`. */
function organisationOn(o: Organisation, on: string, parents: DueParents): Organisation {
  const v = view(o);
  const active = activeOn(v, on);
  if (!o.ods_facts) return { ...o, active };
  const trust = parentTrustOf(v, on);
  const board = trust ? null : parentBoardOf(v, on);
  const icb = trust ? parents.trust(trust)?.integrated_care_board_code ?? null : null;
  return {
    ...o,
    active,
    trust_code: trust,
    local_health_board_code: board,
    integrated_care_board_code: icb,
    nhs_england_region_code: icb ? parents.icb(icb)?.nhs_england_region_code ?? null : null,
    country_code: trust ? ENGLAND : board ? WALES : o.country_code,
  };
}

/**
 * A record of `kind` as it is in force on `on`.
 *
 * @example
 * ```ts
 * import type { LocalHealthBoard } from "../model.ts";
 * import { recordOn } from "./due.ts";
 *
 * const board = {
 *   ods_code: "7A9",
 *   source: "ods",
 *   active: true,
 *   operational_start: "2009-10-01",
 *   operational_end: "2026-12-31",
 *   legal_start: null,
 *   legal_end: null,
 * } as LocalHealthBoard;
 * const none = { trust: () => null, icb: () => null };
 * recordOn("local_health_board", board, "2027-01-01", none).active; // false
 * ```
 */
export function recordOn<K extends OdsKind>(
  kind: K,
  record: Entities[K],
  on: string,
  parents: DueParents,
): Entities[K] {
  if (kind === "organisation") {
    return organisationOn(record as Organisation, on, parents) as Entities[K];
  }
  if (kind === "trust") return trustOn(record as Trust, on) as Entities[K];
  if (kind === "integrated_care_board") {
    return icbRecordOn(record as IntegratedCareBoard, on) as Entities[K];
  }
  return { ...record, active: activeOn(view(record as unknown as Dated), on) };
}

/** Fields that differ between two versions of a record (shallow, JSON values). */
function differs(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return Object.keys(y).some((k) => JSON.stringify(x[k] ?? null) !== JSON.stringify(y[k] ?? null));
}

/** One record that falls due. */
export interface Due {
  kind: OdsKind;
  code: string;
}

/**
 * The ODS-backed records whose dated fields change on `on`, parents first, with the parents as
 * they will be (what the records' update functions derive from).
 *
 * @example
 * ```ts
 * import { type CurrentState } from "./plan.ts";
 * import { dueOn } from "./due.ts";
 *
 * const none = {
 *   organisation: new Map(),
 *   trust: new Map(),
 *   local_health_board: new Map(),
 *   integrated_care_board: new Map(),
 *   nhs_england_region: new Map(),
 * } as CurrentState;
 * dueOn(none, "2027-04-01").due; // []: nothing stored, nothing due
 * ```
 */
export function dueOn(current: CurrentState, on: string): { due: Due[]; parents: DueParents } {
  const trusts = new Map<string, Trust>();
  const icbs = new Map<string, IntegratedCareBoard>();
  for (const [code, t] of current.trust) trusts.set(code, t.source === "ods" ? trustOn(t, on) : t);
  for (const [code, i] of current.integrated_care_board) {
    icbs.set(code, i.source === "ods" ? icbRecordOn(i, on) : i);
  }
  const parents: DueParents = {
    trust: (code) => trusts.get(code) ?? null,
    icb: (code) => icbs.get(code) ?? null,
  };
  const due: Due[] = [];
  for (const kind of ODS_KINDS) {
    for (const [code, rec] of current[kind] as Map<string, { source: string }>) {
      if (rec.source !== "ods") continue;
      if (differs(rec, recordOn(kind, rec as never, on, parents))) due.push({ kind, code });
    }
  }
  return { due, parents };
}
