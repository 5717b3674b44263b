/**
 * In-memory ODS dataset for the simulator.
 *
 * Records are held in exactly the ORD 2-0-0 JSON shape (the object inside `{"Organisation":…}`),
 * keyed by upper-case ODS code.  There are two layers:
 *
 * - the **published** state, which is all the HTTP routes ever serve;
 * - **pending** changes: every mutation is stored as a snapshot dated with the day it happened and
 *   becomes visible at the first publication dated after that day (see {@link OdsDataset.publish}).
 *
 * At each publication the "future date checker" stamps records whose org/role/rel Start or End
 * date has just been reached: their Status flips and LastChangeDate becomes the publication date.
 *
 * @module
 */

import { addDays, daysBetween } from "./clock.ts";
import { cloneRecord } from "./clone.ts";
import { applyElapsedDates } from "./future_dates.ts";
import { DEFAULT_IDS, type IdAllocator, pseudoRoleId } from "./ids.ts";
import { addSuccession, closeRecord, endRelationships, switchRelationship } from "./mutations.ts";
import type {
  OrdContact,
  OrdLocation,
  OrdOrganisation,
  OrdRecord,
  OrdTarget,
} from "./ord_types.ts";
import { PostcodeDirectory } from "./postcodes.ts";
import { ordTarget, primaryRoleOf } from "./record.ts";

/** A `/notifications` entry (note `OrgID` with a capital D, as served by ORD). */
export interface DeletedOrganisation {
  OrgID: string;
  PrimaryRoleId: string;
  reason: { code: number; description: string };
  time: string;
  type: { code: number; description: string };
}

/** A change waiting for publication. `record === null` means deletion. */
export interface PendingChange {
  code: string;
  /** Day the change happened (it is published at the first publication dated after it). */
  day: string;
  kind: string;
  record: OrdOrganisation | null;
  notice?: DeletedOrganisation;
}

/** One entry of the mutation history. */
export interface ChangeLogEntry {
  code: string;
  kind: string;
  day: string;
  /** Day of the publication that made it visible (absent while pending). */
  publishedOn?: string;
}

/** What a publication did. */
export interface PublishResult {
  day: string;
  /** Codes whose pending changes were applied. */
  applied: string[];
  /** Codes deleted. */
  deleted: string[];
  /** Codes stamped by the future date checker. */
  futureDated: string[];
}

/** When a move of parent takes effect, and how ODS marks it before then. */
export interface MoveOptions {
  /** The first day of the new relationship (default: the day of the change). */
  effective?: string;
  /** Mark the new relationship `Active` before it starts, as ODS does (default false). */
  activeInAdvance?: boolean;
}

/** Options for {@link OdsDataset}. */
export interface DatasetOptions {
  /** Initial records, published immediately. */
  records?: Iterable<OrdOrganisation | OrdRecord>;
  /** Source of "today" for mutations without an explicit date. */
  today?: () => string;
  /** Day of the publication the initial records represent. Default: today(). */
  lastPublishedDay?: string;
  /** End dates inclusive for the future date checker (see `statusOn` in dates.ts). Default false. */
  endInclusive?: boolean;
  ids?: IdAllocator;
}

function unwrap(r: OrdOrganisation | OrdRecord): OrdOrganisation {
  return "Organisation" in r ? r.Organisation : r;
}

function codeOf(org: OrdOrganisation): string {
  return org.OrgId.extension.toUpperCase();
}

/**
 * The in-memory dataset: published state + pending changes + deletion notices.
 *
 * @example
 * ```ts
 * import { OdsDataset } from "./dataset.ts";
 * import { sampleRWR } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * const ds = new OdsDataset({ records: [sampleRWR()], today: () => "2025-06-10" });
 * ds.rename("RWR", "RENAMED TRUST");
 * equal(ds.get("RWR")?.Name, "HERTFORDSHIRE PARTNERSHIP UNIVERSITY NHS FOUNDATION TRUST");
 * ds.publish("2025-06-11");
 * equal(ds.get("RWR")?.Name, "RENAMED TRUST");
 * ```
 */
