/**
 * Paediatric diabetes units: the PDU membership rows, the PDU records with their networks,
 * and giving each organisation its PDU (its own row first, then its parent's).
 *
 * @module
 */
import type { PduMembership } from "../../lib/model.ts";
import type { SeedRecord } from "../../lib/seed.ts";
import type { Findings } from "./findings.ts";
import type { Org } from "./organisations.ts";
import { LISTS, type ReferenceRow } from "./reference.ts";
import { text } from "./values.ts";

const FILE = LISTS.pzCodesNetworks.file;

/**
 * The PDU rows as given (the seed's `memberships.pdu`), checked against the plain PZ list:
 * a plain row missing here is unresolved, a row only here is an observation.
 *
 * @example
 * ```ts
 * import { pduMemberships } from "./pdus.ts";
 * import { Findings } from "./findings.ts";
 *
 * const rows = [{ ods_code: "RGT01", pz_code: "PZ041", network_code: "PN06" }];
 * pduMemberships(rows, [{ ods_code: "RGT01", pz_code: "PZ041" }], new Findings());
 * // [{ ods_code: "RGT01", pz_code: "PZ041" }]
 * ```
 */
export function pduMemberships(
  rows: readonly ReferenceRow<"pzCodesNetworks">[],
  plainRows: readonly ReferenceRow<"pzCodes">[],
  f: Findings,
): PduMembership[] {
  const pairs = (list: readonly { ods_code: string; pz_code: string }[]) =>
    new Set(list.map((r) => `${r.ods_code.trim()} ${r.pz_code.trim()}`));
  const withNetworks = pairs(rows);
  const plain = pairs(plainRows);
  for (const p of plain) {
    if (withNetworks.has(p)) continue;
    const [ods, pz] = p.split(" ");
    f.miss("pdu_membership", LISTS.pzCodes.file, ods, pz, `row missing from ${FILE}`);
  }
  for (const p of withNetworks) {
    if (!plain.has(p)) f.notes.observations.push(`${FILE} row ${p} is not in pz_codes.json.`);
  }
  return rows.map((r) => ({ ods_code: r.ods_code.trim(), pz_code: r.pz_code.trim() }));
}

/** Each PZ code's network (the first row wins; unknown network codes become null). */
function pduNetworks(
  rows: readonly ReferenceRow<"pzCodesNetworks">[],
  pnCodes: ReadonlySet<string>,
  f: Findings,
): Map<string, string | null> {
  const networks = new Map<string, string | null>();
  for (const r of rows) {
    const pz = r.pz_code.trim();
    let network = text(r.network_code);
    if (network && !pnCodes.has(network)) {
      f.miss("pdu_network", FILE, pz, network, "unknown diabetes network code");
      network = null;
    }
    if (!networks.has(pz)) networks.set(pz, network);
    else if (networks.get(pz) !== network) {
      f.miss(
        "pdu_network",
        FILE,
        pz,
        network,
        `conflicting network: ${networks.get(pz)} kept from an earlier row`,
      );
    }
  }
  return networks;
}

/**
 * The PDU records, one per PZ code, with their diabetes network.
 *
 * @example
 * ```ts
 * import { buildPdus } from "./pdus.ts";
 * import { Findings } from "./findings.ts";
 *
 * const rows = [{ ods_code: "RGT01", pz_code: "PZ041", network_code: "PN06" }];
 * buildPdus(rows, new Set(["PN06"]), new Findings());
 * // [{ pz_code: "PZ041", paediatric_diabetes_network_code: "PN06", source: "curated" }]
 * ```
 */
export function buildPdus(
  rows: readonly ReferenceRow<"pzCodesNetworks">[],
  pnCodes: ReadonlySet<string>,
  f: Findings,
): SeedRecord<"paediatric_diabetes_unit">[] {
  const networks = pduNetworks(rows, pnCodes, f);
  const noNetwork = [...networks].filter(([, n]) => n === null).map(([pz]) => pz);
  if (noNetwork.length) {
    f.notes.observations.push(
      `${noNetwork.sort().join(", ")} have no diabetes network in the reference ` +
        '(network_name "Unknown"); seeded with a null network.',
    );
  }
  return [...networks].map(([pz, network]) => ({
    pz_code: pz,
    paediatric_diabetes_network_code: network,
    source: "curated",
  }));
}

/**
 * PZ codes listed for several ODS codes.
 *
 * @example
 * ```ts
 * import { sharedPdus } from "./pdus.ts";
 *
 * sharedPdus([{ ods_code: "A", pz_code: "PZ1" }, { ods_code: "B", pz_code: "PZ1" }]);
 * // [{ pz_code: "PZ1", ods_codes: ["A", "B"] }]
 * ```
 */
