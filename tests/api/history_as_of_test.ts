/**
 * `…/history/?as_of=`: the record as it was on the date and the changes committed up to that
 * UK day, consistent with what the detail route answers for the date.
 */
import { deepEqual, equal } from "node:assert/strict";
import { addDays, ukDate } from "../../lib/dates.ts";
import { recordWrite } from "../../lib/store.ts";
import { appFor, captureLogs, getJson, seededStore } from "./helpers.ts";

captureLogs();

const world = await seededStore();
globalThis.addEventListener("unload", () => {
  world.store.close();
  Deno.removeSync(world.path.replace(/\/[^/]+$/, ""), { recursive: true });
});
const today = ukDate(new Date());
const original = (await world.store.get("organisation", "RGT01"))!.name;
// A rename committed 30 days after the seed.
await world.store.write([{
  writes: [recordWrite("organisation", "RGT01", (o) => o ? { ...o, name: "RENAMED SITE" } : o)],
}], { cause: "sync", runId: "later", time: `${addDays(today, 30)}T12:00:00Z` });
const app = appFor(world.store);

interface History {
  record: { name: string } | null;
  changes: { run_id: string }[];
}

async function historyOn(date: string): Promise<History> {
  const res = await getJson(app, `/organisations/RGT01/history/?as_of=${date}`);
  equal(res.status, 200);
  equal(res.headers.get("x-as-of"), date);
  return res.body as History;
}

Deno.test("history as_of: the record is as the detail route answers it on the date", async () => {
  for (
    const [date, name] of [[addDays(today, 15), original], [addDays(today, 45), "RENAMED SITE"]]
  ) {
    const history = await historyOn(date);
    const detail = await getJson(app, `/organisations/RGT01/?as_of=${date}`);
    equal(history.record?.name, name, date);
    equal((detail.body as { name: string }).name, name, date);
  }
});

Deno.test("history as_of: only the changes committed by the date are listed", async () => {
  deepEqual((await historyOn(addDays(today, 15))).changes.map((c) => c.run_id), ["seed-test"]);
  deepEqual(
    (await historyOn(addDays(today, 45))).changes.map((c) => c.run_id),
    ["seed-test", "later"],
  );
});
