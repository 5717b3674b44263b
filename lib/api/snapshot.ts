/**
 * The read cache: every record of one data version in memory, and each view's items, list JSON,
 * per-code JSON and ETags built once for that version.
 *
 * Freshness comes from KV, never from this process: {@linkcode SnapshotCache.current} reads the
 * data version key (one strong KV read) and rebuilds when it moved, so several instances sharing
 * one KV all serve a write once it commits. To keep that read off the hot path it is repeated at
 * most every `maxAgeMs` (a write by another process or instance shows within that time), while
 * writes this process makes through the store invalidate the cache at once. With `maxAgeMs: 0`
 * every request reads the version. Once a confirmation is half that age, the next request starts
 * a new read in the background and is answered at once, so under steady load no request waits
 * for KV. Views are built lazily, the first time a version is asked
 * for them.
 *
 * Builds are coalesced: one at a time, and commits landing during a build make one more build
 * after it (of the version then in KV), not one each. While a build runs, requests are answered
 * from the previous snapshot if it was the latest less than `maxAgeMs` ago; only a request that
 * finds no build under way waits for one (so a client that writes and then reads sees its
 * write, and a stream of commits never makes readers queue behind rebuilds).
 *
 * A build reads the kinds one list at a time, not in one transaction. It is labelled with the
 * version read *before* it, so a write landing mid-build changes the version and the next
 * request builds again.
 *
 * Under load, requests share version reads without giving up freshness: a request never uses a
 * read that started before it arrived. While one read is in flight, every request arriving
 * meanwhile waits for the *next* read, which starts as soon as the current one ends and answers
 * all of them (at most two reads in flight per process, however many requests).
 *
 * Bodies are kept as pure-ASCII JSON text (see {@linkcode asciiJson}): Deno sends such a string
 * with one plain copy, faster than a `Uint8Array` body and without a garbage buffer per response.
 *
 * @module
 */
import { type Entities, type Kind, KIND_ORDER } from "../model.ts";
import type { ChangeEntry, Store } from "../store.ts";
import {
  attributesOn,
  recordAsOf,
  type UpdatesByRecord,
  updatesByRecord,
} from "./attributes_on.ts";
import { buildDataset, type Dataset, type RecordLists } from "./dataset.ts";
import { asciiJson, makeEtag } from "./http.ts";
import * as keys from "../keys.ts";
import { type DeletedOrganisation, recordsOn } from "./records_on.ts";
import { nextTurn } from "./turns.ts";
import { type ViewId, viewRecords, VIEWS } from "./views.ts";

/** A built item: its object, its JSON and its ETag. */
export interface BuiltItem {
  item: object;
  /** The item's JSON, pure ASCII (see {@linkcode asciiJson}). */
  json: string;
  etag: string;
}

/** A built view. */
export interface BuiltView {
  /** Items in the view's order. */
  items: readonly object[];
  /** The same items built (object, JSON, ETag), in the same order. */
  rows: readonly BuiltItem[];
  /** The whole list as JSON, pure ASCII. */
  json: string;
  /** ETag of the unfiltered list. */
  etag: string;
  byCode: ReadonlyMap<string, BuiltItem>;
}

/** How many as-of dates one snapshot keeps built (the least recently asked is dropped). */
const AS_OF_KEPT = 16;

/** What a snapshot answers as-of dates from, besides its records. */
export interface PastSources {
  /** The organisations deleted by merges, for dates before their deletion. */
  deleted?: readonly DeletedOrganisation[];
  /** The change log (commit order), read on the first as-of date asked for. */
  loadLog?: () => Promise<Iterable<ChangeEntry>>;
}

/** All data of one version, with its views built on first use. */
export class Snapshot {
  readonly #views = new Map<ViewId, BuiltView>();
  readonly #asOf = new Map<string, Promise<Snapshot>>();
  #updates: Promise<UpdatesByRecord> | null = null;
  readonly deleted: readonly DeletedOrganisation[];
  readonly #loadLog: () => Promise<Iterable<ChangeEntry>>;

