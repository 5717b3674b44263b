import { equal } from "node:assert/strict";
import { runOutcome } from "../../lib/sync/outcome.ts";

// Bug caught: the offline run that ended "No changes." — a failure read as empty.
Deno.test("a run with errors failed, even when ODS listed nothing", () => {
  equal(runOutcome({ kind: "incremental", linksSeen: 0, errors: ["ODS unreachable"] }), "failed");
});

// Bug caught: a failed record ignored because others applied.
Deno.test("a run with errors failed, even when records were applied", () => {
  equal(runOutcome({ kind: "incremental", linksSeen: 12, errors: ["RGT: HTTP 503"] }), "failed");
});

// Bug caught: an empty publication day counted as data (cursor moved past unpublished days).
Deno.test("an incremental run that ODS listed nothing for is empty", () => {
  equal(runOutcome({ kind: "incremental", linksSeen: 0, errors: [] }), "empty");
});

// Bug caught: a store tracking nothing never getting its first cursor.
Deno.test("a baseline with nothing to fetch succeeded", () => {
  equal(runOutcome({ kind: "baseline", linksSeen: 0, errors: [] }), "success");
});

Deno.test("an incremental run with listed changes and no errors succeeded", () => {
  equal(runOutcome({ kind: "incremental", linksSeen: 3, errors: [] }), "success");
});
