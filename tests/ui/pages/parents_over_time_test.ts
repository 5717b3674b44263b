/**
 * The organisation page's "Parents over time": the dated parents ODS gives a synced site, as
 * stored from the simulator's records.
 */
import { ok } from "node:assert/strict";
import { runSync } from "../../../lib/sync/run.ts";
import { appFor } from "../../api/helpers.ts";
import { at, syncWorld } from "../../sync/helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";

Deno.test("the organisation page lists its dated ODS parents with their first day", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await runSync({ store: w.store, source: w.source(), now: at(TUESDAY) });
    const re6 = (await w.store.get("organisation", "RGT01"))?.ods_facts?.relationships
      .find((r) => r.id === "RE6");
    ok(re6?.operational.start, "the synced site has a dated RE6");
    const html = await (await appFor(w.store).request("/ui/organisations/RGT01")).text();
    const section = html.slice(html.indexOf("Parents over time"));
    ok(section.includes(`>${re6.operational.start}<`), "its first day");
    ok(section.includes(`>${re6.target}<`), "its parent");
    ok(section.includes(">operated by<"));
  } finally {
    await w.close();
  }
});
