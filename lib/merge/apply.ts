/**
 * Committing a merge plan: everything for one organisation (new parents, the record, its
 * indexes, memberships, tombstone and change log) in ONE atomic KV commit.
 *
 * The commit checks the versionstamp of every record the plan relies on (the organisation, its
 * parents, its PDU and network, its tombstone). If a concurrent writer (the sync) got there
 * first, the store re-reads and the update functions below re-derive from the fresh records; if
 * the plan no longer makes sense (the organisation appeared, the PDU vanished) they throw
 * {@linkcode MergeConflict} and nothing is written.
 *
 * @module
 */
import { tombstoneKey } from "../keys.ts";
import type { AnyRecord, IntegratedCareBoard, Organisation, Trust } from "../model.ts";
import {
  type ChangeEntry,
  type RecordWrite,
  recordWrite,
  type Store,
  type WriteGroup,
} from "../store.ts";
import {
  type CreatePlan,
  type DeletePlan,
  type Guard,
  type LinkPlan,
  MEMBERSHIP_FIELD,
  type Plan,
  recordId,
  type Tombstone,
} from "./plan.ts";
import { lookupOf, organisationForCreate } from "./plan_create.ts";

/** The store changed under the plan in a way that makes it wrong; nothing was written. */
export class MergeConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MergeConflict";
  }
}

/** Who is writing, and when. */
export interface ApplyContext {
  runId: string;
  /** ISO instant for `updated_at`, the change log and the tombstone. */
  time: string;
}

/** A non-record mutation in the same commit (tombstones). */
export interface ExtraWrite {
  op: "set" | "delete";
  key: Deno.KvKey;
  value?: unknown;
}

/** The commit for one plan, and the extra mutations it carries (for display). */
export interface PlannedCommit {
  group: WriteGroup;
  /** Filled in by `extra` when the store builds the commit. */
  extras: ExtraWrite[];
}

/** Record writes that only check a record the plan relies on, and remember what they saw. */
function guardWrites(
  guards: readonly Guard[],
  seen: Map<string, AnyRecord | null>,
): RecordWrite[] {
  return guards.map((g) =>
    recordWrite(g.kind, g.code, (current) => {
      seen.set(recordId(g.kind, g.code), current as AnyRecord | null);
      return undefined;
    })
  );
}

/** The single commit that creates `plan.code` (and any new parents). */
export function createCommit(plan: CreatePlan, _ctx: ApplyContext): PlannedCommit {
  const seen = new Map<string, AnyRecord | null>();
  const writes: RecordWrite[] = [];
  for (const p of plan.parents) {
    writes.push(recordWrite(p.kind, p.code, (current) => {
      seen.set(recordId(p.kind, p.code), (current ?? p.record) as AnyRecord);
      return current ? undefined : p.record as never;
    }, p.lastChangeDate));
  }
  writes.push(...guardWrites(plan.guards, seen));
  writes.push(recordWrite("organisation", plan.code, (current) => {
    if (current) throw new MergeConflict(`${plan.code} was created meanwhile by another writer`);
    for (const g of plan.guards) {
      if (!seen.get(recordId(g.kind, g.code))) {
        throw new MergeConflict(`${g.kind} ${g.code} was deleted meanwhile`);
      }
    }
    const trusts = new Map<string, Trust>();
    const icbs = new Map<string, IntegratedCareBoard>();
    for (const [id, record] of seen) {
      const [kind, code] = id.split(":");
      if (kind === "trust" && record) trusts.set(code, record as Trust);
      if (kind === "integrated_care_board" && record) icbs.set(code, record as IntegratedCareBoard);
    }
    // The trust must still point at the ICB planned (and checked), or the region can't be derived.
    for (const trust of trusts.values()) {
      const icb = trust.integrated_care_board_code;
      if (icb && !icbs.has(icb) && icb !== plan.organisation.integrated_care_board_code) {
        throw new MergeConflict(`trust ${trust.ods_code} moved to ICB ${icb} meanwhile`);
      }
    }
    return organisationForCreate(plan.ods, plan.tombstone.value, lookupOf(trusts, icbs), {
      pdu: plan.pdu.code,
      network: plan.network.code,
    });
  }, plan.ods.lastChangeDate));
  const key = tombstoneKey("organisation", plan.code);
  const extras: ExtraWrite[] = plan.tombstone.value ? [{ op: "delete", key }] : [];
  return {
    extras,
    group: {
      writes,
      extra: () => ({
        delete: plan.tombstone.value ? [key] : [],
        // The tombstone (or its absence) must be as planned: memberships came from it.
        check: [{ key, versionstamp: plan.tombstone.versionstamp }],
      }),
    },
  };
}

