import { equal } from "node:assert/strict";
import { formatAge, formatDay, formatInstant, formatValue } from "../../lib/ui/format.ts";

const T0 = new Date("2026-11-26T09:30:00Z");

Deno.test("format: UK times and dates, ages and values", () => {
  equal(formatInstant("2026-11-25T06:00:00.000Z"), "Wed, 25 Nov 2026, 06:00");
  equal(formatInstant("2026-07-01T06:00:00.000Z"), "Wed, 1 Jul 2026, 07:00", "BST");
  equal(formatInstant(null), "—");
  equal(formatDay("2026-11-24"), "24 Nov 2026");
  equal(formatDay("soon"), "soon");
  equal(formatAge("2026-11-26T08:00:00Z", T0), "1 hour ago");
  equal(formatAge("2026-11-26T09:29:30Z", T0), "just now");
  equal(formatAge("2026-11-20T09:30:00Z", T0), "6 days ago");
  equal(formatAge(null, T0), "never");
  equal(formatValue(null), "");
  equal(formatValue("x"), "x");
  equal(formatValue(["RVV02"]), '["RVV02"]');
  equal(formatValue(false), "false");
});
