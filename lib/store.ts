/**
 * The Deno KV store: records, their secondary indexes and the change log, always written
 * together in one atomic commit guarded by versionstamp checks.
 *
 * @module
 */
import { diffRecords, type FieldChange } from "./diff.ts";
import * as keys from "./keys.ts";
import { type Entities, isGpKind, type Kind, KIND_ORDER, KINDS } from "./model.ts";

/** Why a write happened (`effective`: a change ODS published in advance reached its date). */
export type Cause = "seed" | "sync" | "merge" | "effective";

/** Who is writing and why; stamped on every change log entry. */
export interface WriteContext {
  cause: Cause;
  runId: string;
  /** ISO instant used for `updated_at` and the log. Defaults to now. */
  time?: string;
  /** Plan every commit and report what it would write, but write nothing. */
  dryRun?: boolean;
}

/** One change log entry: every changed field of one record in one commit. */
export interface ChangeEntry {
  /**
   * The versionstamp of the commit that wrote it (the last part of its key), so entries sort in
   * commit order across every process and Deploy isolate writing to the store; `""` in a dry run.
   */
  id: string;
  entity: Kind;
  code: string;
  op: "create" | "update" | "delete";
  changes: FieldChange[];
  cause: Cause;
  run_id: string;
  time: string;
  /** The ODS `LastChangeDate` of the data applied, when it came from ODS. */
  last_change_date: string | null;
  /**
   * ODS's own spelling of the name, when the commit wrote a name styled differently (an ICB's
   * "NHS SURREY AND SUSSEX INTEGRATED CARE BOARD", stored as "NHS Surrey and Sussex Integrated
   * Care Board"); absent otherwise.
   */
  ods_name?: string;
}

/**
 * How to change one record: given the current record (or `null`), return the next one,
 * `null` to delete it, or `undefined` to leave it alone. Called again with fresh data when a
 * concurrent writer got there first, so it must be pure.
 */
export type Update<K extends Kind> = (
  current: Entities[K] | null,
) => Entities[K] | null | undefined;

/** One record's change inside a {@linkcode WriteGroup}. */
export interface RecordWrite<K extends Kind = Kind> {
  kind: K;
  code: string;
  update: Update<K>;
  /** ODS `LastChangeDate` to record in the change log. */
  lastChangeDate?: string | null;
  /** ODS's spelling of the record's name, logged when the name written differs from it. */
  odsName?: string;
}

/** Extra mutations committed with a group (review items, tombstones, run records...). */
export interface Extra {
  set?: [Deno.KvKey, unknown][];
  delete?: Deno.KvKey[];
  /** Extra versionstamp checks (e.g. on a tombstone read by the caller). */
  check?: Deno.AtomicCheck[];
}

/**
 * Changes that must land together, or not at all. `extra` sees what will be written and may add
 * more mutations to the same commit.
 */
export interface WriteGroup {
  writes: RecordWrite[];
  extra?: (entries: ChangeEntry[]) => Extra | undefined;
}

/** What a write did. */
export interface WriteResult {
  entries: ChangeEntry[];
  commits: number;
}

/** Build a typed {@linkcode RecordWrite} (keeps `update` typed by kind). */
export function recordWrite<K extends Kind>(
  kind: K,
  code: string,
  update: Update<K>,
  lastChangeDate?: string | null,
  odsName?: string,
): RecordWrite {
  return { kind, code, update, lastChangeDate, odsName } as unknown as RecordWrite;
}

/**
 * The `ods_name` of a change entry: ODS's spelling of the name, when the entry changes `name` to
 * something else than ODS gave (nothing otherwise).
 *
 * @example
 * ```ts
 * import { odsNameField } from "./store.ts";
 *
 * const changes = [{ field: "name", old: null, new: "NHS Surrey and Sussex Integrated Care Board" }];
 * odsNameField(changes, "NHS SURREY AND SUSSEX INTEGRATED CARE BOARD");
 * // { ods_name: "NHS SURREY AND SUSSEX INTEGRATED CARE BOARD" }
 * odsNameField(changes, undefined); // {}
 * ```
 */
export function odsNameField(
  changes: readonly FieldChange[],
  odsName: string | undefined,
): { ods_name?: string } {
  const name = changes.find((c) => c.field === "name");
  return odsName !== undefined && name && name.new !== odsName ? { ods_name: odsName } : {};
}

