/** Both sources against an unreachable ODS (a real closed port on loopback). */
import { equal, ok, rejects } from "node:assert/strict";
import type { OdsConfig } from "../../lib/config.ts";
import { createOdsSource, OdsError } from "../../lib/ods/source.ts";
import { closedPort } from "./closed_port.ts";

function config(source: "ord" | "fhir"): OdsConfig {
  const origin = `http://127.0.0.1:${closedPort()}`;
  return {
    source,
    ordBaseUrl: `${origin}/ORD/2-0-0`,
    odtBaseUrl: `${origin}/fhir`,
    odtApiKey: "secret-key",
    rateLimit: 1000,
    concurrency: 4,
    timeoutMs: 2000,
    retries: 4,
    pageSize: 10,
    userAgent: "unreachable-test/1.0",
  };
}

const FAST = { backoffBaseMs: 1, backoffMaxMs: 2 };
const CODES = Array.from({ length: 200 }, (_, i) => `R${String(i).padStart(3, "0")}`);

for (const kind of ["ord", "fhir"] as const) {
  // Bug caught: the baseline returned one "network error" outcome per code (634 lines)
  // after retrying every one of them.
  Deno.test(`${kind}: fetchMany on an unreachable host throws one unreachable error`, async () => {
    const source = createOdsSource(config(kind), FAST);
    await rejects(source.fetchMany(CODES), (e: unknown) => {
      ok(e instanceof OdsError, String(e));
      equal(e.kind, "unreachable");
      ok(e.message.startsWith("cannot reach 127.0.0.1:"), e.message);
      return true;
    });
    ok(source.stats().requests <= 3 + 4, `${source.stats().requests} requests`);
  });

  // Bug caught: an unreachable change list reported as "unavailable" after every retry.
  Deno.test(`${kind}: changesSince on an unreachable host throws unreachable`, async () => {
    const source = createOdsSource(config(kind), FAST);
    await rejects(source.changesSince("2026-11-24", () => true), (e: unknown) => {
      ok(e instanceof OdsError, String(e));
      equal(e.kind, "unreachable");
      return true;
    });
    equal(source.stats().requests, 3);
  });
}
