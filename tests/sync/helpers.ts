/**
 * Shared set-up for sync tests: a seeded store in a real KV file, the ODS simulator over HTTP
 * serving a world that matches the seed, and a source pointed at it.
 */
import type { OdsConfig } from "../../lib/config.ts";
import { createOdsSource } from "../../lib/ods/source.ts";
import type { OdsSource } from "../../lib/ods/source.ts";
import { type OdsSimulator, startOdsSimulator } from "../../testing/ods_sim/server.ts";
import { seededRecords } from "../../testing/ods_sim/seeded.ts";
import { loadSeedFile, type Seed, seedStore } from "../../lib/seed.ts";
import { Store } from "../../lib/store.ts";
import { setLogSink } from "../../lib/log.ts";

/** Quiet logs in tests (kept for assertions). */
export const logLines: string[] = [];
setLogSink((line) => logLines.push(line));

/** The date the simulated ODS records were last changed before the tests begin. */
export const SEED_LCD = "2024-06-03";

export interface SyncWorld {
  store: Store;
  sim: OdsSimulator;
  seed: Seed;
  dir: string;
  kvPath: string;
  source(kind?: "ord" | "fhir", overrides?: Partial<OdsConfig>): OdsSource;
  odsConfig(kind?: "ord" | "fhir", overrides?: Partial<OdsConfig>): OdsConfig;
  close(): Promise<void>;
}

/**
 * A seeded store and a simulator whose clock reads `now`; with `gpPractices`, the simulator also
 * serves a generated national GP practice set of that many practices (with its sub-ICB
 * locations and PCNs) over the seed's ICBs and Welsh boards.
 */
export async function syncWorld(
  now: string,
  options: { seedStore?: boolean; lastChangeDate?: string; gpPractices?: number } = {},
): Promise<SyncWorld> {
  const dir = await Deno.makeTempDir({ prefix: "sync-test-" });
  const kvPath = `${dir}/store.sqlite`;
  const store = await Store.open(kvPath);
  const seed = loadSeedFile();
  if (options.seedStore ?? true) await seedStore(store, seed, { time: "2024-10-01T00:00:00.000Z" });
  const sim = await startOdsSimulator({
    now,
    records: seededRecords(seed, options.lastChangeDate ?? SEED_LCD),
    ...(options.gpPractices
      ? { national: { untracked: 0, tracked: {}, gpPractices: options.gpPractices, seed: 5 } }
      : {}),
  });
  const odsConfig = (kind: "ord" | "fhir" = "ord", overrides: Partial<OdsConfig> = {}) => ({
    source: kind,
    ordBaseUrl: sim.ordBaseUrl,
    odtBaseUrl: sim.fhirBaseUrl,
    odtApiKey: null,
    rateLimit: 1000,
    concurrency: 4,
    timeoutMs: 3000,
    retries: 2,
    pageSize: 200,
    userAgent: "nhs-organisations-tests",
    ...overrides,
  });
  return {
    store,
    sim,
    seed,
    dir,
    kvPath,
    odsConfig,
    source: (kind = "ord", overrides = {}) =>
      createOdsSource(odsConfig(kind, overrides), { backoffBaseMs: 1, backoffMaxMs: 5 }),
    async close() {
      store.close();
      await sim.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A fixed instant as a `now` function. */
export const at = (iso: string) => () => new Date(iso);
