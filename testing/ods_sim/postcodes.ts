/**
 * The simulator's postcode directory: what the FHIR API's `postcode` CodeSystem knows about a
 * postcode (its primary care organisation, ICB, NHS England region, local authority, 2011 LSOA
 * and government office region).
 *
 * A postcode is known when the generated national GP set declared it (practice addresses and
 * residential postcodes around them), when a published record's address uses it, or when a test
 * set it through the control API; every other postcode is unknown (404). Its geography comes from
 * the table in geography.ts (by outward code, else by postcode area), with the table's ICBs and
 * Welsh boards mapped onto those of the dataset (see {@link mapGeography}), so a practice's
 * postcode agrees with the practice's sub-ICB → ICB → region relationships. LSOA codes are
 * synthetic but stable (one per postcode sector). Postcode data is not dated: changes through the
 * control API apply at once, not at the next publication.
 *
 * @module
 */

import { areaOfPostcode, geographyTable, type GeoLocation } from "./geography.ts";
import type { OrdOrganisation } from "./ord_types.ts";
import { fnv1a } from "./random.ts";
import { primaryRoleOf } from "./record.ts";

/** The FHIR `postcode` CodeSystem. */
export const POSTCODE_SYSTEM =
  "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/postcode";
/** The CodeSystem of the geography codes the `postcode` properties carry. */
export const GEOGRAPHY_NAME_SYSTEM =
  "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/geography-name";

/** What the directory holds for one postcode. */
export interface PostcodeGeography {
  /** Canonical form: upper case, one space before the inward code (`CB2 0QQ`). */
  postcode: string;
  /** Primary care organisation: the sub-ICB location (England) or health board (Wales). */
  pco: string;
  /** ICB (England only). */
  icb?: string;
  /** NHS England region (England only). */
  nhser?: string;
  /** Local authority (ODS code in England, ONS code in Wales). */
  la: string;
  /** 2011 lower super output area. */
  lsoa11: string;
  /** Government office region letter (`W` in Wales). */
  gor: string;
  country: "ENGLAND" | "WALES";
}

const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$/;

/**
 * The canonical form of a postcode (upper case, single space), or null when it isn't one.
 *
 * @example
 * ```ts
 * import { canonicalPostcode } from "./postcodes.ts";
 * import { equal } from "node:assert/strict";
 * equal(canonicalPostcode(" cb20qq "), "CB2 0QQ");
 * equal(canonicalPostcode("SW1A  1AA"), "SW1A 1AA");
 * equal(canonicalPostcode("CB2"), null);
 * ```
 */
export function canonicalPostcode(s: string): string | null {
  const m = POSTCODE.exec(s.toUpperCase().trim());
  return m ? `${m[1]} ${m[2]}` : null;
}

/** A dataset ICB the table's ICBs map onto. */
export interface IcbRef {
  code: string;
  /** Its NHS England region (target of its active RE5), if any. */
  region?: string;
  name?: string;
  /** uniqueRoleId of its primary role (RO261). */
  uniqueRoleId?: number;
}

/** A dataset Welsh board the table's boards map onto. */
export interface BoardRef {
  code: string;
  name?: string;
  role?: string;
  uniqueRoleId?: number;
}

/** Table ICB → dataset ICB (with the region it has there), table board → dataset board. */
export interface GeoMapping {
  icbs: Map<string, IcbRef>;
  boards: Map<string, BoardRef>;
}

function assignIcbs(icbs: readonly IcbRef[]): Map<string, IcbRef> {
  const out = new Map<string, IcbRef>();
  const byCode = new Map(icbs.map((i) => [i.code, i]));
  const table = geographyTable().icbs;
  for (const t of table) {
    const same = byCode.get(t.code);
    if (same) out.set(t.code, { ...same, region: same.region ?? t.region });
  }
  const identity = new Set(out.keys());
  const next = new Map<string, number>();
  for (const t of table) {
    if (out.has(t.code) || icbs.length === 0) continue;
    let pool = icbs.filter((i) => i.region === t.region && !identity.has(i.code));
    if (pool.length === 0) pool = icbs.filter((i) => i.region === t.region);
    if (pool.length === 0) pool = [...icbs];
    const k = next.get(t.region) ?? 0;
    next.set(t.region, k + 1);
    const pick = pool[k % pool.length];
    out.set(t.code, { ...pick, region: pick.region ?? t.region });
  }
  return out;
}