export class OdsDataset {
  #published = new Map<string, OrdOrganisation>();
  #prior = new Map<string, OrdOrganisation>();
  #pending: PendingChange[] = [];
  #latestPending = new Map<string, OrdOrganisation | null>();
  #notices: DeletedOrganisation[] = [];
  #sortedCodes: string[] | null = null;
  #version = 0;
  #today: () => string;
  #ids: IdAllocator;
  /** Day of the latest publication. */
  lastPublishedDay: string;
  /** Future date checker end-date rule (see `statusOn` in dates.ts). */
  endInclusive: boolean;
  /** Every mutation, oldest first. */
  readonly history: ChangeLogEntry[] = [];
  /** The postcode directory served by the FHIR `postcode` CodeSystem (postcodes.ts). */
  readonly postcodes: PostcodeDirectory = new PostcodeDirectory(this);

  /** Creates a dataset; initial `records` are published immediately. */
  constructor(options: DatasetOptions = {}) {
    this.#today = options.today ?? (() => new Date().toISOString().slice(0, 10));
    this.#ids = options.ids ?? DEFAULT_IDS;
    this.endInclusive = options.endInclusive ?? false;
    this.lastPublishedDay = options.lastPublishedDay ?? this.#today();
    if (options.records) this.seed(options.records);
  }

  // ---- published (served) state -----------------------------------------------------------

  /** Number of published records. */
  get size(): number {
    return this.#published.size;
  }

  /** Incremented at every publication or seed; lets callers cache derived views. */
  get version(): number {
    return this.#version;
  }

  /** The published record for `code` (case-insensitive). Do not mutate it. */
  get(code: string): OrdOrganisation | undefined {
    return this.#published.get(code.toUpperCase());
  }

  /** The published version before the latest published change of `code`, if any. */
  getPrior(code: string): OrdOrganisation | undefined {
    return this.#prior.get(code.toUpperCase());
  }

  /** True when `code` is published. */
  has(code: string): boolean {
    return this.#published.has(code.toUpperCase());
  }

  /** Published codes in ascending order (cached per version). */
  codes(): readonly string[] {
    if (!this.#sortedCodes) {
      this.#sortedCodes = [...this.#published.keys()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
    }
    return this.#sortedCodes;
  }

  /** Published records in code order. */
  *records(): IterableIterator<OrdOrganisation> {
    for (const c of this.codes()) {
      const r = this.#published.get(c);
      if (r) yield r;
    }
  }

  /** Published deletion notices. */
  notifications(): readonly DeletedOrganisation[] {
    return this.#notices;
  }

  /** Changes not yet published. */
  pending(): readonly PendingChange[] {
    return this.#pending;
  }

  // ---- seeding (bypasses publication) -------------------------------------------------------

  /** Upserts records straight into the published state (test setup). */
  seed(records: Iterable<OrdOrganisation | OrdRecord>): void {
    for (const r of records) {
      const org = unwrap(r);
      this.#published.set(codeOf(org), org);
    }
    this.#touch();
  }

  /** Removes everything (published, pending, notices, history). */
  clear(): void {
    this.#published.clear();
    this.#prior.clear();
    this.#pending = [];
    this.#latestPending.clear();
    this.#notices = [];
    this.history.length = 0;
    this.postcodes.clear();
    this.#touch();
  }

