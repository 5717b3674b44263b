/**
 * The prepared copy of the practice cache in KV (lib/api/practice_copy.ts), over a store synced
 * from the simulator (300 generated practices, one renamed in Welsh, one deleted by ODS): read
 * back it serves what a build from the records serves; it is used only for the GP version it
 * was written for, never written for a version that has moved, refused when its parts are
 * mixed, and a restarted process reads it instead of the records.
 */
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import * as keys from "../../lib/keys.ts";
import { PracticeCache } from "../../lib/api/practice_cache.ts";
import { copyStored, loadPracticeCopy, writePracticeCopy } from "../../lib/api/practice_copy.ts";
import { loadPracticeSnapshot, type PracticeSnapshot } from "../../lib/api/practice_snapshot.ts";
import type { GeneralPractice } from "../../lib/model.ts";
import { runSync } from "../../lib/sync/run.ts";
import { at, syncWorld } from "../sync/helpers.ts";
import { captureLogs, patch } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const w = await syncWorld(TUESDAY, { gpPractices: 300 });
await runSync({ store: w.store, source: w.source("ord"), now: at(TUESDAY), gpPractices: true });
const store = w.store;
const logs = captureLogs();
const codes = (await store.list("general_practice")).map((p) => p.ods_code);
await patch(store, "general_practice", codes[1], { name: "MEDDYGFA\u2019R BONT, Y FELINHELI" });
await patch(store, "general_practice", codes[2], { ods_deleted: "2026-11-20" } as GeneralPractice);

/** What a snapshot serves: the list, each practice's item, JSON and relations, the deleted. */
function served(snap: PracticeSnapshot) {
  const row = (r: PracticeSnapshot["rows"][number]) => [r.item, r.json, r.relations, r.deleted];
  return { list: snap.list().json, rows: snap.rows.map(row), deleted: snap.deletedRows.map(row) };
}

/** Break part `n` of the stored copy: another version's tag, or bytes that are not JSON. */
async function breakPart(n: number, how: "tag" | "bytes"): Promise<void> {
  const key = keys.practiceCopyPartKey(n);
  const part = (await store.kv.get<{ version: string; bytes: Uint8Array }>(key)).value;
  ok(part, `the copy of 300 practices has a part ${n}`);
  await store.kv.set(
    key,
    how === "tag" ? { ...part, version: "0" } : { ...part, bytes: part.bytes.map(() => 0x7b) },
  );
}

/** A practice renamed by a commit: the GP version moves. */
async function moveVersion(): Promise<void> {
  await patch(store, "general_practice", codes[0], { name: `SURGERY ${crypto.randomUUID()}` });
}

Deno.test("a snapshot read from the stored copy serves what one built from the records serves", async () => {
  const version = await store.gpVersion();
  const built = await loadPracticeSnapshot(store, version);
  equal(built.deletedRows.length, 1, "the world holds a deleted practice");
  equal(await writePracticeCopy(store, built), true);
  const copied = await loadPracticeCopy(store, version);
  ok(copied);
  deepEqual(served(copied), served(built));
});

Deno.test("a copy is not read for a later GP version", async () => {
  const built = await loadPracticeSnapshot(store, await store.gpVersion());
  await writePracticeCopy(store, built);
  await moveVersion();
  equal(await loadPracticeCopy(store, await store.gpVersion()), null);
});

Deno.test("no copy is stored for a snapshot whose GP version has moved since", async () => {
  const built = await loadPracticeSnapshot(store, await store.gpVersion());
  await moveVersion();
  equal(await writePracticeCopy(store, built), false);
  const head = await store.kv.get<{ version: string }>(keys.practiceCopyHeadKey);
  notEqual(head.value?.version, built.version);
});

Deno.test("a copy with a part written for another version is not read", async () => {
  const version = await store.gpVersion();
  await writePracticeCopy(store, await loadPracticeSnapshot(store, version));
  await breakPart(1, "tag");
  equal(await loadPracticeCopy(store, version), null);
});

Deno.test("a restarted process builds its practice cache from the stored copy", async () => {
  await store.kv.delete(keys.practiceCopyHeadKey);
  let now = 0;
  const first = new PracticeCache(store, { maxAgeMs: 1000, clock: () => now });
  const snap = await first.current();
  now = 1500;
  await first.current(); // the version confirmed a second time: the copy is stored
  await first.idle;
  equal(await copyStored(store, snap.version), true);
  const restarted = new PracticeCache(store);
  deepEqual(served(await restarted.current()), served(snap));
  equal(restarted.fromCopies, 1);
  const built = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "practice cache built");
  deepEqual(built.at(-1)?.from, "stored copy", "the operator's log says where it came from");
});

Deno.test("a practice cache whose first build finds an unreadable copy lists the records", async () => {
  const version = await store.gpVersion();
  const built = await loadPracticeSnapshot(store, version);
  await writePracticeCopy(store, built);
  await breakPart(0, "bytes");
  const cache = new PracticeCache(store);
  deepEqual(served(await cache.current()), served(built));
  equal(cache.fromCopies, 0);
});

Deno.test("a stored copy with a mixed part is written again when its version is confirmed", async () => {
  const version = await store.gpVersion();
  await writePracticeCopy(store, await loadPracticeSnapshot(store, version));
  await breakPart(1, "tag"); // as two processes writing different versions at once leave it
  let now = 0;
  const cache = new PracticeCache(store, { maxAgeMs: 1000, clock: () => now });
  await cache.current();
  now = 1500;
  await cache.current();
  await cache.idle;
  equal(await copyStored(store, version), true);
});