const MAX_MUTATIONS = 900;
const MAX_BYTES = 700_000;
const MAX_RETRIES = 20;

let lastStamp = 0;
let counter = 0;

/** The store named by `KV_PATH` could not be opened (or, when asked, written). */
export class StoreOpenError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`cannot use the store KV_PATH=${path}: ${reason}`);
    this.name = "StoreOpenError";
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * What is wrong with a store, in an operator's words, from the error opening or writing it.
 *
 * @example
 * ```ts
 * import { storeProblem } from "./store.ts";
 * if (storeProblem(new Error("file is not a database")) !== "not a Deno KV database") {
 *   throw new Error("not classified");
 * }
 * ```
 */
export function storeProblem(err: unknown): string {
  const message = messageOf(err);
  if (/not a database|malformed|corrupt/i.test(message)) return "not a Deno KV database";
  if (/readonly|read-only|read only/i.test(message)) return "read-only";
  if (err instanceof Deno.errors.PermissionDenied || /permission denied/i.test(message)) {
    return `permission denied (${message})`;
  }
  if (err instanceof Deno.errors.NotADirectory) return `a part of the path is not a directory`;
  return message;
}

/** A unique id that sorts by creation time: `<ms base36>-<counter>-<random>`. */
export function sortableId(now = Date.now()): string {
  if (now <= lastStamp) {
    now = lastStamp;
    counter++;
  } else {
    lastStamp = now;
    counter = 0;
  }
  const rand = crypto.getRandomValues(new Uint8Array(4));
  const hex = Array.from(rand, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${now.toString(36).padStart(9, "0")}-${counter.toString(36).padStart(4, "0")}-${hex}`;
}

/** Index entries implied by a record. */
export function indexEntries<K extends Kind>(
  kind: K,
  code: string,
  record: Entities[K] | null,
): Deno.KvKey[] {
  if (!record) return [];
  const out: Deno.KvKey[] = [];
  for (const field of KINDS[kind].indexed) {
    const value = (record as unknown as Record<string, unknown>)[field];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      out.push(keys.indexKey(kind, field, value, code));
    }
  }
  return out;
}

function keyId(key: Deno.KvKey): string {
  return JSON.stringify(key);
}

/** SQLite said another process holds the write lock (a local KV file shared by processes). */
export function isBusyError(err: unknown): boolean {
  return err instanceof Error && /database is locked|SQLITE_BUSY/i.test(err.message);
}

/**
 * Run `op` again while SQLite reports the file busy. A busy commit wrote nothing, so trying it
 * again is safe; waits grow from a few milliseconds, with jitter, for up to about 10 s.
 */
export async function retryWhileBusy<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (!isBusyError(err) || attempt >= 60) throw err;
      const ceiling = Math.min(250, 2 * 2 ** Math.min(attempt, 7));
      await new Promise((r) => setTimeout(r, 1 + Math.random() * ceiling));
    }
  }
}

/**
 * A `Deno.Kv` whose reads and writes wait out "database is locked": several processes (the
 * service, `deno task sync`, `deno task merge`) may share one local KV file, and SQLite refuses
 * a write while another process's transaction holds the lock instead of waiting for it.
 */
export function busyTolerant(kv: Deno.Kv): Deno.Kv {
  const wrapped = new Map<PropertyKey, unknown>();
  const retried = new Set<PropertyKey>(["get", "getMany", "set", "delete", "enqueue"]);
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      let fn = wrapped.get(prop);
      if (fn) return fn;
      if (prop === "atomic") {
        fn = () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => retryWhileBusy(commit);
          return op;
        };
      } else if (retried.has(prop)) {
        fn = (...args: unknown[]) => retryWhileBusy(() => value.apply(target, args));
      } else {
        fn = value.bind(target);
      }
      wrapped.set(prop, fn);
      return fn;
    },
  });
}

/**
 * The version keys a commit writing `entries` moves: the data version when it writes a kind of
 * the snapshot, the GP version when it writes a GP practice kind (both when it writes both).
 *
 * @example
 * ```ts
 * import { versionKeys } from "./store.ts";
 *
 * versionKeys([{ entity: "general_practice" }]); // [["meta", "gp_version"]]
 * versionKeys([]); // []
 * ```
 */
export function versionKeys(entries: readonly Pick<ChangeEntry, "entity">[]): Deno.KvKey[] {
  const gp = entries.some((e) => isGpKind(e.entity));
  const data = entries.some((e) => !isGpKind(e.entity));
  return [...(data ? [keys.dataVersionKey] : []), ...(gp ? [keys.gpVersionKey] : [])];
}

/** What {@linkcode Store.onCommit} listeners are told of one commit. */
export interface CommitInfo {
  /** The commit's versionstamp (the new GP version, when it wrote GP kinds). */
  versionstamp: string;
  /** The changes it committed. */
  entries: readonly ChangeEntry[];
  /**
   * For a commit of GP practice kinds, the GP version it replaced (`"0"`: none yet), checked in
   * the commit itself: no other commit of GP kinds came between the two. `null` otherwise.
   */
  gpFrom: string | null;
}

/** Add to `op` the index entries `before` → `next` removes and adds; returns how many. */
function indexChanges(
  op: Deno.AtomicOperation,
  kind: Kind,
  code: string,
  before: Entities[Kind] | null,
  next: Entities[Kind] | null,
): number {
  let mutations = 0;
  const oldEntries = indexEntries(kind, code, before);
  const oldIds = new Set(oldEntries.map(keyId));
  const newEntries = indexEntries(kind, code, next);
  const newIds = new Set(newEntries.map(keyId));
  for (const k of oldEntries) {
    if (!newIds.has(keyId(k))) {
      op.delete(k);
      mutations++;
    }
  }
  for (const k of newEntries) {
    if (!oldIds.has(keyId(k))) {
      op.set(k, true);
      mutations++;
    }
  }
  return mutations;
}

/** The store over one Deno KV database. */
export class Store {
  readonly kv: Deno.Kv;
  readonly #onCommit = new Set<(commit: CommitInfo) => void>();

  constructor(kv: Deno.Kv) {
    this.kv = busyTolerant(kv);
  }

  /**
   * Open a store at a local path, `:memory:`, or a KV Connect URL (`undefined` = the
   * platform default, as on Deno Deploy). Throws {@linkcode StoreOpenError} naming the path
   * and the problem. With `probeWrite`, also proves the store takes writes (one small meta
   * write), so a read-only store is refused at start rather than on the first real write.
   */
  static async open(path?: string, options: { probeWrite?: boolean } = {}): Promise<Store> {
    const where = path ?? "(platform default)";
    if (path && !path.startsWith("http") && path !== ":memory:") {
      const dir = path.replace(/[^/]*$/, "");
      try {
        if (dir) await Deno.mkdir(dir, { recursive: true });
      } catch (err) {
        throw new StoreOpenError(where, `cannot create directory ${dir} (${messageOf(err)})`);
      }
    }
    let kv: Deno.Kv;
    try {
      kv = await Deno.openKv(path);
    } catch (err) {
      throw new StoreOpenError(where, storeProblem(err));
    }
    if (options.probeWrite) {
      try {
        await kv.set(keys.openedKey, { at: new Date().toISOString() });
      } catch (err) {
        kv.close();
        throw new StoreOpenError(where, storeProblem(err));
      }
    }
    return new Store(kv);
  }

  close(): void {
    this.kv.close();
  }

  /**
   * Call `listener` after every data commit this process makes through the store (caches use it
   * to see their own process's writes at once). Returns a function that removes it.
   */
  onCommit(listener: (commit: CommitInfo) => void): () => void {
    this.#onCommit.add(listener);
    return () => this.#onCommit.delete(listener);
  }

  /** One record, or `null`. */
  async get<K extends Kind>(kind: K, code: string): Promise<Entities[K] | null> {
    const entry = await this.kv.get<Entities[K]>(keys.recordKey(kind, code));
    return entry.value;
  }

  /** Several records by code, in the order asked; missing ones are left out. */
  async getMany<K extends Kind>(kind: K, codes: readonly string[]): Promise<Entities[K][]> {
    const out: Entities[K][] = [];
    for (let i = 0; i < codes.length; i += 10) {
      const chunk = codes.slice(i, i + 10).map((c) => keys.recordKey(kind, c));
      const entries = await this.kv.getMany<Entities[K][]>(chunk);
      for (const e of entries) if (e.value) out.push(e.value);
    }
    return out;
  }

  /** Every record of a kind, ordered by code. */
  async list<K extends Kind>(kind: K): Promise<Entities[K][]> {
    const out: Entities[K][] = [];
    for await (const e of this.kv.list<Entities[K]>({ prefix: keys.recordPrefix(kind) })) {
      out.push(e.value);
    }
    return out;
  }

  /** Codes of the records of `kind` whose indexed `field` equals `value`. */
  async codesBy<K extends Kind>(
    kind: K,
    field: (typeof KINDS)[K]["indexed"][number],
    value: keys.IndexValue,
  ): Promise<string[]> {
    const out: string[] = [];
    for await (const e of this.kv.list({ prefix: keys.indexPrefix(kind, field, value) })) {
      out.push(String(e.key[e.key.length - 1]));
    }
    return out;
  }

  /** Records of `kind` whose indexed `field` equals `value` (e.g. a trust's organisations). */
  async listBy<K extends Kind>(
    kind: K,
    field: (typeof KINDS)[K]["indexed"][number],
    value: keys.IndexValue,
  ): Promise<Entities[K][]> {
    return await this.getMany(kind, await this.codesBy(kind, field, value));
  }

  /** An entity's change log, oldest first (in commit order). */
  async history(kind: Kind, code: string): Promise<ChangeEntry[]> {
    const out: ChangeEntry[] = [];
    for await (const e of this.kv.list<ChangeEntry>({ prefix: keys.logPrefix(kind, code) })) {
      out.push({ ...e.value, id: String(e.key[3]) });
    }
    return out;
  }

  /** Number of records per kind of the snapshot ({@linkcode KIND_ORDER}: not GP practices). */
  async counts(): Promise<Record<Kind, number>> {
    const out = {} as Record<Kind, number>;
    for (const kind of KIND_ORDER) {
      let n = 0;
      for await (const _ of this.kv.list({ prefix: keys.recordPrefix(kind) })) n++;
      out[kind] = n;
    }
    return out;
  }

  /** Versionstamp of the data: changes whenever any record but a GP practice kind's changes. */
  async dataVersion(): Promise<string> {
    return (await this.kv.get(keys.dataVersionKey)).versionstamp ?? "0";
  }

  /** Versionstamp of the GP practice kinds: changes whenever one of their records changes. */
  async gpVersion(): Promise<string> {
    return (await this.kv.get(keys.gpVersionKey)).versionstamp ?? "0";
  }

  /**
   * Apply groups of record changes. Each group lands in one atomic commit with its indexes,
   * change log entries and extras; small groups are packed into shared commits within KV's
   * limits. A commit that loses a race re-reads and re-applies its updates.
   */
  async write(groups: readonly WriteGroup[], ctx: WriteContext): Promise<WriteResult> {
    try {
      const result = await this.#write(groups, ctx);
      if (!ctx.dryRun) this.#writeFailure = null;
      return result;
    } catch (err) {
      this.#writeFailure = { at: new Date().toISOString(), problem: storeProblem(err) };
      throw err;
    }
  }

  /**
   * The last write's failure, while no later write has succeeded (`/health` reports it): a
   * read-only or broken store is seen even though reads still work.
   */
  get writeFailure(): { at: string; problem: string } | null {
    return this.#writeFailure;
  }

  #writeFailure: { at: string; problem: string } | null = null;

  async #write(groups: readonly WriteGroup[], ctx: WriteContext): Promise<WriteResult> {
    const result: WriteResult = { entries: [], commits: 0 };
    let batch: WriteGroup[] = [];
    let size = 0;
    let records = new Set<string>();
    for (const group of groups) {
      const estimate = group.writes.length * 30 + 10;
      const ids = group.writes.map((w) => `${w.kind}/${w.code}`);
      // One commit writes a record's change log entry under the commit's versionstamp, so a
      // record written twice starts a new commit.
      if (batch.length && (size + estimate > MAX_MUTATIONS || ids.some((id) => records.has(id)))) {
        await this.#commitWithRetry(batch, ctx, result);
        batch = [];
        size = 0;
        records = new Set();
      }
      batch.push(group);
      size += estimate;
      for (const id of ids) records.add(id);
    }
    if (batch.length) await this.#commitWithRetry(batch, ctx, result);
    return result;
  }

  async #commitWithRetry(
    groups: WriteGroup[],
    ctx: WriteContext,
    result: WriteResult,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const planned = await this.#plan(groups, ctx);
      if (!planned) return; // nothing to write
      if (planned.mutations > MAX_MUTATIONS || planned.bytes > MAX_BYTES) {
        if (groups.length === 1) {
          throw new Error(
            `one write group needs ${planned.mutations} mutations / ${planned.bytes} bytes, over the KV commit limit`,
          );
        }
        const half = Math.ceil(groups.length / 2);
        await this.#commitWithRetry(groups.slice(0, half), ctx, result);
        await this.#commitWithRetry(groups.slice(half), ctx, result);
        return;
      }
      if (ctx.dryRun) {
        result.entries.push(...planned.entries);
        return;
      }
      const res = await planned.op.commit();
      if (res.ok) {
        for (const entry of planned.entries) entry.id = res.versionstamp;
        result.entries.push(...planned.entries);
        result.commits++;
        const info = {
          versionstamp: res.versionstamp,
          entries: planned.entries,
          gpFrom: planned.gpFrom,
        };
        for (const listener of this.#onCommit) listener(info);
        return;
      }
      await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
    }
    throw new Error(`gave up after ${MAX_RETRIES} conflicting commits`);
  }

  async #plan(groups: WriteGroup[], ctx: WriteContext) {
    const time = ctx.time ?? new Date().toISOString();
    const op = this.kv.atomic();
    const gpVersion = await this.#checkGpVersion(op, groups);
    const entries: ChangeEntry[] = [];
    let mutations = 0;
    let bytes = 0;
    for (const group of groups) {
      const groupEntries: ChangeEntry[] = [];
      const current = await this.#read(group.writes);
      for (const w of group.writes) {
        const key = keys.recordKey(w.kind, w.code);
        const found = current.get(keyId(key))!;
        op.check({ key, versionstamp: found.versionstamp });
        const before = found.value as Entities[Kind] | null;
        const proposed = w.update(before as never);
        if (proposed === undefined) continue;
        const next = proposed ? { ...proposed, updated_at: time } as Entities[Kind] : null;
        const changes = diffRecords(before, next);
        if (!before && !next) continue;
        if (before && next && changes.length === 0) continue;
        if (next) {
          op.set(key, next);
          bytes += JSON.stringify(next).length;
        } else {
          op.delete(key);
        }
        mutations++;
        mutations += indexChanges(op, w.kind, w.code, before, next);
        const entry: ChangeEntry = {
          id: "",
          entity: w.kind,
          code: w.code,
          op: !before ? "create" : !next ? "delete" : "update",
          changes,
          cause: ctx.cause,
          run_id: ctx.runId,
          time,
          last_change_date: w.lastChangeDate ?? null,
          ...odsNameField(changes, w.odsName),
        };
        const { id: _, ...stored } = entry;
        op.set(keys.logKey(w.kind, w.code, this.kv.commitVersionstamp()), stored);
        bytes += JSON.stringify(entry).length;
        mutations++;
        groupEntries.push(entry);
      }
      const extra = group.extra?.(groupEntries);
      for (const [k, v] of extra?.set ?? []) {
        op.set(k, v);
        bytes += JSON.stringify(v).length;
        mutations++;
      }
      for (const k of extra?.delete ?? []) {
        op.delete(k);
        mutations++;
      }
      for (const c of extra?.check ?? []) op.check(c);
      entries.push(...groupEntries);
    }
    if (mutations === 0) return null;
    for (const key of versionKeys(entries)) {
      op.set(key, time);
      mutations++;
    }
    const gpFrom = entries.some((e) => isGpKind(e.entity)) ? gpVersion : null;
    return { op, entries, mutations, bytes, gpFrom };
  }

  /**
   * For a commit that may write GP kinds, read the GP version it replaces before anything else
   * and check it in the commit (another process's commit of GP kinds meanwhile makes it
   * retry), so the practice cache can tell an unbroken chain of its own commits and update its
   * snapshot from their changes alone.
   */
  async #checkGpVersion(
    op: Deno.AtomicOperation,
    groups: readonly WriteGroup[],
  ): Promise<string | null> {
    if (!groups.some((g) => g.writes.some((w) => isGpKind(w.kind)))) return null;
    const held = await this.kv.get(keys.gpVersionKey);
    op.check(held);
    return held.versionstamp ?? "0";
  }

  async #read(writes: RecordWrite[]): Promise<Map<string, Deno.KvEntryMaybe<unknown>>> {
    const map = new Map<string, Deno.KvEntryMaybe<unknown>>();
    const ks = writes.map((w) => keys.recordKey(w.kind, w.code));
    for (let i = 0; i < ks.length; i += 10) {
      const got = await this.kv.getMany(ks.slice(i, i + 10));
      for (const e of got) map.set(keyId(e.key), e);
    }
    return map;
  }
}
