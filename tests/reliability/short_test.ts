/**
 * The reliability suite, CI-sized (`deno task reliability` runs the full one): 3 SIGKILL points
 * of a large sync, the fault matrix (a spread of single faults and every combination), 1,000
 * seeded bad requests, and one round of merges racing a sync. Seeded throughout.
 */
import { ok } from "node:assert/strict";
import { StoreTemplate } from "../../testing/world.ts";
import { badInput } from "../../reliability/bad_input.ts";
import type { PartResult } from "../../reliability/common.ts";
import { concurrency } from "../../reliability/concurrency.ts";
import { crashSafety } from "../../reliability/crash.ts";
import { faultMatrix } from "../../reliability/faults.ts";
import { HOSTILE_SIZES, hostileClients } from "../../reliability/hostile.ts";

function assertPassed(r: PartResult): void {
  const failed = r.checks.filter((c) => !c.ok);
  ok(failed.length === 0, failed.map((c) => `${c.name}: ${c.detail}`).join("\n"));
}

Deno.test("reliability (short): crash safety, faults, bad input, concurrency", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "reliability-short-" });
  const template = new StoreTemplate(dir);
  try {
    await t.step(
      "SIGKILL at 3 points of a large sync: invariants hold, the next run converges",
      async () => assertPassed(await crashSafety({ points: 3, untracked: 3000, seed: 7 })),
    );
    await t.step(
      "fault matrix: outcome, cursor and alert state as the guidance says",
      async () => assertPassed(await faultMatrix(false)),
    );
    await t.step(
      "1,000 bad requests: no 5xx, every error a JSON body",
      async () => assertPassed(await badInput(template, 1000)),
    );
    await t.step(
      "hostile clients: idle and slow connections, descriptor exhaustion, cut bodies, bad store",
      async () => assertPassed(await hostileClients(template, HOSTILE_SIZES.short)),
    );
    await t.step(
      "merges during a sync lose no update",
      async () => assertPassed(await concurrency(template, 1)),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
