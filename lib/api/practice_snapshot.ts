/**
 * The GP practices of one GP version in memory: each practice's item and JSON, built once,
 * looked up by code and by postcode, with the whole list's JSON (its gzip made on first use), a
 * few filtered answers kept, and the state on a date (`?as_of=`) built on first use per date.
 *
 * Kept apart from the other kinds' snapshot (`./snapshot.ts`): its version is the GP version
 * (`keys.gpVersionKey`), which only practice and sub-ICB location writes move, so a commit of
 * organisations never rebuilds it and a commit of practices never rebuilds theirs. A build reads
 * the practices in chunks, yielding to the event loop between them, and keeps little per
 * practice (about 15,000 of them): its item (repeated values held once), its JSON as a slice of
 * the list's, and its dated relationships in one short string (not its stored facts).
 *
 * @module
 */
import type { GeneralPractice } from "../model.ts";
import * as keys from "../keys.ts";
import type { Store } from "../store.ts";
import { pickedJson } from "./fields.ts";
import type { Filter } from "./filters.ts";
import { gzipInBackground } from "./compress.ts";
import { asciiJson, makeEtag } from "./http.ts";
import { nextTurn } from "./turns.ts";
import {
  canonicalFilters,
  normalisePostcode,
  type PracticeGeographyOn,
  type PracticeItem,
  practiceItem,
  practiceMatches,
  practiceOn,
  practiceRelations,
  subIcbOn,
} from "./practice_view.ts";

/** A practice as served: its item and JSON, and what `?as_of=` derives from. */
export interface PracticeRow {
  item: PracticeItem;
  /** The item's JSON, pure ASCII: a slice of the whole list's JSON (no copy of its own). */
  json: string;
  /** Its dated relationships, compact (`practiceRelations`); `""` in an as-of snapshot. */
  relations: string;
  /** The date ODS deleted it, for a practice left out of today's answers (`json` is `""`). */
  deleted?: string;
}

/** A prepared answer: its JSON and, once asked for, its gzip bytes. */
export interface PracticeAnswer {
  json: string;
  etag: string;
  gzip?: Promise<Uint8Array<ArrayBuffer>>;
  /** The gzip bytes once made (the fast path sends them without waiting). */
  gzipped?: Uint8Array<ArrayBuffer>;
}

/** Request targets one snapshot remembers answers under (for the fast path). */
const TARGETS_KEPT = 20_000;

/** Practices read (and built) between two yields to the event loop. */
const CHUNK = 500;
/**
 * The most text of filtered answers one snapshot keeps (the least recently used go first): a
 * list of the active practices is some 5 MB.
 */
const ANSWER_BUDGET = 12_000_000;
/** As-of dates one snapshot keeps built (each about as big as the snapshot itself). */
const DATES_KEPT = 2;

/** A bounded map whose least recently used entry goes first. */
function remember<V>(map: Map<string, V>, key: string, make: () => V, kept: number): V {
  let value = map.get(key);
  if (value !== undefined) map.delete(key);
  else {
    value = make();
    if (map.size >= kept) map.delete(map.keys().next().value!);
  }
  map.set(key, value);
  return value;
}

/** What a row is made from: its item and relations, and its JSON when already made. */
export interface Material {
  item: PracticeItem;
  relations: string;
  json?: string;
  deleted?: string;
}

/**
 * The rows of `items` with their JSON as slices of the whole list's, which is returned too: the
 * rows' text is held once.
 */
async function rowsOf(items: readonly Material[]) {
  const texts = items.map((i) => i.json ?? asciiJson(i.item));
  await nextTurn();
  const json = `[${texts.join(",")}]`;
  let at = 1;
  const rows = items.map(({ item, relations }, i): PracticeRow => {
    const end = at + texts[i].length;
    const row = { item, json: json.slice(at, end), relations };
    at = end + 1;
    return row;
  });
  return { rows, json };
}

/** One GP version's practices. */
export class PracticeSnapshot {
  readonly byCode: ReadonlyMap<string, PracticeRow>;
  #byPostcode: Map<string, PracticeRow[]> | null = null;
  readonly #list: PracticeAnswer;
  readonly #answers = new Map<string, PracticeAnswer>();
  readonly #targets = new Map<string, PracticeAnswer>();
  #answerBytes = 0;
  readonly #dates = new Map<string, Promise<PracticeSnapshot>>();
  readonly #deleted: ReadonlyMap<string, PracticeRow>;
  /** The practices ODS deleted, in code order. */
  readonly deletedRows: readonly PracticeRow[];

