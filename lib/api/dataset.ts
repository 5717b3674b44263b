/**
 * Every stored record held in memory for one data version, with the parent → children lookups
 * the serializers need. Pure: built from plain record lists.
 *
 * @module
 */
import {
  type Entities,
  GP_KINDS,
  keyOf,
  type Kind,
  KIND_ORDER,
  type Organisation,
  type SnapshotKind,
} from "../model.ts";

/** Organisation fields that point at a parent. */
export type OrganisationParentField =
  | "trust_code"
  | "local_health_board_code"
  | "integrated_care_board_code"
  | "nhs_england_region_code"
  | "london_borough_code"
  | "paediatric_diabetes_unit_code"
  | "openuk_network_code"
  | "country_code";

const PARENT_FIELDS: readonly OrganisationParentField[] = [
  "trust_code",
  "local_health_board_code",
  "integrated_care_board_code",
  "nhs_england_region_code",
  "london_borough_code",
  "paediatric_diabetes_unit_code",
  "openuk_network_code",
  "country_code",
];

/** Records of one kind by natural code. */
export type RecordMap<K extends Kind> = ReadonlyMap<string, Entities[K]>;

/** All records of one data version. */
export interface Dataset {
  /** Records by kind, each map in natural-code order (the GP practice kinds' are empty). */
  readonly records: { readonly [K in Kind]: RecordMap<K> };
  /** A parent's organisations, sorted by name then code (the original's ordering). */
  organisationsOf(field: OrganisationParentField, code: string): readonly Organisation[];
}

/** Every record of every kind of the snapshot, as listed from the store. */
export type RecordLists = { [K in SnapshotKind]: readonly Entities[K][] };

/** Order two strings by code unit (stable across runtimes, like a `C` collation). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order organisations by name, then ODS code. */
export function byName<T extends { name: string }>(key: (item: T) => string) {
  return (a: T, b: T): number => compareText(a.name, b.name) || compareText(key(a), key(b));
}

/**
 * Index record lists into a {@linkcode Dataset}.
 *
 * @example
 * ```ts
 * import { buildDataset } from "./dataset.ts";
 * import { loadRecords } from "./snapshot.ts";
 * import { Store } from "../store.ts";
 * const store = await Store.open(":memory:");
 * const data = buildDataset(await loadRecords(store));
 * // A trust's sites, by name then code (none in an empty store).
 * if (data.organisationsOf("trust_code", "RGT").length !== 0) throw new Error("not empty");
 * store.close();
 * ```
 */
export function buildDataset(lists: RecordLists): Dataset {
  const records = {} as { [K in Kind]: Map<string, Entities[K]> };
  for (const kind of KIND_ORDER) {
    const map = new Map<string, Entities[Kind]>();
    const sorted = [...lists[kind]].sort((a, b) =>
      compareText(keyOf(kind, a as never), keyOf(kind, b as never))
    );
    for (const r of sorted) map.set(keyOf(kind, r as never), r);
    (records as Record<Kind, Map<string, Entities[Kind]>>)[kind] = map;
  }
  for (const kind of GP_KINDS) records[kind] = new Map();
  const children = new Map<string, Organisation[]>();
  const sortedOrgs = [...records.organisation.values()].sort(byName((o) => o.ods_code));
  for (const org of sortedOrgs) {
    for (const field of PARENT_FIELDS) {
      const parent = org[field];
      if (parent === null || parent === undefined) continue;
      const id = `${field}\u0000${parent}`;
      const list = children.get(id);
      if (list) list.push(org);
      else children.set(id, [org]);
    }
  }
  return {
    records,
    organisationsOf: (field, code) => children.get(`${field}\u0000${code}`) ?? [],
  };
}
