/**
 * Shared set-up of the web page tests: a seeded store with a synced history made by the real
 * sync against the ODS simulator (a baseline, an incremental run with the demo changes and a
 * quarantined record, a failed run and an empty re-query), served by the real app.
 *
 * @module
 */
import { createApp } from "../../api.ts";
import { applyDemoChanges, type DemoChanges } from "../../testing/ods_sim/seeded.ts";
import { type RunRecord, runSync } from "../../lib/sync/run.ts";
import { at, type SyncWorld, syncWorld } from "../sync/helpers.ts";

/** Tuesday 24 November 2026, after the publication: the first (baseline) run. */
export const TUESDAY = "2026-11-24T06:00:00Z";
/** Wednesday: the incremental run that brings the demo changes. */
export const WEDNESDAY = "2026-11-25T06:00:00Z";
/** Thursday: ODS answers 503, the run fails. */
export const THURSDAY = "2026-11-26T06:00:00Z";
/** Thursday, later: ODS is back but has nothing new, the run is empty (re-querying). */
export const THURSDAY_LATER = "2026-11-26T08:00:00Z";
/** The clock of the served app. */
export const NOW = "2026-11-26T09:30:00Z";

/** The trust whose record is malformed in ODS on Wednesday, so it is quarantined. */
export const QUARANTINED_TRUST = "RVV";

/** A synced world and its served app. */
export interface UiWorld {
  world: SyncWorld;
  demo: DemoChanges;
  /** The runs, oldest first. */
  runs: RunRecord[];
  /** Each run's Markdown report as the sync printed it, in the same order. */
  markdowns: string[];
  /** Serve the app (with `keys`, if given) on a free loopback port; its clock reads `now`. */
  serve(keys?: string[], now?: () => Date): Served;
  close(): Promise<void>;
}

/** A running server. */
export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Build the synced history described in the module doc. */
export async function uiWorld(): Promise<UiWorld> {
  const world = await syncWorld(TUESDAY);
  const runs: RunRecord[] = [];
  const markdowns: string[] = [];
  const servers: Served[] = [];
  try {
    const sync = async (now: string) => {
      world.sim.clock.set(now);
      const result = await runSync({ store: world.store, source: world.source(), now: at(now) });
      runs.push(result.run);
      markdowns.push(result.markdown);
    };
    await sync(TUESDAY);
    const demo = applyDemoChanges(world.sim, world.seed, "2026-11-24");
    const malformed = world.sim.faults.add({
      path: `/ORD/2-0-0/organisations/${QUARANTINED_TRUST}`,
      kind: "malformed",
      variant: "twoPrimaryRoles",
    });
    await sync(WEDNESDAY);
    const down = world.sim.faults.add({ path: "/ORD/2-0-0/sync", kind: "status", status: 503 });
    await sync(THURSDAY);
    world.sim.faults.remove(down);
    await sync(THURSDAY_LATER);
    world.sim.faults.remove(malformed);
    return {
      world,
      demo,
      runs,
      markdowns,
      serve(keys: string[] = [], now = at(NOW)) {
        const app = createApp({
          store: world.store,
          config: { apiKeys: keys, adminToken: null },
          now,
        });
        const server = Deno.serve(
          { port: 0, hostname: "127.0.0.1", onListen: () => {} },
          app.fetch,
        );
        const served = {
          url: `http://127.0.0.1:${server.addr.port}`,
          close: () => server.shutdown(),
        };
        servers.push(served);
        return served;
      },
      async close() {
        for (const s of servers) await s.close();
        await world.close();
      },
    };
  } catch (err) {
    await world.close();
    throw err;
  }
}