  /**
   * @param rows the practices, in code order, and `json` the whole list's.
   * @param geo the sub-ICB locations and boards the state on a date is looked up in.
   * @param date the date an as-of snapshot describes (`null`: the current state).
   * @param deleted the practices ODS deleted (each with its `deleted` date): in no answer of
   *   today, and in the answers of earlier dates.
   * @param seen the values its items hold once (see `interned`), kept for an update.
   */
  constructor(
    readonly version: string,
    built: { rows: readonly PracticeRow[]; json: string },
    readonly geo: PracticeGeographyOn,
    readonly date: string | null = null,
    deleted: readonly PracticeRow[] = [],
    readonly seen: Map<string, string> = new Map(),
  ) {
    this.rows = built.rows;
    this.deletedRows = deleted;
    this.byCode = new Map(built.rows.map((r) => [r.item.ods_code, r]));
    this.#deleted = new Map(deleted.map((r) => [r.item.ods_code, r]));
    this.#list = { json: built.json, etag: this.etag("*") };
  }

  /** The date ODS deleted the practice `code`, when this snapshot holds it as deleted. */
  deletedOn(code: string): string | null {
    return this.#deleted.get(code)?.deleted ?? null;
  }

  readonly rows: readonly PracticeRow[];

  /** The ETag of the representation named `key` (a practice's code, `*` for the list...). */
  etag(key: string, date: string | null = this.date): string {
    return makeEtag(this.version, `gp|${key}${date === null ? "" : `|@${date}`}`);
  }

  /** The whole list. */
  list(): PracticeAnswer {
    return this.#list;
  }

  /** The answer of a filtered or projected list, built once and kept for repeated queries. */
  answer(filters: readonly Filter[], fields: readonly string[] | null): PracticeAnswer {
    const canonical = canonicalFilters(filters);
    const key = JSON.stringify([canonical, fields]);
    const kept = this.#answers.get(key);
    if (kept) {
      this.#answers.delete(key);
      this.#answers.set(key, kept);
      return kept;
    }
    const rows = this.#select(canonical);
    const json = fields
      ? `[${rows.map((r) => pickedJson(r.item, fields)).join(",")}]`
      : `[${rows.map((r) => r.json).join(",")}]`;
    const answer = { json, etag: this.etag(`*|${key}`) };
    this.#keep(key, answer);
    return answer;
  }

  /** Keep an answer within {@linkcode ANSWER_BUDGET}, dropping the least recently used. */
  #keep(key: string, answer: PracticeAnswer): void {
    if (answer.json.length > ANSWER_BUDGET / 2) return;
    this.#answers.set(key, answer);
    this.#answerBytes += answer.json.length;
    for (const [k, a] of this.#answers) {
      if (this.#answerBytes <= ANSWER_BUDGET) break;
      this.#answers.delete(k);
      this.#answerBytes -= a.json.length;
    }
  }

  /** The answer's gzip bytes (made once, off the request thread). */
  gzip(answer: PracticeAnswer): Promise<Uint8Array<ArrayBuffer>> {
    answer.gzip ??= gzipInBackground(answer.json).then((bytes) => answer.gzipped = bytes);
    return answer.gzip;
  }

  /**
   * Remember the answer of a request target (`/general_practices/?postcode=CB2%200QQ`), so the
   * fast path serves the same target again without parsing it; the oldest go first.
   */
  remember(target: string, answer: PracticeAnswer): void {
    this.#targets.delete(target);
    this.#targets.set(target, answer);
    if (this.#targets.size > TARGETS_KEPT) this.#targets.delete(this.#targets.keys().next().value!);
  }

  /** The answer remembered for a request target, if any. */
  answerFor(target: string): PracticeAnswer | undefined {
    return this.#targets.get(target);
  }

  /** The rows passing canonical filters: by code or postcode first, when the query has one. */
  #select(filters: readonly Filter[]): readonly PracticeRow[] {
    const code = filters.find((f) => f.field === "ods_code");
    const postcode = filters.find((f) => f.field === "postcode");
    let rows: readonly PracticeRow[] = this.rows;
    if (code) {
      const row = this.byCode.get(String(code.value));
      rows = row ? [row] : [];
    } else if (postcode) rows = this.#postcodes().get(String(postcode.value)) ?? [];
    return rows.filter((r) => practiceMatches(r.item, filters));
  }

  /** The deleted practices passing canonical filters (a few: they are all looked at). */
  #selectDeleted(filters: readonly Filter[]): PracticeRow[] {
    return [...this.#deleted.values()].filter((r) => practiceMatches(r.item, filters));
  }