export function sharedPdus(
  pdu: readonly PduMembership[],
): { pz_code: string; ods_codes: string[] }[] {
  const byPz = new Map<string, string[]>();
  for (const { ods_code, pz_code } of pdu) {
    byPz.set(pz_code, [...(byPz.get(pz_code) ?? []), ods_code]);
  }
  return [...byPz].filter(([, codes]) => codes.length > 1)
    .map(([pz_code, ods_codes]) => ({ pz_code, ods_codes }));
}

/** Which codes are parents (trusts or local health boards) of organisations. */
export interface PduParents {
  isTrust: (code: string) => boolean;
  isBoard: (code: string) => boolean;
}

/** 1. Rows on an organisation code: the organisation gets the PDU (the first row wins). */
function assignOwnRows(pdu: readonly PduMembership[], orgs: Map<string, Org>, f: Findings): void {
  for (const { ods_code, pz_code } of pdu) {
    const org = orgs.get(ods_code);
    if (!org) continue;
    if (org.paediatric_diabetes_unit_code && org.paediatric_diabetes_unit_code !== pz_code) {
      f.miss(
        "pdu_membership",
        FILE,
        ods_code,
        pz_code,
        `conflicting PDU: ${org.paediatric_diabetes_unit_code} kept from an earlier row`,
      );
      continue;
    }
    org.paediatric_diabetes_unit_code = pz_code;
  }
}

/** Give `pz_code` to the children of `parent` that have no PDU yet; note what happened. */
function assignToChildren(
  parent: string,
  pz_code: string,
  orgs: Map<string, Org>,
  f: Findings,
): void {
  const children = [...orgs.values()].filter((o) =>
    o.trust_code === parent || o.local_health_board_code === parent
  );
  const assigned: string[] = [];
  const kept: { ods_code: string; pz_code: string }[] = [];
  for (const child of children) {
    if (child.paediatric_diabetes_unit_code) {
      kept.push({ ods_code: child.ods_code, pz_code: child.paediatric_diabetes_unit_code });
    } else {
      child.paediatric_diabetes_unit_code = pz_code;
      assigned.push(child.ods_code);
    }
  }
  f.notes.parentPdus.push({ parent_code: parent, pz_code, assigned, kept });
  if (assigned.length) return;
  f.miss(
    "pdu_membership",
    FILE,
    parent,
    pz_code,
    children.length
      ? `every organisation under ${parent} already has a PDU; row has no effect`
      : `${parent} has no seeded organisations; row has no effect`,
  );
}

/** 2. Rows on a trust or LHB code: children without a PDU get it. */
function assignParentRows(
  pdu: readonly PduMembership[],
  orgs: Map<string, Org>,
  parents: PduParents,
  f: Findings,
): void {
  for (const { ods_code, pz_code } of pdu) {
    if (orgs.has(ods_code)) continue;
    if (!parents.isTrust(ods_code) && !parents.isBoard(ods_code)) continue;
    assignToChildren(ods_code, pz_code, orgs, f);
  }
}

/** 3. Anything else is not seeded (the original fetched these from the Spine at seed time). */
function listUnseededRows(
  pdu: readonly PduMembership[],
  orgs: Map<string, Org>,
  parents: PduParents,
  f: Findings,
): void {
  for (const { ods_code, pz_code } of pdu) {
    if (orgs.has(ods_code) || parents.isTrust(ods_code) || parents.isBoard(ods_code)) continue;
    const prefix = ods_code.slice(0, 3);
    const hint = parents.isTrust(prefix)
      ? ` (its code suggests trust ${prefix}, which is seeded)`
      : parents.isBoard(prefix)
      ? ` (its code suggests local health board ${prefix}, which is seeded)`
      : "";
    f.miss(
      "pdu_membership",
      FILE,
      ods_code,
      pz_code,
      `not a seeded organisation, trust or local health board${hint}; the original fetched it ` +
        "from the Spine at seed time; kept in memberships.pdu for the merge command to create",
    );
  }
}

/**
 * Give organisations their PDU: rows on the organisation first, then rows on its trust or
 * LHB for children without one; rows on anything else are listed as unresolved.
 *
 * @example
 * ```ts
 * import { assignPdus } from "./pdus.ts";
 * import { Findings } from "./findings.ts";
 * import type { Org } from "./organisations.ts";
 *
 * const site = { ods_code: "RGT01", trust_code: "RGT", paediatric_diabetes_unit_code: null };
 * const orgs = new Map([["RGT01", site as unknown as Org]]);
 * const parents = { isTrust: (c: string) => c === "RGT", isBoard: () => false };
 * assignPdus([{ ods_code: "RGT", pz_code: "PZ041" }], orgs, parents, new Findings());
 * orgs.get("RGT01")?.paediatric_diabetes_unit_code; // "PZ041"
 * ```
 */
export function assignPdus(
  pdu: readonly PduMembership[],
  orgs: Map<string, Org>,
  parents: PduParents,
  f: Findings,
): void {
  assignOwnRows(pdu, orgs, f);
  assignParentRows(pdu, orgs, parents, f);
  listUnseededRows(pdu, orgs, parents, f);
}
