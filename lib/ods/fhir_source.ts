/**
 * FHIR R4 Organisation Data Terminology API: `GET /Organization?lastChangeDate=gt{D-1}&_count=N&
 * _revinclude=…` pages through full records and their relationships, so changes cost
 * ceil(changes / N) requests and no per-record fetch. Relationship target roles (not carried by
 * `OrganizationAffiliation`) are read from the target's own `Organization`: free when it is on a
 * page already, else one batched `_id=a,b,c` search per 100 unknown targets.
 *
 * @module
 */

import type { OdsConfig } from "../config.ts";
import { addDays } from "../dates.ts";
import {
  affiliationSource,
  fhirOrganizationCode,
  fhirPrimaryRole,
  isTooCostly,
  ODS_CODE_SYSTEM,
  parseFhirBundle,
  parseFhirDeletionList,
  parseFhirOrganization,
  parseFhirSuccessions,
} from "./fhir.ts";
import type { DeletedRecord } from "./ord.ts";
import { dateProblem } from "./dated.ts";
import type { HttpClient } from "./http.ts";
import { isOdsCode, normalizeCode, type OdsRecord } from "./record.ts";
import {
  changeListError,
  type ChangeSet,
  checkSince,
  type FetchOutcome,
  GP_ROLES,
  isFatal,
  mapWithProgress,
  OdsError,
  type OdsSource,
  type OnProgress,
  sourceHttpClient,
  type SourceOptions,
  type SuccessionLookup,
} from "./source_base.ts";

const REVINCLUDE = "_revinclude=OrganizationAffiliation:primary-organization";
/** Codes per `_id=a,b,c` search (keeps URLs short). */
const ID_BATCH = 100;
const MAX_PAGES = 100_000;

/** What a run of search pages yielded. */
interface Collected {
  /** Matched Organization resources by code, in first-seen order. */
  matches: Map<string, unknown>;
  /** Affiliations by source code (only for kept matches). */
  affiliations: Map<string, unknown[]>;
  /** Distinct matched codes (kept or not). */
  seen: Set<string>;
}

/**
 * FHIR R4 Organisation Data Terminology API.
 *
 * @example
 * ```ts
 * import { loadConfig } from "../config.ts";
 * import { FhirSource } from "./fhir_source.ts";
 *
 * const source = new FhirSource(loadConfig({ KV_PATH: ":memory:", ODS_SOURCE: "fhir" }).ods);
 * source.name; // "fhir"
 * ```
 */
export class FhirSource implements OdsSource {
  readonly name = "fhir" as const;
  #base: URL;
  #pageSize: number;
  #http: HttpClient;
  /** Primary role by ODS code (`null`: looked up, unknown), learned from every page seen. */
  #roles = new Map<string, string | null>();
  /**
   * Relationship targets looked up during this source's life (one run), with their
   * affiliations: a new parent found that way is then "fetched" without another request.
   */
  #prefetched = new Map<string, { resource: unknown; affiliations: unknown[] }>();