/** The single commit that deletes `plan.code` and keeps its tombstone. */
export function deleteCommit(plan: DeletePlan, ctx: ApplyContext): PlannedCommit {
  let removed: Organisation | null = null;
  const key = tombstoneKey("organisation", plan.code);
  const extras: ExtraWrite[] = [];
  return {
    extras,
    group: {
      writes: [recordWrite("organisation", plan.code, (current) => {
        if (!current) throw new MergeConflict(`${plan.code} was deleted meanwhile`);
        removed = current;
        return null;
      })],
      extra: () => {
        if (!removed) return undefined;
        const tombstone: Tombstone = { record: removed, deleted_at: ctx.time, run_id: ctx.runId };
        extras.splice(0, extras.length, { op: "set", key, value: tombstone });
        return { set: [[key, tombstone]] };
      },
    },
  };
}

/** The single commit that changes memberships of `plan.code`. */
export function linkCommit(plan: LinkPlan, _ctx: ApplyContext): PlannedCommit {
  const seen = new Map<string, AnyRecord | null>();
  const writes = guardWrites(plan.guards, seen);
  writes.push(recordWrite("organisation", plan.code, (current) => {
    if (!current) throw new MergeConflict(`${plan.code} was deleted meanwhile`);
    for (const g of plan.guards) {
      if (!seen.get(recordId(g.kind, g.code))) {
        throw new MergeConflict(`${g.kind} ${g.code} was deleted meanwhile`);
      }
    }
    let next: Organisation = current;
    for (const c of plan.changes) {
      const field = MEMBERSHIP_FIELD[c.membership];
      if (current[field] !== c.from) {
        throw new MergeConflict(
          `${plan.code}'s ${field} changed meanwhile (now ${current[field] ?? "none"})`,
        );
      }
      next = { ...next, [field]: c.to };
    }
    return next;
  }));
  return { extras: [], group: { writes } };
}

/** The commit for any plan. */
export function commitFor(plan: Plan, ctx: ApplyContext): PlannedCommit {
  switch (plan.action) {
    case "create":
      return createCommit(plan, ctx);
    case "delete":
      return deleteCommit(plan, ctx);
    default:
      return linkCommit(plan, ctx);
  }
}

/** What applying (or dry-running) a plan wrote, or would write. */
export interface Applied {
  /** Change log entries: one per record written, with every changed field. */
  entries: ChangeEntry[];
  /** Tombstone mutations in the same commit. */
  extras: ExtraWrite[];
  commits: number;
}

/**
 * Commit `plan` as one atomic write with cause `merge`. With `dryRun` the store builds the same
 * commit against the current data and reports it without writing.
 */
export async function applyPlan(
  store: Store,
  plan: Plan,
  ctx: ApplyContext & { dryRun?: boolean },
): Promise<Applied> {
  const { group, extras } = commitFor(plan, ctx);
  const result = await store.write([group], {
    cause: "merge",
    runId: ctx.runId,
    time: ctx.time,
    dryRun: ctx.dryRun ?? false,
  });
  return { entries: result.entries, extras, commits: result.commits };
}
