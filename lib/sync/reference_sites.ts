/**
 * The sites the 2024 PDU list names that the 2024 organisation list lacks (RALC7, RX1RA, RJE09,
 * RWP01, RWP31, RAE05, R0B0Q, RXF10, RGT2X). The original's seed fetched them from ODS; here a
 * re-baseline does (the first run on a new store, and `--full`): each is created from its ODS
 * record, with its parent (fetched, with its ICB and region, like any new parent), the PDU its
 * reference row names, and the OPEN UK network its parent gives by the original's seeding rule
 * (`lib/memberships.ts`, as the merge command's `--create` chooses it), and goes on the review
 * list. A site the store holds, or a maintainer deleted (it has a tombstone), is not looked for.
 *
 * The decisions are pure; {@linkcode loadReferenceSites} is the one read.
 *
 * @module
 */
import seedJson from "../../data/seed.json" with { type: "json" };
import * as keys from "../keys.ts";
import {
  openUkNetworkOf,
  type OpenUkRow,
  pduOfCode,
  type PduRow,
  type SiteMemberships,
  type SiteParent,
} from "../memberships.ts";
import type { SeedMemberships } from "../model.ts";
import { kindOfRecord, parentBoardOf, parentTrustOf } from "../ods/entities.ts";
import type { OdsRecord } from "../ods/record.ts";
import type { FetchOutcome } from "../ods/source.ts";
import type { Store } from "../store.ts";

/** The curated membership reference of the bundled seed (`data/seed.json`), the store's origin. */
export const BUNDLED_REFERENCE: SeedMemberships =
  (seedJson as unknown as { memberships: SeedMemberships }).memberships;

/** What a run needs to create the sites the PDU list names. */
export interface ReferenceSites {
  /** The sites to look for in ODS: code → the unit whose reference row names it. */
  sites: ReadonlyMap<string, string>;
  /** The OPEN UK reference rows (the network rule). */
  openuk: readonly OpenUkRow[];
  /** The OPEN UK networks the store holds. */
  networks: ReadonlySet<string>;
}

/** Nothing to look for. */
export const NO_REFERENCE_SITES: ReferenceSites = {
  sites: new Map(),
  openuk: [],
  networks: new Set(),
};

/**
 * The sites to look for: each code a PDU row names (its first row, as the seed assigns) that the
 * store holds as no organisation, trust or health board (`held`), has no tombstone of, and
 * whose unit the store holds.
 *
 * @example
 * ```ts
 * import { missingReferenceSites } from "./reference_sites.ts";
 *
 * const rows = [{ ods_code: "RAL26", pz_code: "PZ012" }, { ods_code: "RALC7", pz_code: "PZ014" }];
 * const held = (code: string) => code === "RAL26";
 * missingReferenceSites(rows, held, new Set(["PZ012", "PZ014"]), new Set());
 * // Map { "RALC7" => "PZ014" }
 * ```
 */
export function missingReferenceSites(
  rows: readonly PduRow[],
  held: (code: string) => boolean,
  units: ReadonlySet<string>,
  tombstoned: ReadonlySet<string>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const { ods_code: code } of rows) {
    if (out.has(code) || held(code) || tombstoned.has(code)) continue;
    const pz = pduOfCode(rows, code);
    if (pz && units.has(pz)) out.set(code, pz);
  }
  return out;
}

/** Organisation tombstones are read this many at a time (KV's `getMany` limit). */
const READ_CHUNK = 10;

/**
 * Read what {@linkcode missingReferenceSites} needs (the units, the tombstones of the candidate
 * codes, the networks); `held` says which codes the store holds as an organisation, trust or
 * health board. Reads nothing more when every code the reference names is held.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { loadReferenceSites } from "./reference_sites.ts";
 *
 * const store = await Store.open(":memory:");
 * (await loadReferenceSites(store, () => false)).sites.size; // 0: no unit in the store
 * store.close();
 * ```
 */
export async function loadReferenceSites(
  store: Store,
  held: (code: string) => boolean,
  reference: SeedMemberships = BUNDLED_REFERENCE,
): Promise<ReferenceSites> {
  const candidates = [...new Set(reference.pdu.map((r) => r.ods_code))].filter((c) => !held(c));
  if (!candidates.length) return NO_REFERENCE_SITES;
  const tombstoned = new Set<string>();
  for (let i = 0; i < candidates.length; i += READ_CHUNK) {
    const chunk = candidates.slice(i, i + READ_CHUNK);
    const got = await store.kv.getMany(chunk.map((c) => keys.tombstoneKey("organisation", c)));
    got.forEach((e, j) => e.value !== null && tombstoned.add(chunk[j]));
  }
  const [units, networks] = await Promise.all([
    store.list("paediatric_diabetes_unit"),
    store.list("openuk_network"),
  ]);
  return {
    sites: missingReferenceSites(
      reference.pdu,
      held,
      new Set(units.map((u) => u.pz_code)),
      tombstoned,
    ),
    openuk: reference.openuk,
    networks: new Set(networks.map((n) => n.boundary_identifier)),
  };
}