  constructor(config: OdsConfig, options: SourceOptions = {}) {
    this.#base = new URL(config.odtBaseUrl.replace(/\/+$/, "") + "/");
    this.#pageSize = Math.max(1, Math.floor(config.pageSize));
    this.#http = sourceHttpClient(
      config,
      options,
      "application/fhir+json",
      config.odtApiKey ? { apikey: config.odtApiKey } : undefined,
    );
  }

  stats(): { requests: number; retries: number } {
    return this.#http.stats();
  }

  async changesSince(
    since: string,
    isTracked: (code: string) => boolean,
    onProgress?: OnProgress,
  ): Promise<ChangeSet> {
    checkSince(since);
    // The spec documents gt/lt/eq prefixes only; `gt{D-1}` on day-precision dates = `ge{D}`.
    const query = `Organization?lastChangeDate=gt${addDays(since, -1)}&_count=${this.#pageSize}&` +
      REVINCLUDE;
    const collected = await this.#search(
      query,
      isTracked,
      `FHIR changes since ${since}`,
      onProgress,
    );
    const failed = await this.#resolveTargets(collected).catch((error: unknown) => {
      if (error instanceof OdsError) throw error;
      throw new OdsError("unavailable", String(error), { cause: error });
    });
    if (failed) throw failed;
    const outcomes = [...collected.matches].map(([code, resource]) =>
      this.#outcome(code, resource, collected.affiliations.get(code) ?? [])
    );
    return { seen: collected.seen.size, outcomes };
  }

  async fetchOne(code: string): Promise<FetchOutcome> {
    return (await this.fetchMany([code]))[0];
  }

  /**
   * `Organization?roleCode=RO76,RO98` pages (with `lastChangeDate=gt{since-1}` unless a
   * baseline) and their relationships: ceil(records / page size) requests, no per-record
   * fetch and no look-up of relationship targets (practices don't need their roles).
   */
  async gpPractices(since: string | null, onProgress?: OnProgress): Promise<ChangeSet> {
    if (since !== null) checkSince(since);
    const changed = since === null ? "" : `&lastChangeDate=gt${addDays(since, -1)}`;
    const query = `Organization?roleCode=${GP_ROLES.join(",")}${changed}` +
      `&_count=${this.#pageSize}&${REVINCLUDE}`;
    const what = since === null ? "FHIR GP practices" : `FHIR GP practices since ${since}`;
    const collected = await this.#search(query, () => true, what, onProgress);
    const outcomes = [...collected.matches].map(([code, resource]) =>
      this.#outcome(code, resource, collected.affiliations.get(code) ?? [])
    );
    return { seen: collected.seen.size, outcomes };
  }

  async countChangedOn(day: string): Promise<number> {
    checkSince(day);
    const what = `FHIR count of changes on ${day}`;
    const { body } = await this.#page(
      new URL(`Organization?lastChangeDate=${day}&_summary=count`, this.#base),
      what,
    );
    const parsed = parseFhirBundle(body);
    if (!parsed.ok) throw new OdsError("bad_response", `${what}: ${parsed.reason}`);
    if (parsed.bundle.total === null) throw new OdsError("bad_response", `${what}: no total`);
    return parsed.bundle.total;
  }

  async lookupSuccessions(
    codes: readonly string[],
    onProgress?: OnProgress,
  ): Promise<Map<string, SuccessionLookup>> {
    const distinct = [...new Set(codes.map(normalizeCode))].filter(isOdsCode);
    const system = encodeURIComponent(ODS_CODE_SYSTEM);
    const results = await mapWithProgress(
      distinct,
      async (code): Promise<[string, SuccessionLookup]> => {
        const what = `FHIR $lookup of ${code}`;
        const url = `CodeSystem/$lookup?system=${system}&code=${
          encodeURIComponent(code)
        }&property=*`;
        const res = await this.#http.getJson(new URL(url, this.#base));
        if (!res.ok) {
          const error = changeListError(res, what);
          if (error.kind === "auth" || error.kind === "unreachable") throw error;
          return [code, { ok: false, reason: error.message }];
        }
        const parsed = parseFhirSuccessions(res.body);
        return [code, parsed.ok ? parsed : { ok: false, reason: `${what}: ${parsed.reason}` }];
      },
      () => 1,
      distinct.length,
      onProgress,
    );
    return new Map(results);
  }

  async deletions(): Promise<DeletedRecord[]> {
    const what = "FHIR List/Organization-deletion";
    const { body } = await this.#page(new URL("List/Organization-deletion", this.#base), what);
    const parsed = parseFhirDeletionList(body);
    if (!parsed.ok) throw new OdsError("bad_response", `${what}: ${parsed.reason}`);
    return parsed.deleted;
  }

  async fetchMany(codes: readonly string[], onProgress?: OnProgress): Promise<FetchOutcome[]> {
    const wanted = codes.map(normalizeCode);
    const merged: Collected = { matches: new Map(), affiliations: new Map(), seen: new Set() };
    const distinct: string[] = [];
    for (const c of new Set(wanted)) {
      if (!isOdsCode(c)) continue;
      const known = this.#prefetched.get(c);
      if (known) {
        merged.matches.set(c, known.resource);
        merged.affiliations.set(c, known.affiliations);
      } else distinct.push(c);
    }
    const batchErrors = await this.#fetchBatches(distinct, merged, onProgress);
    const targetError = await this.#resolveTargets(merged);
    const byCode = new Map<string, FetchOutcome>();
    for (const code of wanted) {
      if (!byCode.has(code)) {
        byCode.set(code, this.#fetched(code, merged, batchErrors, targetError));
      }
    }
    return wanted.map((c) => byCode.get(c)!);
  }

  /**
   * Fetch `codes` in `_id=a,b,c` batches into `merged`; returns the error of each code whose
   * batch failed. Rethrows `auth` and `unreachable`.
   */
  async #fetchBatches(
    codes: readonly string[],
    merged: Collected,
    onProgress?: OnProgress,
  ): Promise<Map<string, string>> {
    const size = Math.min(this.#pageSize, ID_BATCH);
    const batches: string[][] = [];
    for (let i = 0; i < codes.length; i += size) batches.push(codes.slice(i, i + size));
    const batchErrors = new Map<string, string>();
    await mapWithProgress(
      batches,
      async (batch) => {
        const want = new Set(batch);
        try {
          const got = await this.#search(
            `Organization?_id=${
              batch.map(encodeURIComponent).join(",")
            }&_count=${size}&${REVINCLUDE}`,
            (c) => want.has(c),
            `FHIR fetch of ${batch.length} record(s)`,
          );
          for (const [c, r] of got.matches) merged.matches.set(c, r);
          for (const [c, a] of got.affiliations) merged.affiliations.set(c, a);
        } catch (error) {
          if (isFatal(error)) throw error;
          const reason = error instanceof Error ? error.message : String(error);
          for (const c of batch) batchErrors.set(c, reason);
        }
      },
      (b) => b.length,
      codes.length,
      onProgress,
    );
    return batchErrors;
  }

  /** The outcome for one requested code once its batch (and the targets) are in. */
  #fetched(
    code: string,
    merged: Collected,
    batchErrors: ReadonlyMap<string, string>,
    targetError: OdsError | null,
  ): FetchOutcome {
    if (!isOdsCode(code)) return { status: "not_found", code };
    const batchError = batchErrors.get(code);
    if (batchError !== undefined) return { status: "error", code, reason: batchError };
    const resource = merged.matches.get(code);
    if (resource === undefined) return { status: "not_found", code };
    const outcome = this.#outcome(code, resource, merged.affiliations.get(code) ?? []);
    if (targetError && outcome.status === "ok" && this.#hasUnresolved(outcome.record)) {
      return { status: "error", code, reason: targetError.message };
    }
    return outcome;
  }

  #outcome(code: string, resource: unknown, affiliations: readonly unknown[]): FetchOutcome {
    const parsed = parseFhirOrganization(resource, affiliations, {
      targetRole: (c) => this.#roles.get(c) ?? null,
    });
    if (!parsed.ok) return { status: "invalid", code, reason: parsed.reason };
    const contradiction = dateProblem(parsed.record);
    if (contradiction) return { status: "invalid", code, reason: contradiction };
    return { status: "ok", code, record: parsed.record };
  }

  #hasUnresolved(record: OdsRecord): boolean {
    return record.relationships.some((r) => !this.#roles.has(r.target));
  }

  /** Learn the primary role of every Organization on a page. */
  #learn(resource: unknown): void {
    const code = fhirOrganizationCode(resource);
    if (code) this.#roles.set(code, fhirPrimaryRole(resource));
  }

  /**
   * Look up the primary role of relationship targets not seen yet. Returns an error (rather
   * than throwing) for a failed lookup, unless it is `auth` or `unreachable`.
   */
  async #resolveTargets(collected: Collected): Promise<OdsError | null> {
    const unknown = new Set<string>();
    for (const [code, list] of collected.affiliations) {
      if (!collected.matches.has(code)) continue;
      for (const raw of list) {
        const target = participating(raw);
        if (target && !this.#roles.has(target)) unknown.add(target);
      }
    }
    const codes = [...unknown];
    const batches: string[][] = [];
    for (let i = 0; i < codes.length; i += ID_BATCH) batches.push(codes.slice(i, i + ID_BATCH));
    let failure: OdsError | null = null;
    await Promise.all(batches.map(async (batch) => {
      try {
        // With their affiliations: a target that turns out to be a new parent is then
        // already fetched.
        const got = await this.#search(
          `Organization?_id=${
            batch.map(encodeURIComponent).join(",")
          }&_count=${batch.length}&${REVINCLUDE}`,
          () => true,
          `FHIR lookup of ${batch.length} relationship target(s)`,
        );
        for (const [c, resource] of got.matches) {
          this.#prefetched.set(c, { resource, affiliations: got.affiliations.get(c) ?? [] });
        }
        // Asked for but not returned: ODS doesn't know it; remember that.
        for (const c of batch) if (!this.#roles.has(c)) this.#roles.set(c, null);
      } catch (error) {
        if (isFatal(error)) throw error;
        failure ??= error instanceof OdsError
          ? error
          : new OdsError("unavailable", String(error), { cause: error });
      }
    }));
    return failure;
  }

  /**
   * Follow a search through its `next` links. Every Organization teaches us a primary role;
   * matches for which `keep(code)` holds are collected with their affiliations.
   */
  async #search(
    first: string,
    keep: (code: string) => boolean,
    what: string,
    onProgress?: OnProgress,
  ): Promise<Collected> {
    const out: Collected = { matches: new Map(), affiliations: new Map(), seen: new Set() };
    const pending: unknown[] = [];
    const visited = new Set<string>();
    let url: URL | null = new URL(first, this.#base);
    let pages = 0;
    while (url) {
      if (visited.has(url.href) || ++pages > MAX_PAGES) {
        throw new OdsError("bad_response", `${what}: paging loops at ${url.href}`);
      }
      visited.add(url.href);
      const { body, at } = await this.#page(url, what);
      const parsed = parseFhirBundle(body);
      if (!parsed.ok) throw new OdsError("bad_response", `${what}: ${parsed.reason}`);
      for (const entry of parsed.bundle.entries) {
        if (entry.resourceType === "Organization") {
          this.#learn(entry.resource);
          if (entry.mode === "include") continue;
          const code = fhirOrganizationCode(entry.resource);
          if (!code) continue;
          out.seen.add(code);
          if (keep(code)) out.matches.set(code, entry.resource);
        } else if (entry.resourceType === "OrganizationAffiliation") {
          pending.push(entry.resource);
        }
      }
      onProgress?.(out.seen.size, Math.max(parsed.bundle.total ?? 0, out.seen.size));
      url = parsed.bundle.next ? this.#rebase(parsed.bundle.next, at) : null;
    }
    // Includes may come on any page; attach them once all pages are in.
    for (const raw of pending) {
      const source = affiliationSource(raw);
      if (source === null || !out.matches.has(source)) continue;
      const list = out.affiliations.get(source) ?? [];
      list.push(raw);
      out.affiliations.set(source, list);
    }
    return out;
  }

  /** GET one page; on 422 too-costly, retry it with half the `_count`. */
  async #page(url: URL, what: string): Promise<{ body: unknown; at: URL }> {
    let at = url;
    for (;;) {
      const res = await this.#http.getJson(at);
      if (res.ok) return { body: res.body, at };
      if (res.status === 422 && isTooCostly(res.body)) {
        const count = Number(at.searchParams.get("_count") ?? "20");
        if (Number.isFinite(count) && count > 1) {
          at = new URL(at);
          at.searchParams.set("_count", String(Math.max(1, Math.floor(count / 2))));
          continue;
        }
      }
      throw changeListError(res, what);
    }
  }

  /**
   * Resolve a `next` link against the page it came from. Links to another origin (a proxy that
   * didn't rewrite its backend host) are moved onto our base URL, so the API key never goes
   * elsewhere.
   */
  #rebase(link: string, from: URL): URL {
    const u = new URL(link, from);
    if (u.origin === this.#base.origin) return u;
    const resource = u.pathname.replace(/\/+$/, "").split("/").pop() ?? "";
    return new URL(`${resource}${u.search}`, this.#base);
  }
}

function participating(raw: unknown): string | null {
  if (raw === null || typeof raw !== "object") return null;
  const ref = (raw as Record<string, unknown>).participatingOrganization;
  return affiliationSource({ organization: ref });
}