  /**
   * @param date the UK date the data describes, for an as-of snapshot ({@linkcode asOf});
   *   `null` for the current state.
   * @param past what as-of dates are answered from besides the records.
   */
  constructor(
    readonly version: string,
    readonly data: Dataset,
    readonly date: string | null = null,
    past: PastSources = {},
  ) {
    this.deleted = past.deleted ?? [];
    this.#loadLog = past.loadLog ?? (() => Promise.resolve([]));
  }

  /** The ETag of the representation named `key` (the date is part of it for an as-of one). */
  etag(key: string): string {
    return makeEtag(this.version, this.date === null ? key : `${key}|@${this.date}`);
  }

  /**
   * This version's data as it was on `date`: attributes from the change log
   * ({@link ./attributes_on.ts}), then parents and existence from ODS's dated facts
   * ({@link ./records_on.ts}). Built on first use and kept for repeated queries.
   */
  asOf(date: string): Promise<Snapshot> {
    let snap = this.#asOf.get(date);
    if (snap) {
      this.#asOf.delete(date);
    } else {
      snap = this.#buildAsOf(date);
      snap.catch(() => this.#asOf.delete(date));
      if (this.#asOf.size >= AS_OF_KEPT) this.#asOf.delete(this.#asOf.keys().next().value!);
    }
    this.#asOf.set(date, snap);
    return snap;
  }

  async #buildAsOf(date: string): Promise<Snapshot> {
    this.#updates ??= this.#loadLog().then(updatesByRecord);
    const updates = await this.#updates;
    await nextTurn(); // each heavy step in a turn of its own (see turns.ts)
    const lists = {} as Record<Kind, readonly Entities[Kind][]>;
    for (const kind of KIND_ORDER) lists[kind] = [...this.data.records[kind].values()];
    const deleted = this.deleted.map((d) => ({
      ...d,
      record: recordAsOf(d.record, updates.get(`organisation|${d.record.ods_code}`) ?? [], date),
    }));
    const attributes = attributesOn(lists as RecordLists, updates, date);
    await nextTurn();
    const records = recordsOn(attributes, date, deleted);
    await nextTurn();
    return new Snapshot(this.version, buildDataset(records), date);
  }

  /** The views built so far. */
  get builtViews(): ViewId[] {
    return [...this.#views.keys()];
  }

  /** A view, built on first use. */
  view(id: ViewId): BuiltView {
    let view = this.#views.get(id);
    if (!view) {
      const steps = this.#steps(id);
      let step = steps.next();
      while (!step.done) step = steps.next();
      this.#views.set(id, view = step.value);
    }
    return view;
  }

  /**
   * Build a view (if it isn't yet) in slices of about `sliceMs` of work, each in a turn of its
   * own (see turns.ts), so that requests are answered between them.
   */
  async buildInSlices(id: ViewId, sliceMs: number = SLICE_MS): Promise<void> {
    if (this.#views.has(id)) return;
    const steps = this.#steps(id);
    let sliceStart = performance.now();
    for (let step = steps.next(); !this.#views.has(id); step = steps.next()) {
      if (step.done) return void this.#views.set(id, step.value);
      if (performance.now() - sliceStart < sliceMs) continue;
      await nextTurn();
      sliceStart = performance.now();
    }
  }

  /** The steps of building a view: one per item serialized, then the view. */
  *#steps(id: ViewId): Generator<void, BuiltView> {
    const items = viewRecords(VIEWS[id], this.data);
    const byCode = new Map<string, BuiltItem>();
    const rows: BuiltItem[] = [];
    for (const [code, record] of items) {
      yield;
      const item = VIEWS[id].serialize(this.data, record as never);
      const row = { item, json: asciiJson(item), etag: this.etag(`${id}|${code}`) };
      rows.push(row);
      byCode.set(code, row);
    }
    yield;
    return {
      items: rows.map((r) => r.item),
      rows,
      json: `[${rows.map((r) => r.json).join(",")}]`,
      etag: this.etag(`${id}|*`),
      byCode,
    };
  }
}

/** The longest a slice of a view build runs before letting requests in. */
const SLICE_MS = 2;

/** Read every record of every kind. */
export async function loadRecords(store: Store): Promise<RecordLists> {
  const lists = await Promise.all(KIND_ORDER.map((kind) => store.list(kind)));
  const out = {} as Record<Kind, readonly Entities[Kind][]>;
  KIND_ORDER.forEach((kind, i) => out[kind] = lists[i]);
  return out as RecordLists;
}

/** The organisations deleted by merges (their tombstones). */
export async function loadDeleted(store: Store): Promise<DeletedOrganisation[]> {
  const out: DeletedOrganisation[] = [];
  const prefix = keys.tombstonePrefix("organisation");
  for await (const e of store.kv.list<DeletedOrganisation>({ prefix })) out.push(e.value);
  return out;
}

/** The whole change log, in commit order. */
async function loadLogEntries(store: Store): Promise<ChangeEntry[]> {
  const out: ChangeEntry[] = [];
  for await (const e of store.kv.list<ChangeEntry>({ prefix: keys.logAllPrefix })) {
    if (e.value.op === "update") out.push(e.value);
  }
  return out;
}

/** Keeps the snapshot of the latest data version. */
export class SnapshotCache {
  readonly #store: Store;
  readonly #maxAgeMs: number;
  /** `performance.now()` when the version of `#current` was last confirmed in KV. */
  #confirmedAt = -Infinity;
  /** Commits this process made; a version read that overlapped one confirms nothing. */
  #localCommits = 0;
  #current: Snapshot | null = null;
  /** `performance.now()` until which `#current` is known to have been the latest version. */
  #knownAt = -Infinity;
  #pending: { version: string; promise: Promise<Snapshot> } | null = null;
  #reading: Promise<string> | null = null;
  #next: Promise<string> | null = null;
  #builds = 0;
  readonly #onBuild: (version: string) => void;
  readonly #intervalMs: number;
  /** `performance.now()` when the last build became current. */
  #builtAt = -Infinity;
  #later: ReturnType<typeof setTimeout> | null = null;

  /**
   * @param options.maxAgeMs how long a confirmed version is trusted before KV is read again
   *   (default 1000 ms).
   * @param options.minRebuildIntervalMs the least time between two builds while the previous
   *   snapshot may still be served (within `maxAgeMs` of when it was the latest): a stream of
   *   commits then costs one build per interval (default 0: a build after every commit).
   * @param options.onBuild called as a build of a new version starts.
   */
  constructor(
    store: Store,
    options: {
      maxAgeMs?: number;
      minRebuildIntervalMs?: number;
      onBuild?: (version: string) => void;
    } = {},
  ) {
    this.#store = store;
    this.#maxAgeMs = options.maxAgeMs ?? 1000;
    this.#intervalMs = options.minRebuildIntervalMs ?? 0;
    this.#onBuild = options.onBuild ?? (() => {});
    store.onCommit(() => {
      this.#localCommits++;
      if (this.#confirmedAt > -Infinity) {
        const until = Math.min(performance.now(), this.#confirmedAt + this.#maxAgeMs);
        this.#knownAt = Math.max(this.#knownAt, until);
      }
      this.#confirmedAt = -Infinity;
    });
  }

  /** Cancel a rebuild scheduled by the rebuild interval. */
  close(): void {
    if (this.#later !== null) clearTimeout(this.#later);
    this.#later = null;
  }

  /** How many snapshots were built (for tests and metrics). */
  get builds(): number {
    return this.#builds;
  }

  /**
   * The data version in KV, read after this call began: joins the read that starts next when
   * one is already in flight (see the module documentation).
   */
  #readVersion(): Promise<string> {
    if (!this.#reading) {
      const read: Promise<string> = this.#store.dataVersion().finally(() => {
        if (this.#reading === read) this.#reading = null;
      });
      this.#reading = read;
      return read;
    }
    this.#next ??= this.#reading.then(
      () => this.#startNext(),
      () => this.#startNext(),
    );
    return this.#next;
  }

  #startNext(): Promise<string> {
    this.#next = null;
    return this.#readVersion();
  }

