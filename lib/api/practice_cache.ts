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
 * @module
 */
import type { Store } from "../store.ts";
import { loadPracticeSnapshot, type PracticeSnapshot } from "./practice_snapshot.ts";

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

  /** @param options.maxAgeMs how long a confirmed version is trusted (default 1000 ms). */
  constructor(store: Store, options: { maxAgeMs?: number } = {}) {
    this.#store = store;
    this.#maxAgeMs = options.maxAgeMs ?? 1000;
    store.onCommit(() => {
      this.#commits++;
      this.#confirmedAt = -Infinity;
    });
  }

  /** The current snapshot if it is known fresh now (no KV read needed), else `null`. */
  peek(now: number = performance.now()): PracticeSnapshot | null {
    return this.#current && now - this.#confirmedAt < this.#maxAgeMs ? this.#current : null;
  }

  /** How many snapshots were built (for tests and metrics). */
  get builds(): number {
    return this.#builds;
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
    const now = performance.now();
    const current = this.#current;
    if (current && (this.#refreshing || now - this.#confirmedAt < this.#maxAgeMs)) {
      return Promise.resolve(current);
    }
    const refresh = this.#refresh().finally(() => {
      if (this.#refreshing === refresh) this.#refreshing = null;
    });
    this.#refreshing = refresh;
    return refresh;
  }

  async #refresh(): Promise<PracticeSnapshot> {
    const readAt = performance.now();
    const commits = this.#commits;
    const version = await this.#store.gpVersion();
    const confirm = () => {
      if (this.#commits === commits) this.#confirmedAt = Math.max(this.#confirmedAt, readAt);
    };
    if (this.#current?.version === version) {
      confirm();
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
      }
    }, () => {
      if (this.#pending === started) this.#pending = null;
    });
    return await started.promise;
  }

  async #build(version: string): Promise<PracticeSnapshot> {
    const snap = await loadPracticeSnapshot(this.#store, version);
    this.#builds++;
    return snap;
  }
}
