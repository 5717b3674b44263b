/**
 * Prepared answers of queried routes (lib/api/answers.ts): one entry per normalised query,
 * least recently used dropped past the byte budget, emptied by a new data version, and the
 * repeated query answered from it exactly as when it was built.
 */
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { createApp } from "../../api.ts";
import { AnswerCache, type AnswerStats } from "../../lib/api/answers.ts";
import { captureLogs, patch, seededStore } from "./helpers.ts";

captureLogs();

const parts = (body: string) => ({ body, etag: `"${body.length}"`, route: "/x", asOf: null });

Deno.test("answers: past the budget the least recently used keys go first", () => {
  const cache = new AnswerCache({ budgetBytes: 3_100 });
  cache.forVersion("v1");
  const a = cache.file("a", parts("a".repeat(700)));
  cache.file("b", parts("b".repeat(700)));
  cache.lookup("a"); // a is now more recently used than b
  cache.file("c", parts("c".repeat(700)));
  cache.file("d", parts("d".repeat(700)));
  equal(cache.lookup("b"), undefined, "b, the least recently used, was dropped");
  equal(cache.lookup("a"), a);
  const stats = cache.stats();
  ok(stats.bytes <= stats.budget_bytes, `${stats.bytes} bytes held`);
  ok(stats.evictions >= 1);
});

Deno.test("answers: an answer stays while any of its keys does", () => {
  const cache = new AnswerCache({ budgetBytes: 1_500 });
  cache.forVersion("v1");
  const a = cache.file("canonical", parts("a".repeat(500)));
  cache.alias("/x?spelling=1", a);
  equal(cache.stats().entries, 1);
  cache.lookup("/x?spelling=1");
  cache.file("other", parts("o".repeat(300))); // pushes the canonical key out
  equal(cache.lookup("canonical"), undefined);
  equal(cache.lookup("/x?spelling=1"), a, "the alias still leads to the answer");
  equal(cache.stats().entries, 2);
});

Deno.test("answers: a new data version empties the cache", () => {
  const cache = new AnswerCache();
  cache.forVersion("v1");
  cache.file("a", parts("[]"));
  cache.forVersion("v1");
  ok(cache.lookup("a"), "the same version keeps it");
  cache.forVersion("v2");
  equal(cache.lookup("a"), undefined);
  deepEqual([cache.stats().entries, cache.stats().bytes], [0, 0]);
});

async function cacheStats(app: ReturnType<typeof createApp>): Promise<AnswerStats> {
  return (await (await app.request("/health")).json()).answer_cache;
}

Deno.test("answers: spellings of one query share one entry and one body", async () => {
  const s = await seededStore();
  try {
    const app = createApp({ store: s.store, config: { apiKeys: [], adminToken: null } });
    const spellings = [
      "/organisations/?active=true",
      "/organisations/?active=True",
      "/organisations/?active=1&unknown=x",
      "/organisations?active=false&active=true",
    ];
    const bodies = new Set<string>();
    for (const path of spellings) {
      const res = await app.request(path);
      equal(res.status, 200, path);
      bodies.add(await res.text());
    }
    equal(bodies.size, 1);
    const stats = await cacheStats(app);
    equal(stats.entries, 1, "one answer for four spellings");
    equal(stats.misses, 1, "built once");
  } finally {
    await s.close();
  }
});

Deno.test("answers: a repeated query after a write answers the new data", async () => {
  const s = await seededStore();
  try {
    const app = createApp({ store: s.store, config: { apiKeys: [], adminToken: null } });
    const path = "/organisations/?ods_code=RGT01&fields=ods_code,name";
    const before = await (await app.request(path)).json();
    const again = await app.request(path);
    const tag = again.headers.get("etag");
    await again.body?.cancel();
    await patch(s.store, "organisation", "RGT01", { name: "Renamed Hospital" });
    const after = await app.request(path);
    deepEqual(await after.json(), [{ ods_code: "RGT01", name: "Renamed Hospital" }]);
    notEqual(before[0].name, "Renamed Hospital");
    notEqual(after.headers.get("etag"), tag);
  } finally {
    await s.close();
  }
});

Deno.test("answers: a budget holds under a stream of distinct queries", async () => {
  const s = await seededStore();
  try {
    const budgetBytes = 200_000;
    const app = createApp({
      store: s.store,
      config: { apiKeys: [], adminToken: null },
      answerBudgetBytes: budgetBytes,
    });
    for (let i = 0; i < 300; i++) {
      const res = await app.request(`/organisations/?name=n${i}&active=${i % 2 ? "true" : "0"}`);
      await res.body?.cancel();
      if (i % 3 === 0) await (await app.request(`/organisations/?active=${i % 2}`)).body?.cancel();
    }
    const stats = await cacheStats(app);
    ok(stats.bytes <= budgetBytes, `${stats.bytes} bytes held`);
    ok(stats.evictions > 0);
  } finally {
    await s.close();
  }
});
