import { equal, ok } from "node:assert/strict";
import { issueSession, safeNext, SESSION_SECONDS, verifySession } from "../../lib/ui/auth.ts";

const KEY = "ui-test-key-0123456789";

const OTHER = "ui-other-key-0123456789";

const T0 = new Date("2026-11-26T09:30:00Z");

const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

Deno.test("session: a token verifies under its key until it expires, and holds no key", async () => {
  const token = await issueSession(KEY, T0);
  ok(!token.includes(KEY) && !token.includes(btoa(KEY)));
  ok(/^v1\.\d+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/.test(token), token);
  ok(await verifySession(token, [KEY], T0));
  ok(await verifySession(token, [OTHER, KEY], later(SESSION_SECONDS - 1)), "any configured key");
  ok(!(await verifySession(token, [KEY], later(SESSION_SECONDS))), "expired");
  ok(!(await verifySession(token, [OTHER], T0)), "the key was removed from API_KEYS");
  ok(!(await verifySession(token, [], T0)));
  ok(await issueSession(KEY, T0) !== token, "each token is unique");
});

Deno.test("session: tampered, forged or malformed tokens are refused", async () => {
  const token = await issueSession(KEY, T0);
  const [v, expiry, nonce, mac] = token.split(".");
  const longer = `${v}.${Number(expiry) + 3600}.${nonce}.${mac}`;
  ok(!(await verifySession(longer, [KEY], T0)), "expiry moved");
  const flipped = (mac.startsWith("A") ? "B" : "A") + mac.slice(1);
  ok(!(await verifySession(`${v}.${expiry}.${nonce}.${flipped}`, [KEY], T0)), "MAC changed");
  const farFuture = await issueSession(KEY, T0, SESSION_SECONDS * 10);
  ok(!(await verifySession(farFuture, [KEY], T0)), "a lifetime longer than allowed");
  for (const bad of ["", "v1", KEY, `v2.${expiry}.${nonce}.${mac}`, `${token}x`, "x".repeat(500)]) {
    ok(!(await verifySession(bad, [KEY], T0)), bad);
  }
  ok(!(await verifySession(null, [KEY], T0)));
});

Deno.test("session: a MAC spelt with its unused final bits set is refused", async () => {
  const token = await issueSession(KEY, T0);
  const [v, expiry, nonce, mac] = token.split(".");
  // 43 characters carry 258 bits for a 256-bit MAC: the last one's two low bits are unused.
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = alphabet.indexOf(mac.at(-1)!);
  for (let spare = 1; spare < 4; spare++) {
    const variant = mac.slice(0, -1) + alphabet[(last & ~3) | spare ^ (last & 3)];
    ok(!(await verifySession(`${v}.${expiry}.${nonce}.${variant}`, [KEY], T0)), variant);
  }
});

Deno.test("session: only local paths are followed after signing in", () => {
  equal(safeNext("/ui/sync"), "/ui/sync");
  equal(safeNext("/ui/organisations?q=a%20b&icb=QUE"), "/ui/organisations?q=a%20b&icb=QUE");
  for (
    const bad of [
      null,
      "",
      "//evil.example/",
      "/\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "ui/sync",
      "/ui\nLocation: x",
      "/" + "a".repeat(3000),
    ]
  ) {
    equal(safeNext(bad), "/", String(bad));
  }
});
