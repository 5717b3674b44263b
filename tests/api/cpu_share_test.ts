/**
 * The CPU share of background work (lib/api/cpu_share.ts), on a fake clock: a burst runs at
 * once, sustained work gets its share of the time, and the rest it is told makes up the rest.
 */
import { equal, ok, throws } from "node:assert/strict";
import { CpuShare } from "../../lib/api/cpu_share.ts";

function clock() {
  const c = { now: 0, read: () => c.now };
  return c;
}

Deno.test("cpu share: work within the burst never rests", () => {
  const c = clock();
  const share = new CpuShare({ share: 0.25, burstMs: 100 }, c.read);
  for (let i = 0; i < 10; i++) {
    equal(share.restBefore(), 0);
    share.spent(10);
  }
  equal(share.restBefore(), 0, "exactly the burst spent");
});

Deno.test("cpu share: work over the burst rests until the share has earned it back", () => {
  const c = clock();
  const share = new CpuShare({ share: 0.25, burstMs: 100 }, c.read);
  share.spent(110);
  equal(share.restBefore(), 40, "10 ms over at a quarter of a core: 40 ms");
  c.now += 20;
  equal(share.restBefore(), 20, "half of that rested already");
  c.now += 20;
  equal(share.restBefore(), 0);
});

Deno.test("cpu share: sustained work resting as told gets its share of the time", () => {
  const c = clock();
  const share = new CpuShare({ share: 0.25, burstMs: 50 }, c.read);
  let worked = 0;
  while (c.now < 10_000) {
    c.now += share.restBefore();
    c.now += 5;
    share.spent(5);
    worked += 5;
  }
  const duty = (worked - 50) / c.now;
  ok(Math.abs(duty - 0.25) < 0.01, `duty ${duty}`);
});

Deno.test("cpu share: after a quiet spell the burst is whole again, and no more", () => {
  const c = clock();
  const share = new CpuShare({ share: 0.5, burstMs: 100 }, c.read);
  share.spent(100);
  c.now += 10_000;
  share.spent(100);
  equal(share.restBefore(), 0);
  share.spent(1);
  equal(share.restBefore(), 2, "the quiet spell did not save up more than the burst");
});

Deno.test("cpu share: a share of the whole core never rests, and a share outside (0, 1] is refused", () => {
  const share = new CpuShare({ share: 1, burstMs: 0 }, () => 0);
  share.spent(1_000);
  equal(share.restBefore(), 0);
  for (const bad of [0, -0.5, 1.5, NaN]) {
    throws(() => new CpuShare({ share: bad, burstMs: 10 }), RangeError, String(bad));
  }
});
