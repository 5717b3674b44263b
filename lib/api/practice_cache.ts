/**
 * The read cache of the GP practice routes: the {@linkcode PracticeSnapshot} of the GP version
 * in KV (`keys.gpVersionKey`), loaded on the first practice request (never at start-up, never by
 * a commit of other kinds).
 *
 * Freshness comes from KV, as for the other routes' cache: the GP version is read at most every
 * `maxAgeMs` (another process's write shows within that time), and a commit this process makes
 * through the store makes the next request read it again. One request at a time reads the
 * version and, when it moved, builds the new snapshot and waits for it (so a client that writes
 * and then reads sees its write); meanwhile every other request is answered from the previous
 * snapshot, so a stream of practice commits (a baseline) never makes readers queue behind
 * rebuilds. Only the very first requests, with no snapshot yet, all wait for the first build.
 *
 * A build after this process's own commits reads only the practices they changed: each commit
 * of GP kinds tells which GP version it replaced, checked in the commit itself (see
 * `Store.onCommit`), so an unbroken chain of its commits from the snapshot's version to the
 * version in KV proves no other process wrote practices in between. A break in the chain (a
 * commit by `deno task sync` or another instance), or more than
 * {@linkcode MAX_UPDATED} changed practices (a baseline), reads every practice again.
 *
 * The first build of a process reads the prepared copy of the practices stored in KV when it
 * describes the GP version read (`./practice_copy.ts`), which is several times faster than
 * listing the records. The copy is written in the background once a snapshot's version is
 * confirmed a second time (so not during a baseline, whose commits move it every second), by
 * whichever process confirms it first.
 *
 * @module
 */
import { log } from "../log.ts";
import type { CommitInfo, Store } from "../store.ts";
import { copyStored, loadPracticeCopy, writePracticeCopy } from "./practice_copy.ts";
import {
  loadPracticeSnapshot,
  type PracticeSnapshot,
  updatePracticeSnapshot,
} from "./practice_snapshot.ts";

/** The most changed practices a build reads one by one (beyond, it reads them all). */
export const MAX_UPDATED = 2000;

/** This process's commits of GP kinds: each by the GP version it replaced. */
export type CommitChain = Map<string, { to: string; codes: readonly string[] }>;

/**
 * The practices changed from GP version `from` to `to` by the commits of `chain`, or `null`
 * when the chain doesn't lead from one to the other (a commit made elsewhere came between) or
 * they are more than `max`.
 *
 * @example
 * ```ts
 * import { changedBetween } from "./practice_cache.ts";
 * const chain = new Map([
 *   ["0001", { to: "0002", codes: ["Y01"] }],
 *   ["0002", { to: "0003", codes: ["Y02", "Y01"] }],
 * ]);
 * changedBetween(chain, "0001", "0003"); // Set {"Y01", "Y02"}
 * changedBetween(chain, "0000", "0003"); // null: no commit of this process replaced 0000
 * ```
 */
export function changedBetween(
  chain: CommitChain,
  from: string,
  to: string,
  max = MAX_UPDATED,
): Set<string> | null {
  const codes = new Set<string>();
  for (let at = from; at !== to;) {
    const link = chain.get(at);
    if (!link || link.to <= at) return null;
    for (const code of link.codes) codes.add(code);
    if (codes.size > max) return null;
    at = link.to;
  }
  return codes;
}

/** Keeps the practices of the latest GP version. */
export class PracticeCache {
  readonly #store: Store;
  readonly #maxAgeMs: number;
  #current: PracticeSnapshot | null = null;
  /** `performance.now()` when the version of `#current` was last confirmed in KV. */
  #confirmedAt = -Infinity;
  #commits = 0;
  #pending: { version: string; promise: Promise<PracticeSnapshot> } | null = null;
  /** A request reading the version (and maybe building) now. */
  #refreshing: Promise<PracticeSnapshot> | null = null;
  #builds = 0;
  #updates = 0;
  #fromCopies = 0;
  /** The last version whose copy was stored (or tried), and the write in flight. */
  #copied: string | null = null;
  #copying: Promise<void> | null = null;
  readonly #copy: boolean;
  readonly #clock: () => number;
  readonly #chain: CommitChain = new Map();

  /**
   * @param options.maxAgeMs how long a confirmed version is trusted (default 1000 ms).
   * @param options.clock the clock of that age (default `performance.now`).
   * @param options.copy read and write the prepared copy in KV (default `true`).
   */
  constructor(
    store: Store,
    options: { maxAgeMs?: number; clock?: () => number; copy?: boolean } = {},
  ) {
    this.#clock = options.clock ?? (() => performance.now());
    this.#copy = options.copy ?? true;
    this.#store = store;
    this.#maxAgeMs = options.maxAgeMs ?? 1000;
    store.onCommit((commit) => {
      this.#commits++;
      this.#confirmedAt = -Infinity;
      this.#link(commit);
    });
  }

  /** Remember a commit of GP kinds, while there is a snapshot to update. */
  #link(commit: CommitInfo): void {
    if (commit.gpFrom === null || !this.#current) return;
    const codes = commit.entries.filter((e) => e.entity === "general_practice").map((e) => e.code);
    this.#chain.set(commit.gpFrom, { to: commit.versionstamp, codes });
  }

