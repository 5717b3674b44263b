/**
 * Long lists built off the request thread (lib/api/off_thread.ts): the worker's answers are the
 * request thread's, byte for byte, and builds still complete after the worker is stopped.
 */
import { equal, ok } from "node:assert/strict";
import { createApp } from "../../api.ts";
import { listBody } from "../../lib/api/list_body.ts";
import { OffThread } from "../../lib/api/off_thread.ts";
import { SnapshotCache } from "../../lib/api/snapshot.ts";
import { captureLogs, seededStore } from "./helpers.ts";

captureLogs();

const queries = [
  { filters: [{ field: "active", value: true }], fields: null, ordering: null },
  { filters: [], fields: ["ods_code", "name"], ordering: null },
  { filters: [], fields: null, ordering: { field: "name", descending: true } },
];

Deno.test("off thread: the worker builds the same bodies as the request thread", async () => {
  const s = await seededStore();
  const off = new OffThread();
  try {
    const rows = (await new SnapshotCache(s.store).current()).view("organisations").rows;
    for (const q of queries) equal(await off.build(rows, q), listBody(rows, q));
    equal(off.workerBuilds, queries.length, "built by the worker");
  } finally {
    off.close();
    await s.close();
  }
});

Deno.test("off thread: a worker over its CPU share rests between builds, and answers the same", async () => {
  const s = await seededStore();
  const limited = new OffThread({ cpuShare: 0.05, burstMs: 0 });
  const free = new OffThread();
  try {
    const rows = (await new SnapshotCache(s.store).current()).view("organisations").rows;
    for (const q of queries) equal(await limited.build(rows, q), listBody(rows, q));
    for (const q of queries) await free.build(rows, q);
    ok(limited.restedMs > 0, "rested after its first build");
    equal(free.restedMs, 0, "a worker without a share never rests");
  } finally {
    limited.close();
    free.close();
    await s.close();
  }
});

Deno.test("off thread: once stopped, builds are made on the request thread", async () => {
  const s = await seededStore();
  const off = new OffThread();
  try {
    const rows = (await new SnapshotCache(s.store).current()).view("organisations").rows;
    const waiting = off.build(rows, queries[0]);
    off.close();
    equal(await waiting, listBody(rows, queries[0]));
    equal(await off.build(rows, queries[1]), listBody(rows, queries[1]));
  } finally {
    await s.close();
  }
});

Deno.test("off thread: the API answers a long filtered list through it as without it", async () => {
  const s = await seededStore();
  const off = new OffThread();
  try {
    const config = { apiKeys: [], adminToken: null };
    const withWorker = createApp({ store: s.store, config, offThread: off });
    const without = createApp({ store: s.store, config });
    for (const path of ["/organisations/?active=true", "/organisations/?fields=name"]) {
      const a = await withWorker.request(path);
      const b = await without.request(path);
      equal(await a.text(), await b.text(), path);
      equal(a.headers.get("etag"), b.headers.get("etag"), path);
    }
  } finally {
    off.close();
    await s.close();
  }
});
