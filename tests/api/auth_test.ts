import { equal, ok } from "node:assert/strict";
import { constantTimeEqual, KeyChecker, presentedKey } from "../../lib/api/auth.ts";

const headers = (h: Record<string, string>) => ({
  header: (name: string) => new Headers(h).get(name) ?? undefined,
});

Deno.test("API keys: compared in constant time, byte for byte and length", () => {
  ok(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
  ok(!constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
  ok(!constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 2])));
});

Deno.test("API keys: presented in Ocp-Apim-Subscription-Key or as a Bearer token", () => {
  equal(presentedKey(headers({ "Ocp-Apim-Subscription-Key": " k1 " })), "k1");
  equal(presentedKey(headers({ Authorization: "Bearer k2" })), "k2");
  equal(presentedKey(headers({ Authorization: "Basic k2" })), null);
  equal(presentedKey(headers({})), null);
});

Deno.test("API keys: any configured key passes, anything else fails", async () => {
  const checker = new KeyChecker(["first-key-0000000000", "second-key-000000000"]);
  ok(checker.enabled);
  ok(await checker.check("second-key-000000000"));
  ok(!(await checker.check("second-key-000000001")));
  ok(!(await checker.check(null)));
});

Deno.test("API keys: with none configured the API is open", () => {
  ok(!new KeyChecker([]).enabled);
});
