/**
 * FHIR at parity with ORD: the same ODS changes, read through each source into its own store
 * (seeded alike), leave the same records, field by field, apart from the fields only ORD carries
 * (documented in docs/sync.md, "FHIR parity").
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { OdsFacts } from "../../lib/model.ts";
import { ODS_KINDS } from "../../lib/ods/entities.ts";
import { seedStore } from "../../lib/seed.ts";
import { Store } from "../../lib/store.ts";
import { runSync } from "../../lib/sync/run.ts";
import { applyDemoChanges } from "../../testing/ods_sim/seeded.ts";
import { at, syncWorld } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";

/**
 * What only ORD gives: the legal date and target role of a succession (the FHIR CodeSystem's
 * `successor`/`predecessor` properties name the other record and nothing else).
 */
function withoutOrdOnly(record: Record<string, unknown>): Record<string, unknown> {
  const { updated_at: _, ...rest } = record;
  const facts = rest.ods_facts as OdsFacts | undefined;
  if (!facts) return rest;
  return {
    ...rest,
    ods_facts: {
      ...facts,
      successions: facts.successions.map((s) => ({ type: s.type, target: s.target })),
    },
  };
}

Deno.test("the same ODS changes through ORD and through FHIR leave the same store", async (t) => {
  const w = await syncWorld(TUESDAY);
  const fhirStore = await Store.open(`${w.dir}/fhir.sqlite`);
  try {
    await seedStore(fhirStore, w.seed, { time: "2024-10-01T00:00:00.000Z" });
    const both = async (now: string) => {
      const ord = await runSync({ store: w.store, source: w.source("ord"), now: at(now) });
      const fhir = await runSync({ store: fhirStore, source: w.source("fhir"), now: at(now) });
      equal(ord.run.outcome, "success", ord.run.errors.join("; "));
      equal(fhir.run.outcome, "success", fhir.run.errors.join("; "));
    };
    await both(TUESDAY);
    const demo = applyDemoChanges(w.sim, w.seed, "2026-11-24");
    w.sim.dataset.setIcb("RGT", "QKS", "2026-11-24", {
      effective: "2027-04-01",
      activeInAdvance: true,
    });
    w.sim.dataset.delete("RGT01", "2026-11-24");
    w.sim.clock.set(WEDNESDAY);
    await both(WEDNESDAY);

    await t.step("every ODS-backed record is the same, field by field", async () => {
      let compared = 0;
      for (const kind of ODS_KINDS) {
        const ord = await w.store.list(kind);
        const fhir = await fhirStore.list(kind);
        equal(fhir.length, ord.length, kind);
        for (let i = 0; i < ord.length; i++) {
          const a = withoutOrdOnly(ord[i] as unknown as Record<string, unknown>);
          const b = withoutOrdOnly(fhir[i] as unknown as Record<string, unknown>);
          const differ = Object.keys({ ...a, ...b }).filter((k) =>
            JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)
          );
          const code = `${kind} ${String(a.ods_code ?? a.region_code)}`;
          deepEqual(differ.map((k) => [code, k, b[k]]), differ.map((k) => [code, k, a[k]]));
          compared++;
        }
      }
      ok(compared > 600, `${compared} records compared`);
    });
    await t.step("a deletion read from either list marks the record alike", async () => {
      equal((await fhirStore.get("organisation", "RGT01"))?.ods_deleted, "2026-11-24");
      equal((await w.store.get("organisation", "RGT01"))?.ods_deleted, "2026-11-24");
    });
    await t.step("successions recorded through FHIR are ORD's", async () => {
      ok(demo.closedSite, "the demo closes a site with a successor");
      const { code, successor } = demo.closedSite!;
      const viaFhir = await fhirStore.get("organisation", code);
      deepEqual(viaFhir?.successors, [successor]);
      deepEqual(viaFhir?.successors, (await w.store.get("organisation", code))?.successors);
    });
    await t.step("no stored county is blanked because FHIR can't carry it", async () => {
      const seeded = w.seed.records.organisation.filter((o) => o.source === "ods" && o.county);
      for (const o of seeded) {
        const viaFhir = await fhirStore.get("organisation", o.ods_code);
        if (viaFhir) ok(viaFhir.county, `${o.ods_code} keeps its county`);
      }
    });
  } finally {
    fhirStore.close();
    await w.close();
  }
});
