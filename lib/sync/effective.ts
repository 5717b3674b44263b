/**
 * The effective-date job: at the start of each UK day, apply what falls due on it (`./due.ts`):
 * a change ODS published in advance becomes the current state on its date, without waiting for
 * ODS to send the record again. One job at a time across every instance (a KV lease, like the
 * sync's); each record with its indexes, change log entry (cause `effective`) and review items in
 * one atomic, versionstamp-checked commit; idempotent (a second run that day finds nothing due).
 *
 * @module
 */
import { ukDate } from "../dates.ts";
import { log } from "../log.ts";
import type { Entities } from "../model.ts";
import { recordWrite, sortableId, type Store, type WriteGroup } from "../store.ts";
import * as keys from "../keys.ts";
import { dueOn, type DueParents, recordOn } from "./due.ts";
import { acquireLease, DEFAULT_SYNC_LEASE_TTL_MS } from "./lease.ts";
import { loadCurrent, networkLookup } from "./plan.ts";
import { reviewItemsFor } from "./review.ts";

/** Name of the lease that lets one effective-date job run at a time. */
export const EFFECTIVE_LEASE = "effective";

/** What {@linkcode runEffective} needs. */
export interface EffectiveOptions {
  store: Store;
  now?: () => Date;
  /** How long the job's lease lasts without renewal; default 120 s. */
  leaseTtlMs?: number;
}

/** What one job did. */
export interface EffectiveResult {
  /** `busy`: another instance holds the lease; nothing was read or written. */
  outcome: "applied" | "busy";
  /** The UK date applied. */
  date: string;
  /** Records changed. */
  changed: number;
  /** Review items added. */
  review: number;
}

/** The write group of one due record: recomputed from the record as committed (race-safe). */
function dueGroup(
  kind: keyof Entities,
  code: string,
  on: string,
  parents: DueParents,
  ctx: { runId: string; time: string; networkOfParent: (code: string) => string | null },
): WriteGroup {
  return {
    writes: [
      recordWrite(kind, code, (cur) => {
        if (!cur || (cur as { source: string }).source !== "ods") return undefined;
        return recordOn(kind as "organisation", cur as Entities["organisation"], on, parents);
      }),
    ],
    extra: (entries) => {
      const items = reviewItemsFor(entries, { ...ctx, makeId: () => sortableId() });
      return { set: items.map((i) => [keys.reviewKey(i.id), i] as [Deno.KvKey, unknown]) };
    },
  };
}

/**
 * Apply what falls due on today's UK date.
 *
 * @example
 * ```ts
 * import { Store } from "../store.ts";
 * import { runEffective } from "./effective.ts";
 *
 * const store = await Store.open(":memory:");
 * const result = await runEffective({ store, now: () => new Date("2027-04-01T00:05:00Z") });
 * result.changed; // 0: nothing stored, nothing due
 * store.close();
 * ```
 */
export async function runEffective(opts: EffectiveOptions): Promise<EffectiveResult> {
  const now = opts.now ?? (() => new Date());
  const date = ukDate(now());
  const ttl = opts.leaseTtlMs ?? DEFAULT_SYNC_LEASE_TTL_MS;
  const lease = await acquireLease(opts.store.kv, EFFECTIVE_LEASE, ttl);
  if (!lease) {
    log("warn", "effective-date job not started: another one is in progress", { date });
    return { outcome: "busy", date, changed: 0, review: 0 };
  }
  try {
    const current = await loadCurrent(opts.store);
    const { due, parents } = dueOn(current, date);
    const ctx = {
      runId: `effective-${date}`,
      time: now().toISOString(),
      networkOfParent: networkLookup(current.organisation.values()),
    };
    const groups = due.map((d) => dueGroup(d.kind, d.code, date, parents, ctx));
    const result = await opts.store.write(groups, {
      cause: "effective",
      runId: ctx.runId,
      time: ctx.time,
    });
    const review = reviewItemsFor(result.entries, { ...ctx, makeId: () => "" }).length;
    const changed = new Set(result.entries.map((e) => `${e.entity}:${e.code}`)).size;
    log("info", "effective dates applied", { date, changed, review });
    return { outcome: "applied", date, changed, review };
  } finally {
    await lease.release();
  }
}
