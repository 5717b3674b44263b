/**
 * Simulated ODS worlds shared by the benchmarks and the reliability suite: the national dataset
 * (tens of thousands of untracked records) whose tracked part is exactly the project's seed, a
 * seeded store to sync into, and "a day of K changed records of which T are tracked".
 *
 * @module
 */
import type { OdsConfig } from "../lib/config.ts";
import { loadSeedFile, type Seed } from "../lib/seed.ts";
import { type ChangeDayResult, simulateChangeDay } from "./ods_sim/change_day.ts";
import type { FaultsOptions } from "./ods_sim/faults.ts";
import { buildIcb, buildTrust } from "./ods_sim/kinds.ts";
import { referenceSiteCodes } from "./ods_sim/reference_sites.ts";
import { seededRecords } from "./ods_sim/seeded.ts";
import { type OdsSimulator, startOdsSimulator } from "./ods_sim/server.ts";
import { seededStoreFile } from "./proc.ts";

/** Tuesday 24 November 2026, after the overnight publication. */
export const NOW = "2026-11-24T06:00:00Z";
/** The working day whose changes that publication carries (and the sync cursor). */
export const CHANGE_DAY = "2026-11-23";
/** When the seeded ODS records were last changed. */
export const SEED_LCD = "2024-06-03";

/** New parents a change day introduces: two new trusts under one new ICB. */
export const NEW_ICB = "Q9Z";
export const NEW_TRUSTS = ["R9X", "R9Y"] as const;

/** Options for {@linkcode startChangeWorld}. */
export interface ChangeWorldOptions {
  /** Untracked national records (GP practices, pharmacies ...). */
  untracked: number;
  /** Changed records on the change day (K), tracked ones included. */
  changed: number;
  /** Tracked records among them (T). */
  tracked: number;
  /** Also move two tracked sites to new trusts under a new ICB (3 new parents). */
  newParents?: boolean;
  seed?: number;
  faults?: FaultsOptions;
  /** Serve FHIR with this page cap (default the simulator's). */
  fhirMaxCount?: number;
}

/** A simulator with a published change day. */
export interface ChangeWorld {
  sim: OdsSimulator;
  seed: Seed;
  /** Codes the store tracks (every ODS-backed seed record). */
  trackedCodes: string[];
  change: ChangeDayResult;
  /** Tracked codes changed on the day (the day's sample plus moved sites). */
  trackedChanged: string[];
  /** Parents the run must create. */
  newParents: string[];
}

/**
 * The ODS codes of every ODS-backed record in the seed: what a seeded store tracks (the sites
 * the PDU list names that the seed lacks are not among them until a re-baseline creates them).
 *
 * @example
 * ```ts
 * import { loadSeedFile } from "../lib/seed.ts";
 * import { trackedCodesOf } from "./world.ts";
 * import { ok } from "node:assert/strict";
 * ok(trackedCodesOf(loadSeedFile()).includes("RGT01"));
 * ```
 */
export function trackedCodesOf(seed: Seed): string[] {
  const untracked = new Set(referenceSiteCodes(seed).map((s) => s.code));
  return seededRecords(seed, SEED_LCD).map((r) => r.OrgId.extension)
    .filter((code) => !untracked.has(code));
}

/**
 * Start the simulator on loopback with the seed world, the national dataset and a change day.
 *
 * @example
 * ```ts
 * import { startChangeWorld } from "./world.ts";
 * import { ok } from "node:assert/strict";
 * const world = await startChangeWorld({ untracked: 200, changed: 20, tracked: 5 });
 * try {
 *   ok(world.trackedChanged.length >= 5);
 * } finally {
 *   await world.sim.close();
 * }
 * ```
 */