/**
 * Maps the table's ICBs onto `icbs` (the same code where the dataset has it, else an ICB of the
 * same region, round-robin, else any) and its Welsh boards onto `boards` likewise; a table entry
 * with nothing to map onto keeps its own code.
 *
 * @example
 * ```ts
 * import { mapGeography } from "./postcodes.ts";
 * import { equal } from "node:assert/strict";
 * const m = mapGeography([{ code: "QKS", region: "Y59" }, { code: "QA1", region: "Y59" }], []);
 * equal(m.icbs.get("QKS")?.code, "QKS");
 * equal(m.icbs.get("QNX")?.code, "QA1");
 * ```
 */
export function mapGeography(icbs: readonly IcbRef[], boards: readonly BoardRef[]): GeoMapping {
  const sorted = [...icbs].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const boardOut = new Map<string, BoardRef>();
  const byCode = new Map(boards.map((b) => [b.code, b]));
  const others = boards.filter((b) => !geographyTable().boards.some((t) => t.code === b.code));
  let k = 0;
  for (const t of geographyTable().boards) {
    const same = byCode.get(t.code);
    if (same) boardOut.set(t.code, same);
    else if (boards.length > 0) {
      const pool = others.length > 0 ? others : boards;
      boardOut.set(t.code, pool[k++ % pool.length]);
    }
  }
  return { icbs: assignIcbs(sorted), boards: boardOut };
}

const WELSH_BOARD_ROLES = new Set(["RO142", "RO144"]);

/**
 * The ICBs (RO261 records with RO318) and Welsh boards (RO142/RO144 records) among `records`.
 *
 * @example
 * ```ts
 * import { defaultFixtures } from "./fixtures.ts";
 * import { boundariesOf } from "./postcodes.ts";
 * import { deepEqual } from "node:assert/strict";
 * const b = boundariesOf(defaultFixtures({ today: "2025-06-10" }));
 * deepEqual(b.icbs.map((i) => [i.code, i.region]), [["QKS", "Y59"], ["QM7", "Y61"]]);
 * deepEqual(b.boards.map((x) => x.code), ["7A1"]);
 * ```
 */
export function boundariesOf(
  records: Iterable<OrdOrganisation>,
): { icbs: IcbRef[]; boards: BoardRef[] } {
  const icbs: IcbRef[] = [];
  const boards: BoardRef[] = [];
  for (const org of records) {
    const primary = primaryRoleOf(org);
    if (!primary) continue;
    const code = org.OrgId.extension;
    if (primary.id === "RO261" && org.Roles.Role.some((r) => r.id === "RO318")) {
      const re5 = org.Rels?.Rel.find((r) =>
        r.id === "RE5" && r.Status === "Active" && r.Target.PrimaryRoleId.id === "RO209"
      );
      icbs.push({
        code,
        region: re5?.Target.OrgId.extension,
        name: org.Name,
        uniqueRoleId: primary.uniqueRoleId,
      });
    } else if (WELSH_BOARD_ROLES.has(primary.id) && org.orgRecordClass === "RC1") {
      boards.push({ code, name: org.Name, role: primary.id, uniqueRoleId: primary.uniqueRoleId });
    }
  }
  return { icbs, boards };
}

function lsoaOf(location: GeoLocation, la: string, postcode: string): string {
  const sector = postcode.slice(0, postcode.length - 2);
  if (location.country === "WALES") {
    return `W01${String(1 + (fnv1a(la) % 1800) + (fnv1a(sector) % 60)).padStart(6, "0")}`;
  }
  return `E01${String(1 + (fnv1a(la) % 33_000) + (fnv1a(sector) % 60)).padStart(6, "0")}`;
}

/**
 * The geography of a canonical postcode from the table and a mapping (undefined when the table
 * covers neither its outward code nor its postcode area).
 *
 * @example
 * ```ts
 * import { derivePostcode, mapGeography } from "./postcodes.ts";
 * import { equal } from "node:assert/strict";
 * const g = derivePostcode("TN22 5AW", mapGeography([{ code: "QNX", region: "Y59" }], []))!;
 * equal(g.pco, "97R");
 * equal(g.icb, "QNX");
 * equal(g.nhser, "Y59");
 * equal(g.la, "815");
 * ```
 */
