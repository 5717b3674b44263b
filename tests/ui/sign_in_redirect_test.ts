import { equal, ok } from "node:assert/strict";
import { appFor, captureLogs, tempStore } from "../api/helpers.ts";

captureLogs();

Deno.test("sign-in redirect: a huge URL is not copied into the Location header", async () => {
  const kv = await tempStore();
  try {
    const app = appFor(kv.store, ["a-read-key-0123456789"]);
    const res = await app.request(`/ui/sync?q=${"x".repeat(60_000)}`);
    await res.body?.cancel();
    equal(res.status, 303);
    const location = res.headers.get("location") ?? "";
    ok(location.length < 200, `Location is ${location.length} characters`);
    ok(location.endsWith("ui/login?next=%2F"), location);
  } finally {
    await kv.close();
  }
});

Deno.test("sign-in redirect: an ordinary page comes back after signing in", async () => {
  const kv = await tempStore();
  try {
    const app = appFor(kv.store, ["a-read-key-0123456789"]);
    const res = await app.request("/ui/organisations?q=RGT");
    await res.body?.cancel();
    ok(
      (res.headers.get("location") ?? "").endsWith("ui/login?next=%2Fui%2Forganisations%3Fq%3DRGT"),
    );
  } finally {
    await kv.close();
  }
});
