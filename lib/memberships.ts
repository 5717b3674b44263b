/**
 * The original's seeding rules for the curated memberships of a site that is not in the 2024
 * organisation list (the reference rows of `seed.memberships`): which PDU the reference names
 * for it, and which OPEN UK network its parent trust or health board gives it. Shared by the
 * merge command's `--create` and the sync's creation of the sites the PDU list names. Pure, no
 * dependencies (the row types are structural).
 *
 * @module
 */

/** A PDU reference row: an ODS code and the unit that names it. */
export interface PduRow {
  ods_code: string;
  pz_code: string;
}

/** An OPEN UK reference row: a trust or health board code and its network. */
export interface OpenUkRow {
  parent_code: string;
  network_code: string;
}

/** A site's parent: its trust, or its local health board. */
export interface SiteParent {
  kind: "trust" | "local_health_board";
  code: string;
}

/**
 * The PDU the reference names for `code`: its first row, as the seed assigns an
 * organisation's own rows (a later row naming another unit is a conflict the seed reports).
 *
 * @example
 * ```ts
 * import { pduOfCode } from "./memberships.ts";
 *
 * pduOfCode([{ ods_code: "RALC7", pz_code: "PZ014" }], "RALC7"); // "PZ014"
 * pduOfCode([{ ods_code: "RALC7", pz_code: "PZ014" }], "RAL26"); // null
 * ```
 */
export function pduOfCode(rows: readonly PduRow[], code: string): string | null {
  return rows.find((r) => r.ods_code === code)?.pz_code ?? null;
}

/**
 * The OPEN UK network a site under `parent` gets by the original's seeding rule: the rows are
 * applied in order, so the last row for the parent wins (RN3 is listed under ORENG, then WPNN:
 * its sites are in WPNN), and trust rows apply before board rows, so a row on a code that is
 * both a trust and a health board (7A7) gives the trust's sites their network and the board's
 * sites none. `isTrust` says whether a code is a trust.
 *
 * @example
 * ```ts
 * import { openUkNetworkOf } from "./memberships.ts";
 *
 * const rows = [
 *   { parent_code: "RN3", network_code: "ORENG" },
 *   { parent_code: "RN3", network_code: "WPNN" },
 *   { parent_code: "7A7", network_code: "SWEP" },
 * ];
 * const isTrust = (code: string) => code === "RN3" || code === "7A7";
 * openUkNetworkOf(rows, { kind: "trust", code: "RN3" }, isTrust); // "WPNN"
 * openUkNetworkOf(rows, { kind: "local_health_board", code: "7A7" }, isTrust); // null
 * ```
 */
export function openUkNetworkOf(
  rows: readonly OpenUkRow[],
  parent: SiteParent,
  isTrust: (code: string) => boolean,
): string | null {
  if (parent.kind === "local_health_board" && isTrust(parent.code)) return null;
  return rows.findLast((r) => r.parent_code === parent.code)?.network_code ?? null;
}

/** The curated memberships a created site gets. */
export interface SiteMemberships {
  pdu: string | null;
  network: string | null;
}

/**
 * An organisation with the memberships chosen for it (as the merge command's `--create` and the
 * sync's creation of a site write it).
 *
 * @example
 * ```ts
 * import { withMemberships } from "./memberships.ts";
 *
 * const org = { ods_code: "RALC7", paediatric_diabetes_unit_code: null, openuk_network_code: null };
 * withMemberships(org, { pdu: "PZ014", network: "NTPEN" }).openuk_network_code; // "NTPEN"
 * ```
 */
export function withMemberships<
  T extends { paediatric_diabetes_unit_code: string | null; openuk_network_code: string | null },
>(org: T, memberships: SiteMemberships): T {
  return {
    ...org,
    paediatric_diabetes_unit_code: memberships.pdu,
    openuk_network_code: memberships.network,
  };
}
