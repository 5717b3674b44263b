/**
 * The GP practices' read cache (lib/api/practice_cache.ts) over a real KV file: built on first
 * use, rebuilt by practice commits only, and answering from the previous snapshot while a
 * rebuild runs.
 */
import { deepEqual, equal, notEqual } from "node:assert/strict";
import { PracticeCache } from "../../lib/api/practice_cache.ts";
import { loadPracticeSnapshot, type PracticeSnapshot } from "../../lib/api/practice_snapshot.ts";
import { Store } from "../../lib/store.ts";
import type { GeneralPractice } from "../../lib/model.ts";
import { put, seededStore } from "./helpers.ts";

function practice(code: string, name: string): GeneralPractice {
  return {
    ods_code: code,
    name,
    address_line_1: null,
    address_line_2: null,
    address_line_3: null,
    town: "UCKFIELD",
    county: null,
    postcode: "TN22 1AB",
    country: "ENGLAND",
    telephone: null,
    active: true,
    operational_start: "2020-04-01",
    operational_end: null,
    last_change_date: "2024-01-01",
    commissioner_code: "97R",
    local_health_board_code: null,
    integrated_care_board_code: null,
    nhs_england_region_code: null,
    primary_care_network_code: null,
    ods_facts: { roles: [], relationships: [], successions: [] },
    source: "ods",
    updated_at: "",
  };
}

Deno.test("the practice cache is rebuilt by practice commits, not by other kinds'", async () => {
  const s = await seededStore();
  try {
    const cache = new PracticeCache(s.store, { maxAgeMs: 60_000 });
    await put(s.store, "general_practice", "Y99001", practice("Y99001", "FIRST SURGERY"));
    equal((await cache.current()).rows.length, 1);
    equal(cache.builds, 1);
    const trust = (await s.store.get("trust", "RGT"))!;
    await put(s.store, "trust", "RGT", { ...trust, telephone: "01223 000000" });
    await cache.current();
    equal(cache.builds, 1, "an organisation commit leaves the practices as they are");
    await put(s.store, "general_practice", "Y99002", practice("Y99002", "SECOND SURGERY"));
    equal((await cache.current()).rows.length, 2, "this process's own write shows at once");
    equal(cache.builds, 2);
  } finally {
    await s.close();
  }
});

Deno.test("while a rebuild runs, requests get the previous practices without waiting", async () => {
  const s = await seededStore();
  try {
    const cache = new PracticeCache(s.store, { maxAgeMs: 60_000 });
    await put(s.store, "general_practice", "Y99001", practice("Y99001", "FIRST SURGERY"));
    const before = await cache.current();
    await put(s.store, "general_practice", "Y99001", practice("Y99001", "RENAMED SURGERY"));
    const rebuilding = cache.current(); // finds the change: builds, and waits for it
    const meanwhile = await cache.current();
    equal(meanwhile, before);
    const after = await rebuilding;
    notEqual(after.version, before.version);
    equal(after.byCode.get("Y99001")?.item.name, "RENAMED SURGERY");
    equal(await cache.current(), after);
  } finally {
    await s.close();
  }
});

/** What a snapshot serves: the list, every practice's JSON, the deleted ones. */
function served(snap: PracticeSnapshot) {
  return {
    list: snap.list().json,
    rows: snap.rows.map((r) => [r.item.ods_code, r.json]),
    deleted: snap.deletedRows.map((r) => [r.item.ods_code, r.deleted]),
  };
}

Deno.test("after this process's own practice commits, a build reads only what they changed", async () => {
  const s = await seededStore();
  try {
    const cache = new PracticeCache(s.store, { maxAgeMs: 60_000 });
    for (const code of ["Y99001", "Y99003", "Y99005"]) {
      await put(s.store, "general_practice", code, practice(code, `SURGERY ${code}`));
    }
    await cache.current();
    await put(s.store, "general_practice", "Y99003", practice("Y99003", "RENAMED SURGERY"));
    await put(s.store, "general_practice", "Y99002", practice("Y99002", "NEW SURGERY"));
    await put(s.store, "general_practice", "Y99005", {
      ...practice("Y99005", "SURGERY Y99005"),
      ods_deleted: "2026-11-24",
    });
    const updated = await cache.current();
    equal(cache.updates, 1, "an update, not a full read");
    const full = await loadPracticeSnapshot(s.store, updated.version);
    deepEqual(served(updated), served(full));
    deepEqual(updated.rows.map((r) => r.item.ods_code), ["Y99001", "Y99002", "Y99003"]);
  } finally {
    await s.close();
  }
});

Deno.test("a practice commit by another process makes the next build read every practice", async () => {
  const s = await seededStore();
  const other = await Store.open(s.path);
  try {
    const cache = new PracticeCache(s.store, { maxAgeMs: 60_000 });
    await put(s.store, "general_practice", "Y99001", practice("Y99001", "FIRST SURGERY"));
    await cache.current();
    await put(other, "general_practice", "Y99009", practice("Y99009", "ELSEWHERE SURGERY"));
    await put(s.store, "general_practice", "Y99001", practice("Y99001", "RENAMED SURGERY"));
    const after = await cache.current();
    equal(after.byCode.get("Y99009")?.item.name, "ELSEWHERE SURGERY", "the other's write is in");
    equal(after.byCode.get("Y99001")?.item.name, "RENAMED SURGERY");
    equal(cache.updates, 0, "the chain of this process's commits was broken");
  } finally {
    other.close();
    await s.close();
  }
});

Deno.test("under steady requests the practice cache confirms its version ahead of its age", async () => {
  const s = await seededStore();
  try {
    let now = 0;
    const cache = new PracticeCache(s.store, { maxAgeMs: 1000, clock: () => now });
    await put(s.store, "general_practice", "Y99001", practice("Y99001", "FIRST SURGERY"));
    const snap = await cache.current();
    now = 600; // past half its age: answered, and confirmed again meanwhile
    equal(cache.peek(), snap);
    await cache.idle;
    now = 1100; // past its age since the first read, not since the second
    equal(cache.peek(), snap, "still answered without a KV read");
  } finally {
    await s.close();
  }
});