export async function startChangeWorld(o: ChangeWorldOptions): Promise<ChangeWorld> {
  const seed = loadSeedFile();
  const sim = await startOdsSimulator({
    now: NOW,
    clock: { frozen: true },
    records: seededRecords(seed, SEED_LCD),
    national: { untracked: o.untracked, tracked: {}, seed: o.seed ?? 1 },
    faults: o.faults,
  });
  const trackedCodes = trackedCodesOf(seed);
  const trusts = seed.records.trust.filter((t) =>
    t.source === "ods" && t.integrated_care_board_code
  ).map((t) => t.ods_code);
  const change = simulateChangeDay(sim.dataset, {
    day: CHANGE_DAY,
    changed: o.changed,
    tracked: o.tracked,
    trackedCodes,
    untrackedCodes: sim.national!.untracked,
    trusts,
    seed: o.seed ?? 7,
  });
  const trackedChanged = new Set(change.tracked);
  const newParents: string[] = [];
  if (o.newParents) {
    sim.dataset.addRecord(
      buildIcb({
        code: NEW_ICB,
        name: "NHS SIMULATED NEW INTEGRATED CARE BOARD",
        lastChangeDate: CHANGE_DAY,
        region: "Y61",
        start: CHANGE_DAY,
        icbSince: CHANGE_DAY,
      }),
      CHANGE_DAY,
    );
    for (const code of NEW_TRUSTS) {
      sim.dataset.addRecord(
        buildTrust({
          code,
          name: `SIMULATED NEW TRUST ${code}`,
          lastChangeDate: CHANGE_DAY,
          start: CHANGE_DAY,
          icb: NEW_ICB,
          icbSince: CHANGE_DAY,
        }),
        CHANGE_DAY,
      );
    }
    const sites = seed.records.organisation.filter((r) =>
      r.source === "ods" && r.trust_code && !trackedChanged.has(r.ods_code)
    );
    NEW_TRUSTS.forEach((trust, i) => {
      const site = sites[i * 7];
      sim.dataset.reparent(site.ods_code, trust, CHANGE_DAY);
      trackedChanged.add(site.ods_code);
    });
    newParents.push(NEW_ICB, ...NEW_TRUSTS);
  }
  sim.publish("2026-11-24");
  return { sim, seed, trackedCodes, change, trackedChanged: [...trackedChanged], newParents };
}

/**
 * A client configuration pointed at the simulator.
 *
 * @example
 * ```ts
 * import { odsConfig, startChangeWorld } from "./world.ts";
 * import { equal } from "node:assert/strict";
 * const world = await startChangeWorld({ untracked: 100, changed: 10, tracked: 2 });
 * try {
 *   equal(odsConfig(world.sim, "fhir").odtBaseUrl, world.sim.fhirBaseUrl);
 * } finally {
 *   await world.sim.close();
 * }
 * ```
 */
export function odsConfig(
  sim: OdsSimulator,
  source: "ord" | "fhir",
  over: Partial<OdsConfig> = {},
): OdsConfig {
  return {
    source,
    ordBaseUrl: sim.ordBaseUrl,
    odtBaseUrl: sim.fhirBaseUrl,
    odtApiKey: null,
    rateLimit: 1000,
    concurrency: 4,
    timeoutMs: 5000,
    retries: 3,
    pageSize: 1000,
    userAgent: "nhs-organisations-bench",
    ...over,
  };
}

/**
 * A seeded KV file made once and copied for each run (copying is much faster than seeding).
 *
 * @example
 * ```ts
 * import { StoreTemplate } from "./world.ts";
 * import { notEqual } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const template = new StoreTemplate(dir);
 * notEqual(await template.copy(), await template.copy());
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class StoreTemplate {
  #dir: string;
  #template: string | null = null;
  #n = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** A fresh copy of the seeded store; returns its path. */
  async copy(name = "store"): Promise<string> {
    if (!this.#template) {
      this.#template = `${this.#dir}/template.sqlite`;
      await seededStoreFile(this.#template);
    }
    const path = `${this.#dir}/${name}-${++this.#n}.sqlite`;
    await Deno.copyFile(this.#template, path);
    return path;
  }
}