  #touch(): void {
    this.#sortedCodes = null;
    this.#version++;
  }

  // ---- working state and mutations ---------------------------------------------------------

  /** Today's date according to the injected clock. */
  today(): string {
    return this.#today();
  }

  /** The latest state of `code` including pending changes (null if pending deletion). */
  working(code: string): OrdOrganisation | undefined {
    const c = code.toUpperCase();
    const p = this.#latestPending.get(c);
    if (p !== undefined) return p ?? undefined;
    return this.#published.get(c);
  }

  #record(code: string, day: string, kind: string, record: OrdOrganisation | null): void {
    const c = code.toUpperCase();
    this.#pending.push({ code: c, day, kind, record });
    this.#latestPending.set(c, record);
    this.history.push({ code: c, kind, day });
  }

  /**
   * Generic mutation: clones the working record, applies `mutate`, sets LastChangeDate to `on`
   * (default today) and queues it for publication.
   */
  update(
    code: string,
    mutate: (org: OrdOrganisation) => void,
    on: string = this.#today(),
    kind = "update",
  ): OrdOrganisation {
    const current = this.working(code);
    if (!current) throw new Error(`unknown ODS code ${code}`);
    const next = cloneRecord(current);
    mutate(next);
    next.LastChangeDate = on;
    this.#record(code, on, kind, next);
    return next;
  }

  /** Renames an organisation on `on`. */
  rename(code: string, name: string, on?: string): OrdOrganisation {
    return this.update(code, (o) => (o.Name = name), on, "rename");
  }

  #targetOf(code: string, fallbackRole: string): OrdTarget {
    const t = this.working(code);
    const role = t ? primaryRoleOf(t) : undefined;
    const id = role?.id ?? fallbackRole;
    return ordTarget(code, id, role?.uniqueRoleId ?? pseudoRoleId(code.toUpperCase(), id));
  }

  #switchRel(
    code: string,
    relType: string,
    newTarget: string,
    fallbackRole: string,
    on: string | undefined,
    opts: MoveOptions,
    kind: string,
  ): OrdOrganisation {
    const day = on ?? this.#today();
    const eff = opts.effective ?? day;
    const t = this.#targetOf(newTarget, fallbackRole);
    const at = { day, endInclusive: this.endInclusive, activeInAdvance: opts.activeInAdvance };
    return this.update(
      code,
      (o) => switchRelationship(o, relType, t, eff, at, this.#ids),
      day,
      kind,
    );
  }

  /**
   * Moves a site to another trust: ends the active RE6 (End = effective − 1 day) and adds a new
   * active RE6 → `newTrust` starting on `effective` (default `on`, default today). A move
   * published in advance (`effective` later than `on`) is marked `Active` already with
   * `activeInAdvance`, as ODS does.
   */
  reparent(
    siteCode: string,
    newTrust: string,
    on?: string,
    opts: MoveOptions = {},
  ): OrdOrganisation {
    return this.#switchRel(siteCode, "RE6", newTrust, "RO197", on, opts, "reparent");
  }

  /** Moves a trust (or sub-ICB) to another ICB: ends the active RE5 and adds a new one. */
  setIcb(
    trustCode: string,
    icb: string,
    on?: string,
    opts: MoveOptions = {},
  ): OrdOrganisation {
    return this.#switchRel(trustCode, "RE5", icb, "RO261", on, opts, "setIcb");
  }

  /**
   * Moves a GP practice (or PCN) to another commissioner: ends the active RE4 and adds RE4 →
   * `commissioner` (a sub-ICB location, RO98, or a Welsh board) from `effective` (default `on`).
   */
  setCommissioner(
    code: string,
    commissioner: string,
    on?: string,
    opts: MoveOptions = {},
  ): OrdOrganisation {
    return this.#switchRel(code, "RE4", commissioner, "RO98", on, opts, "setCommissioner");
  }

  /**
   * Moves a GP practice to another primary care network (RE8 → `pcn`, RO272), or with `pcn`
   * null takes it out of its network (the active RE8 ends the day before `effective`).
   */
  setPcn(code: string, pcn: string | null, on?: string, opts: MoveOptions = {}): OrdOrganisation {
    if (pcn !== null) return this.#switchRel(code, "RE8", pcn, "RO272", on, opts, "setPcn");
    const day = on ?? this.#today();
    const at = { day, endInclusive: this.endInclusive };
    return this.update(
      code,
      (o) => endRelationships(o, "RE8", opts.effective ?? day, at),
      day,
      "setPcn",
    );
  }

  /**
   * Closes an organisation: operational (and legal) End = `endDate` on the org, its open roles
   * and relationships; statuses computed as of `on` (a future `endDate` leaves it Active until
   * the future date checker flips it).  With `successor`, adds Succ Successor here and Succ
   * Predecessor on the successor record (both changed on `on`).
   */
  close(
    code: string,
    endDate: string,
    opts: { successor?: string; on?: string } = {},
  ): OrdOrganisation {
    const day = opts.on ?? this.#today();
    const succTarget = opts.successor ? this.#targetOf(opts.successor, "RO197") : undefined;
    const at = { day, endInclusive: this.endInclusive };
    const start = addDays(endDate, 1);
    const closed = this.update(
      code,
      (o) => {
        closeRecord(o, endDate, at);
        if (succTarget) addSuccession(o, "Successor", succTarget, start, this.#ids);
      },
      day,
      "close",
    );
    if (opts.successor && this.working(opts.successor)) {
      const predTarget = this.#targetOf(code, "RO197");
      this.update(
        opts.successor,
        (o) => addSuccession(o, "Predecessor", predTarget, start, this.#ids),
        day,
        "succession",
      );
    }
    return closed;
  }

  /**
   * Adds (or replaces) a record on `on` (default: the record's LastChangeDate is kept and the
   * change is dated with it; pass `on` to stamp both).
   */
  addRecord(record: OrdOrganisation | OrdRecord, on?: string): OrdOrganisation {
    const org = cloneRecord(unwrap(record));
    if (on) org.LastChangeDate = on;
    this.#record(codeOf(org), org.LastChangeDate, "add", org);
    return org;
  }

  /**
   * Deletes a record on `on` (default today): after publication it 404s, vanishes from sync and
   * search and appears in `/notifications` and `List/Organization-deletion`.
   */
  delete(
    code: string,
    on: string = this.#today(),
    reason: { code: number; description: string } = { code: 3, description: "HUMAN ERROR" },
  ): void {
    const current = this.working(code);
    const c = code.toUpperCase();
    this.#record(c, on, "delete", null);
    this.#pending[this.#pending.length - 1].notice = {
      OrgID: c,
      PrimaryRoleId: current ? primaryRoleOf(current)?.id ?? "" : "",
      reason,
      time: `${on} 00:00:00`,
      type: { code: 1, description: "Machine" },
    };
  }

  /** Replaces the address (`GeoLoc.Location`); `null` removes `GeoLoc`. */
  setAddress(code: string, location: OrdLocation | null, on?: string): OrdOrganisation {
    return this.update(
      code,
      (o) => {
        if (location) o.GeoLoc = { Location: { ...location } };
        else delete o.GeoLoc;
      },
      on,
      "setAddress",
    );
  }

  /** Replaces the contacts; an empty list removes `Contacts`. */
  setContacts(code: string, contacts: OrdContact[], on?: string): OrdOrganisation {
    return this.update(
      code,
      (o) => {
        if (contacts.length > 0) o.Contacts = { Contact: contacts.map((c) => ({ ...c })) };
        else delete o.Contacts;
      },
      on,
      "setContacts",
    );
  }

  // ---- publication ---------------------------------------------------------------------------

  /**
   * Publishes as of `day`: applies (in order) every pending change dated before `day`, then runs
   * the future date checker for the days since the previous publication (inclusive of `day`).
   */
  publish(day: string = this.#today()): PublishResult {
    const result: PublishResult = { day, applied: [], deleted: [], futureDated: [] };
    const keep: PendingChange[] = [];
    const appliedSet = new Set<string>();
    for (const p of this.#pending) {
      if (p.day >= day) {
        keep.push(p);
        continue;
      }
      const old = this.#published.get(p.code);
      if (p.record === null) {
        if (old) this.#prior.set(p.code, old);
        this.#published.delete(p.code);
        if (p.notice) this.#notices.push(p.notice);
        result.deleted.push(p.code);
      } else {
        if (old && !appliedSet.has(p.code)) this.#prior.set(p.code, old);
        this.#published.set(p.code, p.record);
        if (!appliedSet.has(p.code)) result.applied.push(p.code);
        appliedSet.add(p.code);
      }
    }
    for (const h of this.history) {
      if (h.publishedOn === undefined && h.day < day) h.publishedOn = day;
    }
    this.#pending = keep;
    this.#latestPending.clear();
    for (const p of keep) this.#latestPending.set(p.code, p.record);
    const from = this.lastPublishedDay < day ? this.lastPublishedDay : addDays(day, -1);
    if (daysBetween(from, day) > 0) {
      for (const [code, org] of this.#published) {
        if (applyElapsedDates(org, from, day, this.endInclusive)) result.futureDated.push(code);
      }
      for (const p of keep) {
        if (p.record) applyElapsedDates(p.record, from, day, this.endInclusive);
      }
    }
    if (day > this.lastPublishedDay) this.lastPublishedDay = day;
    this.#touch();
    return result;
  }
}