  /**
   * The current snapshot if it is known fresh now (no KV read needed), else `null`.
   * @param now `performance.now()`, when the caller has just read it.
   */
  peek(now: number = performance.now()): Snapshot | null {
    if (!this.#current) return null;
    const age = now - this.#confirmedAt;
    if (age >= this.#maxAgeMs) return null;
    // Past half its age, confirm the version again in the background, so that under steady
    // load no request waits for that read.
    if (age >= this.#maxAgeMs / 2 && !this.#reading) this.#refresh().catch(() => {});
    return this.#current;
  }

  /**
   * The snapshot of the data version in KV (at most `maxAgeMs` old), built if needed. While a
   * newer one is being built, requests are answered from the previous one as long as it was the
   * latest less than `maxAgeMs` ago: only a request that finds no build under way waits for one,
   * so a stream of commits (a re-baseline) never makes readers queue behind rebuilds.
   */
  current(): Promise<Snapshot> {
    const now = performance.now();
    const fresh = this.peek(now);
    if (fresh) return Promise.resolve(fresh);
    const servable = this.#current !== null && now - this.#knownAt < this.#maxAgeMs;
    if (servable && this.#pending) return Promise.resolve(this.#current!);
    const wait = this.#builtAt + this.#intervalMs - now;
    if (servable && wait > 0) {
      if (this.#later === null) {
        const later = setTimeout(() => {
          this.#later = null;
          this.#refresh().catch(() => {});
        }, wait);
        Deno.unrefTimer(later as unknown as number);
        this.#later = later;
      }
      return Promise.resolve(this.#current!);
    }
    return this.#refresh();
  }

  async #refresh(): Promise<Snapshot> {
    const readAt = performance.now();
    const commitsBefore = this.#localCommits;
    const version = await this.#readVersion();
    const confirm = () => {
      if (this.#localCommits === commitsBefore) {
        this.#confirmedAt = Math.max(this.#confirmedAt, readAt);
      }
    };
    if (this.#current?.version === version) {
      confirm();
      return this.#current;
    }
    // One build at a time: commits landing during a build make one more build after it, of
    // the version then in KV, not one each.
    const building = this.#pending;
    if (building && building.version !== version) {
      await building.promise.catch(() => {});
      return await this.#refresh();
    }
    let pending = this.#pending;
    if (!pending || pending.version !== version) {
      const started = { version, promise: this.#build(version) };
      this.#pending = pending = started;
      this.#onBuild(version);
      started.promise.then(
        (snap) => {
          if (this.#pending === started) this.#pending = null;
          if (!this.#current || this.#current.version < snap.version) {
            this.#current = snap;
            this.#knownAt = Math.max(this.#knownAt, readAt);
            this.#builtAt = performance.now();
            confirm();
          }
        },
        () => {
          if (this.#pending === started) this.#pending = null;
        },
      );
    }
    return await pending.promise;
  }

  async #build(version: string): Promise<Snapshot> {
    const [records, deleted] = await Promise.all([
      loadRecords(this.#store),
      loadDeleted(this.#store),
    ]);
    this.#builds++;
    await nextTurn();
    const store = this.#store;
    const loadLog = () => loadLogEntries(store);
    const snap = new Snapshot(version, buildDataset(records), null, { deleted, loadLog });
    // The views the last snapshot served, built now, in slices, so that no request builds one
    // (a few milliseconds each) while others wait behind it.
    for (const id of this.#current?.builtViews ?? []) await snap.buildInSlices(id);
    return snap;
  }
}
