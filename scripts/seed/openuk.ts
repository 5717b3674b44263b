/**
 * OPEN UK network membership: each trust or local health board's network, which its
 * organisations inherit. Resolved as the original's seed did: the rows are applied in order
 * (so the last row for a code wins), and a code that is a trust applies to the trust's sites,
 * otherwise to the health board's.
 *
 * @module
 */
import type { OpenUkMembership } from "../../lib/model.ts";
import type { Findings } from "./findings.ts";
import { LISTS, type ReferenceRow } from "./reference.ts";

/** The OPEN UK rows as given, and the network each parent resolved to. */
export interface OpenUkResult {
  /** Every row, as given (the seed's `memberships.openuk`). */
  rows: OpenUkMembership[];
  /** Trust code → network code: for the trust's sites. */
  byTrust: Map<string, string>;
  /** Local health board code → network code: for the board's sites. */
  byBoard: Map<string, string>;
}

/** Which codes are trusts and which are local health boards. */
export interface OpenUkParents {
  isTrust: (code: string) => boolean;
  isBoard: (code: string) => boolean;
}

const FILE = LISTS.openUkTrusts.file;

/** Apply one row to its map: a later row for the same code replaces the earlier one. */
function applyRow(
  { parent_code, network_code }: OpenUkMembership,
  target: Map<string, string>,
  f: Findings,
): void {
  const known = target.get(parent_code);
  if (known === network_code) {
    f.notes.observations.push(
      `${FILE} lists ${parent_code} → ${network_code} twice (duplicate row, harmless).`,
    );
  } else if (known !== undefined) {
    f.notes.observations.push(
      `${FILE} lists ${parent_code} under ${known} and later under ${network_code}; the later ` +
        "row wins, as the original's seed applied the rows in order.",
    );
  }
  target.set(parent_code, network_code);
}

/**
 * Resolve the OPEN UK rows: a row on a code that is neither a trust nor a local health board,
 * or naming an unknown network, is listed as unresolved.
 *
 * @example
 * ```ts
 * import { buildOpenUkMemberships } from "./openuk.ts";
 * import { Findings } from "./findings.ts";
 *
 * const rows = [
 *   { parent_code: "RN3", network_code: "ORENG" },
 *   { parent_code: "RN3", network_code: "WPNN" },
 * ];
 * const parents = { isTrust: (c: string) => c === "RN3", isBoard: () => false };
 * const r = buildOpenUkMemberships(rows, parents, new Set(["ORENG", "WPNN"]), new Findings());
 * r.byTrust.get("RN3"); // "WPNN"
 * ```
 */
export function buildOpenUkMemberships(
  rows: readonly ReferenceRow<"openUkTrusts">[],
  parents: OpenUkParents,
  networkCodes: ReadonlySet<string>,
  f: Findings,
): OpenUkResult {
  const memberships: OpenUkMembership[] = rows.map((r) => ({
    parent_code: r.parent_code.trim(),
    network_code: r.network_code.trim(),
  }));
  const byTrust = new Map<string, string>();
  const byBoard = new Map<string, string>();
  const both = new Set<string>();
  for (const m of memberships) {
    const trust = parents.isTrust(m.parent_code);
    if (!trust && !parents.isBoard(m.parent_code)) {
      f.miss(
        "openuk_membership",
        FILE,
        m.parent_code,
        m.network_code,
        "neither a trust nor a local health board",
      );
    } else if (!networkCodes.has(m.network_code)) {
      f.miss("openuk_membership", FILE, m.parent_code, m.network_code, "unknown network");
    } else {
      if (trust && parents.isBoard(m.parent_code)) both.add(m.parent_code);
      applyRow(m, trust ? byTrust : byBoard, f);
    }
  }
  for (const code of both) {
    f.notes.observations.push(
      `${FILE} names ${code}, which is both a trust and a local health board: as in the ` +
        "original's seed (trusts first) the row applies to the trust's sites, so the health " +
        "board's sites get no OPEN UK network.",
    );
  }
  return { rows: memberships, byTrust, byBoard };
}
