/**
 * OPEN UK network membership: each trust or local health board's network (the first row
 * wins), which its organisations inherit.
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
  /** Parent (trust or LHB) code → network code. */
  byParent: Map<string, string>;
}

/** Apply one row to `byParent`: the first network for a parent wins. */
function applyRow(
  { parent_code, network_code }: OpenUkMembership,
  byParent: Map<string, string>,
  f: Findings,
): void {
  const file = LISTS.openUkTrusts.file;
  const known = byParent.get(parent_code);
  if (known === undefined) byParent.set(parent_code, network_code);
  else if (known === network_code) {
    f.notes.observations.push(
      `${file} lists ${parent_code} → ${network_code} twice (duplicate row, harmless).`,
    );
  } else {
    f.miss(
      "openuk_membership",
      file,
      parent_code,
      network_code,
      `conflicting network: ${parent_code} is also listed under ${known} in an earlier row; ` +
        `${known} kept, this row not applied`,
    );
  }
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
 * const rows = [{ parent_code: "RGT", network_code: "EPEN" }];
 * const r = buildOpenUkMemberships(rows, (c) => c === "RGT", new Set(["EPEN"]), new Findings());
 * r.byParent.get("RGT"); // "EPEN"
 * ```
 */
export function buildOpenUkMemberships(
  rows: readonly ReferenceRow<"openUkTrusts">[],
  isParent: (code: string) => boolean,
  networkCodes: ReadonlySet<string>,
  f: Findings,
): OpenUkResult {
  const file = LISTS.openUkTrusts.file;
  const memberships: OpenUkMembership[] = rows.map((r) => ({
    parent_code: r.parent_code.trim(),
    network_code: r.network_code.trim(),
  }));
  const byParent = new Map<string, string>();
  for (const m of memberships) {
    if (!isParent(m.parent_code)) {
      f.miss(
        "openuk_membership",
        file,
        m.parent_code,
        m.network_code,
        "neither a trust nor a local health board",
      );
    } else if (!networkCodes.has(m.network_code)) {
      f.miss("openuk_membership", file, m.parent_code, m.network_code, "unknown network");
    } else {
      applyRow(m, byParent, f);
    }
  }
  return { rows: memberships, byParent };
}
