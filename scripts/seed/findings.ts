/**
 * What building the seed finds on the way: the rows it could not resolve (carried in the seed)
 * and the notes for the report. One {@linkcode Findings} is filled by the section builders in
 * turn, so everything is listed in the order it was found.
 *
 * @module
 */
import type { Unresolved, UnresolvedKind } from "../../lib/seed.ts";

/** A trust that appears with several ICBs in the trust → ICB map. */
export interface MultiIcbTrust {
  trust_code: string;
  chosen: string;
  /** Every ICB the trust appears with, and how many rows, in first-appearance order. */
  icbs: { icb_code: string; rows: number }[];
  /** Seeded organisations under the trust (they get the chosen ICB). */
  organisations: number;
}

/** A PDU row on a trust or LHB code: the PZ and which children got it or already had one. */
export interface ParentPdu {
  parent_code: string;
  pz_code: string;
  assigned: string[];
  kept: { ods_code: string; pz_code: string }[];
}

/** Facts for the report that are not in the seed itself. */
export interface BuildNotes {
  /** Corrections and deliberate departures from the original. */
  corrections: string[];
  /** Other observations about the input (duplicates, gaps...). */
  observations: string[];
  multiIcbTrusts: MultiIcbTrust[];
  /** Trusts with no row in the trust → ICB map. */
  trustsWithoutIcb: string[];
  /** PZ codes shared by several ODS codes. */
  sharedPdus: { pz_code: string; ods_codes: string[] }[];
  /** PDU rows on a trust/LHB code. */
  parentPdus: ParentPdu[];
}

/**
 * The unresolved rows and report notes of one build, in the order found.
 *
 * @example
 * ```ts
 * import { Findings } from "./findings.ts";
 *
 * const f = new Findings();
 * f.miss("pdu_network", "pz_codes_networks.json", "PZ001", "PN99", "unknown diabetes network code");
 * f.unresolved.length; // 1
 * ```
 */
export class Findings {
  readonly unresolved: Unresolved[] = [];
  readonly notes: BuildNotes = {
    corrections: [],
    observations: [],
    multiIcbTrusts: [],
    trustsWithoutIcb: [],
    sharedPdus: [],
    parentPdus: [],
  };

  /** Record a row of `source` (a reference file name) that could not be resolved. */
  miss(
    kind: UnresolvedKind,
    source: string,
    code: string,
    value: string | null,
    reason: string,
  ): void {
    this.unresolved.push({ kind, source, code, value, reason });
  }
}
