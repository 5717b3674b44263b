/**
 * What a simulator serves when it starts (and again after a reset): the given records and/or
 * the default fixtures, plus an optional generated national dataset (with, when asked for, its
 * GP practice set related to the ICBs and boards already there, and the postcodes it uses).
 *
 * @module
 */

import type { SimClock } from "./clock.ts";
import type { OdsDataset } from "./dataset.ts";
import { defaultFixtures } from "./fixtures.ts";
import { generateNational, type NationalDataset } from "./national.ts";
import { boundariesOf } from "./postcodes.ts";
import type { OdsSimulatorOptions } from "./sim_types.ts";

/** The code lists of a generated national dataset. */
export type NationalLists = Omit<NationalDataset, "records">;

/**
 * Empties `dataset` and seeds it with the initial records of `options` as of the clock's today;
 * returns the national code lists (null without `options.national`).
 *
 * @example
 * ```ts
 * import { SimClock } from "./clock.ts";
 * import { OdsDataset } from "./dataset.ts";
 * import { loadInitialRecords } from "./initial.ts";
 * import { equal } from "node:assert/strict";
 * const clock = new SimClock({ now: "2025-06-10T09:00:00Z", frozen: true });
 * const dataset = new OdsDataset({ today: () => clock.today() });
 * const national = loadInitialRecords(dataset, clock, { national: 10 });
 * equal(national?.untracked.length, 10);
 * equal(dataset.has("RVVKC"), true);
 * ```
 */
export function loadInitialRecords(
  dataset: OdsDataset,
  clock: SimClock,
  options: OdsSimulatorOptions,
): NationalLists | null {
  const today = clock.today();
  dataset.clear();
  const fixtures = () =>
    defaultFixtures({ today, lhbRole: options.lhbRole, welshSiteRole: options.welshSiteRole });
  if (options.records) {
    dataset.seed(options.records.map((r) => structuredClone(r)));
    if (options.withFixtures) dataset.seed(fixtures());
  } else dataset.seed(fixtures());
  let national: NationalLists | null = null;
  if (options.national !== undefined) {
    const n = typeof options.national === "number"
      ? { untracked: options.national }
      : options.national;
    const existing = n.gpPractices ? boundariesOf(dataset.records()) : undefined;
    const { records, ...lists } = generateNational({
      lhbRole: options.lhbRole,
      welshSiteRole: options.welshSiteRole,
      existingIcbs: existing?.icbs,
      existingBoards: existing?.boards,
      ...n,
      today,
      exclude: dataset.codes(),
    });
    dataset.seed(records);
    national = lists;
  }
  if (national?.geography) dataset.postcodes.setMapping(national.geography);
  dataset.postcodes.declare(national?.postcodes ?? []);
  dataset.lastPublishedDay = clock.latestPublicationDayAtOrBefore();
  return national;
}