  /**
   * The current snapshot if it can be answered from now without a KV read, else `null`: while
   * it is known fresh, and while a refresh runs (as {@linkcode current} would answer). Past half
   * its age it confirms the version again in the background, so under steady load no request
   * waits for that read (nor leaves the fast path).
   */
  peek(now: number = this.#clock()): PracticeSnapshot | null {
    const current = this.#current;
    if (!current) return null;
    if (this.#refreshing) return current;
    const age = now - this.#confirmedAt;
    if (age >= this.#maxAgeMs) return null;
    if (age >= this.#maxAgeMs / 2) this.#startRefresh().catch(() => {});
    return current;
  }

  /** How many snapshots were built (for tests and metrics), updates included. */
  get builds(): number {
    return this.#builds;
  }

  /** How many of them were updates reading only the changed practices. */
  get updates(): number {
    return this.#updates;
  }

  /** How many of them were read from the prepared copy in KV. */
  get fromCopies(): number {
    return this.#fromCopies;
  }

  /**
   * The snapshot of the GP version in KV (at most `maxAgeMs` old), built if needed.
   *
   * @example
   * ```ts
   * import { Store } from "../store.ts";
   * import { PracticeCache } from "./practice_cache.ts";
   *
   * const store = await Store.open(":memory:");
   * const cache = new PracticeCache(store);
   * (await cache.current()).rows.length; // 0
   * store.close();
   * ```
   */
  current(): Promise<PracticeSnapshot> {
    const current = this.peek();
    return current ? Promise.resolve(current) : this.#startRefresh();
  }

  /** Settles when no refresh, and no write of the copy, is in flight (for tests). */
  get idle(): Promise<void> {
    const refreshed = this.#refreshing?.then(() => {}, () => {});
    return Promise.all([refreshed, this.#copying]).then(() => {});
  }

  /** Read the version (and build when it moved), as the one refresh in flight. */
  #startRefresh(): Promise<PracticeSnapshot> {
    const refresh = this.#refresh().finally(() => {
      if (this.#refreshing === refresh) this.#refreshing = null;
    });
    this.#refreshing = refresh;
    return refresh;
  }

  async #refresh(): Promise<PracticeSnapshot> {
    const readAt = this.#clock();
    const commits = this.#commits;
    const version = await this.#store.gpVersion();
    const confirm = () => {
      if (this.#commits === commits) this.#confirmedAt = Math.max(this.#confirmedAt, readAt);
    };
    if (this.#current?.version === version) {
      confirm();
      this.#storeCopy(this.#current);
      return this.#current;
    }
    const building = this.#pending;
    if (building && building.version !== version) {
      await building.promise.catch(() => {});
      return await this.#refresh();
    }
    if (building) return await building.promise;
    const started = { version, promise: this.#build(version) };
    this.#pending = started;
    started.promise.then((snap) => {
      if (this.#pending === started) this.#pending = null;
      if (!this.#current || this.#current.version < snap.version) {
        this.#current = snap;
        confirm();
        for (const from of this.#chain.keys()) if (from < snap.version) this.#chain.delete(from);
      }
    }, () => {
      if (this.#pending === started) this.#pending = null;
    });
    return await started.promise;
  }

  async #build(version: string): Promise<PracticeSnapshot> {
    const previous = this.#current;
    const codes = previous && changedBetween(this.#chain, previous.version, version);
    // Only a first build reads the copy: parsing it takes the event loop for a while, which
    // would stall requests a previous snapshot is answering.
    const started = performance.now();
    const copied = !previous && await this.#readCopy(version);
    const snap = codes
      ? await updatePracticeSnapshot(this.#store, previous, codes, version)
      : copied || await loadPracticeSnapshot(this.#store, version);
    this.#builds++;
    if (codes) this.#updates++;
    if (copied) this.#fromCopies++;
    log("info", "practice cache built", {
      version,
      from: codes ? "changed practices" : copied ? "stored copy" : "records",
      practices: snap.rows.length,
      ms: Math.round(performance.now() - started),
    });
    return snap;
  }

  /** The snapshot of `version` from the stored copy, or `null` (none, or not readable). */
  async #readCopy(version: string): Promise<PracticeSnapshot | null> {
    if (!this.#copy) return null;
    try {
      const snap = await loadPracticeCopy(this.#store, version);
      if (snap) this.#copied = version;
      return snap;
    } catch (err) {
      log("warn", "practice cache copy unreadable; listing the practices", { error: String(err) });
      return null;
    }
  }

  /** Store the copy of `snap` in the background, once per version, unless it is stored. */
  #storeCopy(snap: PracticeSnapshot): void {
    if (!this.#copy || this.#copied === snap.version || this.#copying) return;
    this.#copied = snap.version;
    const started = performance.now();
    this.#copying = (async () => {
      if (await copyStored(this.#store, snap.version)) return;
      const stored = await writePracticeCopy(this.#store, snap);
      const ms = Math.round(performance.now() - started);
      log("info", "practice cache copy", { version: snap.version, stored, ms });
    })().catch((err) => {
      log("warn", "practice cache copy not stored", { error: String(err) });
    }).finally(() => this.#copying = null);
  }
}
