/**
 * A prepared copy of the practice cache in KV, so that a process starting on a store of some
 * 15,000 practices reads a few large values and parses one text instead of listing and
 * building every practice record (the difference between about 100 ms and 500 ms).
 *
 * The copy describes exactly one GP version. Its parts (`keys.practiceCopyPartKey`, 60,000 bytes
 * each, every one tagged with that version) are written first, in a few atomic commits; its head
 * (`keys.practiceCopyHeadKey`: version, parts, bytes) last, in a commit checked against the GP
 * version key, so a head only ever names the version that was current when it was written, and
 * a snapshot labelled with a version that had already moved (a commit landed while it was built)
 * never gets one. A reader uses the copy only when the head names the version it read, every
 * part carries that version and the sizes add up; otherwise (no copy yet, a newer version, two
 * writers' parts interleaved, a half-written copy) it lists the records as before.
 *
 * @module
 */
import * as keys from "../keys.ts";
import type { Store } from "../store.ts";
import { asciiJson } from "./http.ts";
import {
  interned,
  loadPracticeSnapshot,
  type Material,
  type PracticeSnapshot,
  snapshotOfMaterials,
} from "./practice_snapshot.ts";

/** The copy's layout; a head of another format is not read. */
const FORMAT = 1;
/** Bytes in one part (KV values hold at most 64 KiB). */
const PART_BYTES = 60_000;
/** Parts written in one atomic commit (within KV's 800 KB a commit). */
const PARTS_PER_COMMIT = 10;

/** The head of a stored copy. */
export interface CopyHead {
  format: number;
  version: string;
  parts: number;
  bytes: number;
}

/** One stored part: its share of the copy's bytes and the version they describe. */
interface CopyPart {
  version: string;
  bytes: Uint8Array;
}

/** The header line of the copy's text: what the list's JSON doesn't say. */
interface CopyHeader {
  /** The length of each live practice's JSON in the list, in list order. */
  lengths: number[];
  /** Each live practice's dated relationships (`practiceRelations`), in list order. */
  relations: string[];
  /** The practices ODS deleted, in code order: their JSON, relations and deletion date. */
  deleted: [json: string, relations: string, date: string][];
}

/**
 * The copy's text: a header line (JSON) and then the whole list's JSON. ASCII only.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { loadPracticeSnapshot } from "./practice_snapshot.ts";
 * import { copyText } from "./practice_copy.ts";
 *
 * const store = await Store.open(":memory:");
 * const snap = await loadPracticeSnapshot(store, "0");
 * copyText(snap); // '{"lengths":[],"relations":[],"deleted":[]}\n[]'
 * store.close();
 * ```
 */
export function copyText(snap: PracticeSnapshot): string {
  const header: CopyHeader = {
    lengths: snap.rows.map((r) => r.json.length),
    relations: snap.rows.map((r) => r.relations),
    deleted: snap.deletedRows.map((r) => [asciiJson(r.item), r.relations, r.deleted ?? ""]),
  };
  return `${asciiJson(header)}\n${snap.list().json}`;
}

/**
 * The row materials of a copy's text, in code order, their repeated values held once in `seen`;
 * throws when the text is not a whole copy.
 */
export function materialsOfCopy(text: string, seen: Map<string, string>): Material[] {
  const newline = text.indexOf("\n");
  const header = JSON.parse(text.slice(0, newline)) as CopyHeader;
  const list = text.slice(newline + 1);
  const items = JSON.parse(list) as Material["item"][];
  const { lengths, relations } = header;
  if (items.length !== lengths.length || items.length !== relations.length) {
    throw new Error("the practice copy's header and list disagree");
  }
  let at = 1;
  const live = items.map((item, i): Material => {
    const json = list.slice(at, at + lengths[i]);
    at += lengths[i] + 1;
    return { item: interned(item, seen), relations: relations[i], json };
  });
  if ((items.length ? at : at + 1) !== list.length) {
    throw new Error("the practice copy's lengths don't add up");
  }
  const deleted = header.deleted.map(([json, rel, date]): Material => ({
    item: interned(JSON.parse(json), seen),
    relations: rel,
    deleted: date,
  }));
  return mergeByCode(live, deleted);
}

/** `a` and `b` (each in code order) as one list in code order. */
function mergeByCode(a: Material[], b: Material[]): Material[] {
  if (b.length === 0) return a;
  return [...a, ...b].sort((x, y) => x.item.ods_code < y.item.ods_code ? -1 : 1);
}

