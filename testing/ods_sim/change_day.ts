/**
 * "A day of K changed records of which T are tracked": the changes a day of ODS publication
 * carries, drawn deterministically from a seed and applied to a dataset.
 *
 * @module
 */

import type { OdsDataset } from "./dataset.ts";
import { mulberry32 } from "./random.ts";

/** Options for {@link simulateChangeDay}. */
export interface ChangeDayOptions {
  /** Day the changes happen (LastChangeDate; published at the next publication). */
  day: string;
  /** Total records changed (K). */
  changed: number;
  /** How many of them are tracked (T ≤ K). */
  tracked: number;
  trackedCodes: readonly string[];
  untrackedCodes: readonly string[];
  /** Trust codes to reparent tracked sites to (enables RE6 moves). */
  trusts?: readonly string[];
  seed?: number;
}

/** What a simulated day changed. */
export interface ChangeDayResult {
  codes: string[];
  tracked: string[];
  untracked: string[];
}

function sample(codes: readonly string[], k: number, rng: () => number): string[] {
  const n = Math.min(k, codes.length);
  const chosen = new Set<number>();
  if (n > codes.length / 2) {
    const idx = codes.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx.slice(0, n).map((i) => codes[i]);
  }
  while (chosen.size < n) chosen.add(Math.floor(rng() * codes.length));
  return [...chosen].map((i) => codes[i]);
}

/**
 * Applies "a day of K changed records of which T are tracked" to `dataset` (renames, address
 * and contact changes, and — for sites when `trusts` is given — RE6 moves), all dated `day`.
 *
 * @example
 * ```ts
 * import { simulateChangeDay } from "./change_day.ts";
 * import { OdsDataset } from "./dataset.ts";
 * import { generateNational } from "./national.ts";
 * import { equal } from "node:assert/strict";
 * const n = generateNational({ today: "2025-06-10", untracked: 100 });
 * const ds = new OdsDataset({ records: n.records, today: () => "2025-06-10" });
 * const r = simulateChangeDay(ds, {
 *   day: "2025-06-10",
 *   changed: 20,
 *   tracked: 5,
 *   trackedCodes: n.tracked,
 *   untrackedCodes: n.untracked,
 * });
 * equal(r.tracked.length, 5);
 * equal(ds.pending().length, 20);
 * ```
 */
export function simulateChangeDay(dataset: OdsDataset, o: ChangeDayOptions): ChangeDayResult {
  const rng = mulberry32(o.seed ?? 7);
  const t = Math.min(o.tracked, o.changed);
  const tracked = sample(o.trackedCodes.filter((c) => dataset.working(c) !== undefined), t, rng);
  const untracked = sample(
    o.untrackedCodes.filter((c) => dataset.working(c) !== undefined),
    o.changed - tracked.length,
    rng,
  );
  const apply = (code: string, allowReparent: boolean) => {
    const r = rng();
    const org = dataset.working(code);
    if (!org) return;
    const isSite = org.Rels?.Rel.some((x) => x.id === "RE6" && x.Status === "Active") ?? false;
    if (allowReparent && isSite && o.trusts && o.trusts.length > 0 && r < 0.2) {
      dataset.reparent(code, o.trusts[Math.floor(rng() * o.trusts.length)], o.day);
    } else if (r < 0.5) {
      dataset.rename(
        code,
        `${org.Name.replace(/ \(\d+\)$/, "")} (${Math.floor(rng() * 1000)})`,
        o.day,
      );
    } else if (r < 0.8) {
      const loc = org.GeoLoc?.Location ?? {};
      dataset.setAddress(code, { ...loc, AddrLn2: `UNIT ${Math.floor(rng() * 100)}` }, o.day);
    } else {
      dataset.setContacts(
        code,
        [{ type: "tel", value: `0${Math.floor(1000 + rng() * 999)} 000` }],
        o.day,
      );
    }
  };
  for (const c of tracked) apply(c, true);
  for (const c of untracked) apply(c, false);
  return { codes: [...tracked, ...untracked], tracked, untracked };
}