  #postcodes(): Map<string, PracticeRow[]> {
    if (this.#byPostcode) return this.#byPostcode;
    const map = new Map<string, PracticeRow[]>();
    for (const row of this.rows) {
      if (row.item.postcode === null) continue;
      const pc = normalisePostcode(row.item.postcode);
      const list = map.get(pc);
      if (list) list.push(row);
      else map.set(pc, [row]);
    }
    return this.#byPostcode = map;
  }

  /**
   * One practice as on `date` (`null` when it had not opened then, or is unknown), without
   * building the whole date.
   */
  itemOn(code: string, date: string): PracticeItem | null {
    const row = this.byCode.get(code) ?? this.#deleted.get(code);
    return row ? this.#rowOn(row, date) : null;
  }

  /** `row`'s practice as on `date`: none before it opened or once ODS deleted it. */
  #rowOn(row: PracticeRow, date: string): PracticeItem | null {
    if (row.deleted !== undefined && row.deleted <= date) return null;
    return practiceOn(row.item, row.relations, date, this.geo);
  }

  /**
   * The answer of a query as on `date` when its `ods_code` or `postcode` filter picks its
   * practices (their codes and postcodes are today's on any date), without building the whole
   * date; `null` for another query (then {@linkcode asOf} builds the date).
   */
  answerOn(
    date: string,
    filters: readonly Filter[],
    fields: readonly string[] | null,
  ): PracticeAnswer | null {
    const canonical = canonicalFilters(filters);
    if (!canonical.some((f) => f.field === "ods_code" || f.field === "postcode")) return null;
    const picked = canonical.filter((f) =>
      f.field !== "active" && f.field !== "integrated_care_board"
    );
    const items = [...this.#select(picked), ...this.#selectDeleted(picked)]
      .map((r) => this.#rowOn(r, date))
      .filter((i): i is PracticeItem => i !== null && practiceMatches(i, canonical));
    const json = fields
      ? `[${items.map((i) => pickedJson(i, fields)).join(",")}]`
      : `[${items.map((i) => asciiJson(i)).join(",")}]`;
    return { json, etag: this.etag(`*|${JSON.stringify([canonical, fields])}`, date) };
  }

  /** The practices as on `date` (built on first use, a few dates kept). */
  asOf(date: string): Promise<PracticeSnapshot> {
    const made = remember(this.#dates, date, () => this.#buildAsOf(date), DATES_KEPT);
    made.catch(() => this.#dates.delete(date));
    return made;
  }

  async #buildAsOf(date: string): Promise<PracticeSnapshot> {
    const items: { item: PracticeItem; relations: string }[] = [];
    const rows = this.#deleted.size
      ? [...this.rows, ...this.#deleted.values()].sort(byCode)
      : this.rows;
    for (let i = 0; i < rows.length; i++) {
      if (i > 0 && i % CHUNK === 0) await nextTurn();
      const on = this.#rowOn(rows[i], date);
      if (on) items.push({ item: on, relations: "" });
    }
    await nextTurn();
    return new PracticeSnapshot(this.version, await rowsOf(items), this.geo, date);
  }
}

/** Rows in code order. */
function byCode(a: PracticeRow, b: PracticeRow): number {
  return a.item.ods_code < b.item.ods_code ? -1 : a.item.ods_code > b.item.ods_code ? 1 : 0;
}

/** Fields whose values repeat across practices: held once each (15,000 practices in memory). */
const REPEATED = [
  "address_line_2",
  "address_line_3",
  "town",
  "county",
  "country",
  "operational_start",
  "operational_end",
  "last_change_date",
  "commissioner_code",
  "local_health_board_code",
  "integrated_care_board_code",
  "nhs_england_region_code",
  "primary_care_network_code",
  "local_authority",
] as const;

/** `item` with its repeated values taken from (or added to) `seen`. */
export function interned(item: PracticeItem, seen: Map<string, string>): PracticeItem {
  const out = item as Record<string, unknown>;
  for (const field of REPEATED) {
    const value = out[field];
    if (typeof value !== "string") continue;
    const held = seen.get(value);
    if (held === undefined) seen.set(value, value);
    else out[field] = held;
  }
  return item;
}

/** How practices of a date are looked up in the sub-ICB locations, ICBs and boards held. */
async function geographyOf(store: Store): Promise<PracticeGeographyOn> {
  const [subIcbs, icbs, boards] = await Promise.all([
    store.list("sub_icb_location"),
    store.list("integrated_care_board"),
    store.list("local_health_board"),
  ]);
  const locations = new Map(subIcbs.map((s) => [s.ods_code, s]));
  const regions = new Map(icbs.map((i) => [i.ods_code, i.nhs_england_region_code]));
  const boardCodes = new Set(boards.map((b) => b.ods_code));
  return {
    subIcbOn: (code, date) => {
      const loc = locations.get(code);
      return loc ? subIcbOn(loc, (icb) => regions.get(icb), date) : null;
    },
    isBoard: (code) => boardCodes.has(code),
  };
}

/**
 * Read every practice of the GP version `version` into a {@linkcode PracticeSnapshot}, in
 * chunks with a turn of the event loop between them.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { loadPracticeSnapshot } from "./practice_snapshot.ts";
 *
 * const store = await Store.open(":memory:");
 * const snap = await loadPracticeSnapshot(store, await store.gpVersion());
 * snap.list().json; // "[]"
 * store.close();
 * ```
 */
export async function loadPracticeSnapshot(
  store: Store,
  version: string,
): Promise<PracticeSnapshot> {
  const geo = await geographyOf(store);
  const all: Material[] = [];
  const seen = new Map<string, string>();
  const prefix = keys.recordPrefix("general_practice");
  // Each batch is read by an asynchronous op, so other requests run between batches.
  for await (const e of store.kv.list<GeneralPractice>({ prefix }, { batchSize: 1000 })) {
    all.push(materialOf(e.value, seen));
  }
  await nextTurn();
  return await snapshotOf(version, all, geo, seen);
}

/** A practice's row material, its repeated values held once in `seen`. */
function materialOf(r: GeneralPractice, seen: Map<string, string>): Material {
  const made = { item: interned(practiceItem(r), seen), relations: practiceRelations(r) };
  return r.ods_deleted ? { ...made, deleted: r.ods_deleted } : made;
}

/**
 * The snapshot of GP version `version` made of `all` (in code order; their repeated values held
 * once in `seen`), with the sub-ICB locations, ICBs and boards read from `store`.
 */
export async function snapshotOfMaterials(
  store: Store,
  version: string,
  all: readonly Material[],
  seen: Map<string, string>,
): Promise<PracticeSnapshot> {
  return await snapshotOf(version, all, await geographyOf(store), seen);
}

/** The snapshot of `all` (in code order): the deleted ones apart, the rest as its rows. */
async function snapshotOf(
  version: string,
  all: readonly Material[],
  geo: PracticeGeographyOn,
  seen: Map<string, string>,
): Promise<PracticeSnapshot> {
  const live = all.filter((m) => m.deleted === undefined);
  const deleted = all.filter((m) => m.deleted !== undefined)
    .map((m): PracticeRow => ({
      item: m.item,
      relations: m.relations,
      json: "",
      deleted: m.deleted,
    }));
  return new PracticeSnapshot(version, await rowsOf(live), geo, null, deleted, seen);
}

/**
 * The snapshot of GP version `version` made from `previous` by reading only the practices in
 * `codes` again (the practices the commits between the two changed; see practice_cache.ts): the
 * others keep their rows and JSON. The sub-ICB locations, ICBs and boards are read again.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { loadPracticeSnapshot, updatePracticeSnapshot } from "./practice_snapshot.ts";
 *
 * const store = await Store.open(":memory:");
 * const empty = await loadPracticeSnapshot(store, "0");
 * const next = await updatePracticeSnapshot(store, empty, new Set(["Y01234"]), "1");
 * next.rows.length; // 0: no such practice stored
 * store.close();
 * ```
 */
export async function updatePracticeSnapshot(
  store: Store,
  previous: PracticeSnapshot,
  codes: ReadonlySet<string>,
  version: string,
): Promise<PracticeSnapshot> {
  const seen = previous.seen;
  const byCode = new Map<string, Material>();
  for (const row of [...previous.rows, ...previous.deletedRows]) byCode.set(row.item.ods_code, row);
  const list = [...codes];
  for (let i = 0; i < list.length; i += 10) {
    const ks = list.slice(i, i + 10).map((c) => keys.recordKey("general_practice", c));
    for (const e of await store.kv.getMany<GeneralPractice[]>(ks)) {
      const code = String(e.key[e.key.length - 1]);
      if (e.value) byCode.set(code, materialOf(e.value, seen));
      else byCode.delete(code);
    }
  }
  const all = [...byCode.keys()].sort().map((code) => byCode.get(code)!);
  await nextTurn();
  return await snapshotOf(version, all, await geographyOf(store), seen);
}