/** What a re-baseline's fetch of the reference sites brought. */
export interface ReferenceOutcomes {
  /** The sites ODS has, as hospital sites: to create. */
  found: Map<string, OdsRecord>;
  /** The others, with why (not in ODS, not a site, invalid, unreadable): left alone. */
  skipped: { code: string; reason: string }[];
}

/**
 * Sort the fetch outcomes of the reference sites (outcomes of other codes are ignored).
 *
 * @example
 * ```ts
 * import { sortReferenceOutcomes } from "./reference_sites.ts";
 *
 * const outcomes = [{ status: "not_found" as const, code: "RALC7" }];
 * sortReferenceOutcomes(outcomes, new Map([["RALC7", "PZ014"]])).skipped;
 * // [{ code: "RALC7", reason: "not in ODS" }]
 * ```
 */
export function sortReferenceOutcomes(
  outcomes: Iterable<FetchOutcome>,
  sites: ReadonlyMap<string, string>,
): ReferenceOutcomes {
  const out: ReferenceOutcomes = { found: new Map(), skipped: [] };
  for (const o of outcomes) {
    if (!sites.has(o.code)) continue;
    if (o.status === "ok" && kindOfRecord(o.record) === "organisation") {
      out.found.set(o.code, o.record);
    } else {
      const reason = o.status === "ok"
        ? `not a hospital site in ODS (primary role ${o.record.primaryRole})`
        : o.status === "not_found"
        ? "not in ODS"
        : o.reason;
      out.skipped.push({ code: o.code, reason });
    }
  }
  return out;
}

/**
 * The memberships a reference site is created with: the unit its reference row names, and the
 * network of its parent (in force on `on`) by the original's seeding rule, when the store holds
 * that network. `isTrust` says whether a code is a trust's (for a board that shares a trust's
 * code).
 *
 * @example
 * ```ts
 * import { siteMemberships } from "./reference_sites.ts";
 *
 * const site = {
 *   relationships: [{
 *     id: "RE6", target: "RAL", targetRole: "RO197", active: true,
 *     operational: { start: "2000-04-01", end: null }, legal: { start: null, end: null },
 *   }],
 * };
 * const reference = {
 *   sites: new Map([["RALC7", "PZ014"]]),
 *   openuk: [{ parent_code: "RAL", network_code: "NTPEN" }],
 *   networks: new Set(["NTPEN"]),
 * };
 * siteMemberships("RALC7", site, reference, () => true, "2026-11-24");
 * // { pdu: "PZ014", network: "NTPEN" }
 * ```
 */
export function siteMemberships(
  code: string,
  record: Pick<OdsRecord, "relationships">,
  reference: ReferenceSites,
  isTrust: (code: string) => boolean,
  on: string,
): SiteMemberships {
  const trust = parentTrustOf(record, on);
  const board = trust ? null : parentBoardOf(record, on);
  const parent: SiteParent | null = trust
    ? { kind: "trust", code: trust }
    : board
    ? { kind: "local_health_board", code: board }
    : null;
  const network = parent ? openUkNetworkOf(reference.openuk, parent, isTrust) : null;
  return {
    pdu: reference.sites.get(code) ?? null,
    network: network && reference.networks.has(network) ? network : null,
  };
}

/**
 * The units no organisation belongs to (by PZ code), which `/paediatric_diabetes_units/parent/`
 * leaves out (the same rule as the API's `hasOrganisations`): on a store seeded from the 2024
 * lists, the eight whose only sites the organisation list lacked, until a re-baseline creates
 * them.
 *
 * @example
 * ```ts
 * import { unitsWithoutOrganisation } from "./reference_sites.ts";
 *
 * unitsWithoutOrganisation(
 *   [{ pz_code: "PZ012" }, { pz_code: "PZ014" }],
 *   [{ paediatric_diabetes_unit_code: "PZ012" }],
 * ); // ["PZ014"]
 * ```
 */
export function unitsWithoutOrganisation(
  units: Iterable<{ pz_code: string }>,
  organisations: Iterable<{ paediatric_diabetes_unit_code: string | null }>,
): string[] {
  const named = new Set<string | null>();
  for (const o of organisations) named.add(o.paediatric_diabetes_unit_code);
  return [...units].map((u) => u.pz_code).filter((pz) => !named.has(pz)).sort();
}