export function derivePostcode(
  postcode: string,
  mapping: GeoMapping,
): PostcodeGeography | undefined {
  const placed = areaOfPostcode(postcode);
  if (!placed) return undefined;
  const { area, location } = placed;
  const base = {
    postcode,
    la: area.la,
    lsoa11: lsoaOf(location, area.la, postcode),
    gor: location.gor,
  };
  if (location.country === "WALES") {
    return {
      ...base,
      pco: mapping.boards.get(location.code)?.code ?? location.code,
      country: "WALES",
    };
  }
  const icb = mapping.icbs.get(location.parent);
  return {
    ...base,
    pco: location.code,
    icb: icb?.code ?? location.parent,
    nhser: icb?.region ?? location.region,
    country: "ENGLAND",
  };
}

/** What the directory reads from the dataset: its published records and their version. */
export interface PostcodeSource {
  readonly version: number;
  records(): Iterable<OrdOrganisation>;
}

/**
 * The postcode directory of one dataset (see the module documentation).
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { defaultFixtures } from "./fixtures.ts";
 * import { equal } from "node:assert/strict";
 * const ds = new OdsDataset({ records: defaultFixtures({ today: "2025-06-10" }), today: () => "2025-06-10" });
 * equal(ds.postcodes.get("ct1 3ng")?.icb, "QKS");
 * equal(ds.postcodes.get("CT1 9ZZ"), undefined);
 * ds.postcodes.declare(["CT1 9ZZ"]);
 * equal(ds.postcodes.get("CT1 9ZZ")?.pco, "91Q");
 * ```
 */
export class PostcodeDirectory {
  #source: PostcodeSource;
  #declared = new Set<string>();
  #overrides = new Map<string, PostcodeGeography | null>();
  #mapping: GeoMapping | null = null;
  #inRecords: { version: number; set: Set<string> } | null = null;

  /** A directory over `source`'s published records. */
  constructor(source: PostcodeSource) {
    this.#source = source;
  }

  /** Forgets everything (declared postcodes, overrides, mapping). */
  clear(): void {
    this.#declared.clear();
    this.#overrides.clear();
    this.#mapping = null;
    this.#inRecords = null;
  }

  /** Fixes the table → dataset mapping (default: computed from the dataset when first needed). */
  setMapping(mapping: GeoMapping): void {
    this.#mapping = mapping;
  }

  /** The mapping in use. */
  mapping(): GeoMapping {
    if (!this.#mapping) {
      const b = boundariesOf(this.#source.records());
      this.#mapping = mapGeography(b.icbs, b.boards);
    }
    return this.#mapping;
  }

  /** Declares postcodes as known (their geography derived from the table). */
  declare(postcodes: Iterable<string>): void {
    for (const p of postcodes) {
      const c = canonicalPostcode(p);
      if (c) this.#declared.add(c);
    }
  }

  /** Sets (or replaces) one postcode's geography; the postcode is then known. */
  set(geo: PostcodeGeography): PostcodeGeography {
    const c = canonicalPostcode(geo.postcode);
    if (!c) throw new TypeError(`not a postcode: ${geo.postcode}`);
    const entry = { ...geo, postcode: c };
    this.#overrides.set(c, entry);
    return entry;
  }

  /** Makes a postcode unknown (even when a record uses it). */
  remove(postcode: string): void {
    const c = canonicalPostcode(postcode);
    if (!c) throw new TypeError(`not a postcode: ${postcode}`);
    this.#overrides.set(c, null);
  }

  /** Number of declared and set postcodes (record postcodes not counted). */
  get declaredSize(): number {
    return this.#declared.size + [...this.#overrides.values()].filter((v) => v).length;
  }

  #usedByRecords(c: string): boolean {
    const version = this.#source.version;
    if (!this.#inRecords || this.#inRecords.version !== version) {
      const set = new Set<string>();
      for (const org of this.#source.records()) {
        const pc = org.GeoLoc?.Location?.PostCode;
        const k = pc ? canonicalPostcode(pc) : null;
        if (k) set.add(k);
      }
      this.#inRecords = { version, set };
    }
    return this.#inRecords.set.has(c);
  }

  /** The geography of `postcode` (any case or spacing), undefined when it is unknown. */
  get(postcode: string): PostcodeGeography | undefined {
    const c = canonicalPostcode(postcode);
    if (!c) return undefined;
    const o = this.#overrides.get(c);
    if (o !== undefined) return o ?? undefined;
    if (!this.#declared.has(c) && !this.#usedByRecords(c)) return undefined;
    return derivePostcode(c, this.mapping());
  }
}