/**
 * The snapshot of GP version `version` from the copy stored in KV, or `null` when there is no
 * whole copy of that version (then the records are listed instead).
 */
export async function loadPracticeCopy(
  store: Store,
  version: string,
): Promise<PracticeSnapshot | null> {
  const text = await readCopy(store, version);
  if (text === null) return null;
  const seen = new Map<string, string>();
  return await snapshotOfMaterials(store, version, materialsOfCopy(text, seen), seen);
}

/** The text of the stored copy of `version`, or `null` when there is no whole one. */
async function readCopy(store: Store, version: string): Promise<string | null> {
  const head = (await store.kv.get<CopyHead>(keys.practiceCopyHeadKey)).value;
  if (!head || head.format !== FORMAT || head.version !== version) return null;
  const parts: Uint8Array[] = [];
  const listed = store.kv.list<CopyPart>(
    { prefix: keys.practiceCopyPartPrefix },
    { limit: head.parts, batchSize: Math.min(head.parts, 1000) },
  );
  for await (const e of listed) {
    if (e.key.at(-1) !== parts.length || e.value.version !== version) return null;
    parts.push(e.value.bytes);
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  if (parts.length !== head.parts || bytes.length !== head.bytes) return null;
  let at = 0;
  for (const p of parts) bytes.set(p, at), at += p.length;
  return new TextDecoder().decode(bytes);
}

/**
 * Store the copy of `snap` (whose version must be the GP version in KV): its parts, then its head
 * in a commit checked against the GP version. Resolves `false` when the version had moved (the
 * copy would describe a version no longer current: no head is written).
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { loadPracticeSnapshot } from "./practice_snapshot.ts";
 * import { loadPracticeCopy, writePracticeCopy } from "./practice_copy.ts";
 *
 * const store = await Store.open(":memory:");
 * const version = await store.gpVersion();
 * await writePracticeCopy(store, await loadPracticeSnapshot(store, version)); // true
 * (await loadPracticeCopy(store, version))?.rows.length; // 0
 * store.close();
 * ```
 */
export async function writePracticeCopy(store: Store, snap: PracticeSnapshot): Promise<boolean> {
  // ASCII text: a character is a byte, so each part is encoded on its own (no 8 MB encoding in
  // one turn of the event loop).
  const text = copyText(snap);
  const parts = Math.ceil(text.length / PART_BYTES);
  const encoder = new TextEncoder();
  for (let first = 0; first < parts; first += PARTS_PER_COMMIT) {
    const op = store.kv.atomic();
    for (let n = first; n < Math.min(parts, first + PARTS_PER_COMMIT); n++) {
      const bytes = encoder.encode(text.slice(n * PART_BYTES, (n + 1) * PART_BYTES));
      op.set(keys.practiceCopyPartKey(n), { version: snap.version, bytes });
    }
    await op.commit();
  }
  const head: CopyHead = { format: FORMAT, version: snap.version, parts, bytes: text.length };
  const versionstamp = snap.version === "0" ? null : snap.version;
  const done = await store.kv.atomic()
    .check({ key: keys.gpVersionKey, versionstamp })
    .set(keys.practiceCopyHeadKey, head)
    .commit();
  if (!done.ok) return false;
  await dropPartsFrom(store, parts);
  return true;
}

/** Delete the parts numbered `from` on (left by a longer copy before). */
async function dropPartsFrom(store: Store, from: number): Promise<void> {
  const start = keys.practiceCopyPartKey(from);
  for await (const e of store.kv.list({ prefix: keys.practiceCopyPartPrefix, start })) {
    await store.kv.delete(e.key);
  }
}

/** Whether a whole copy of GP version `version` is stored (its head and every part). */
export async function copyStored(store: Store, version: string): Promise<boolean> {
  return await readCopy(store, version) !== null;
}

/**
 * Make sure the store holds a copy of its current GP version: build the practices from the
 * records and store their copy unless a whole one is there. For `deno task sync`, after a run
 * that changed practices, so that the service started next reads the copy. Resolves whether a
 * copy of the current version is stored now.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { storePracticeCopy } from "./practice_copy.ts";
 *
 * const store = await Store.open(":memory:");
 * await storePracticeCopy(store); // true
 * store.close();
 * ```
 */
export async function storePracticeCopy(store: Store): Promise<boolean> {
  const version = await store.gpVersion();
  if (await copyStored(store, version)) return true;
  return await writePracticeCopy(store, await loadPracticeSnapshot(store, version));
}
