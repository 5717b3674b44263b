/**
 * The parts FHIR searches share: `_count`/`_offset` paging, searchset Bundles with their `self`
 * and `next` links, code lists (`system|code`, comma = OR) and the HAPI unknown-parameter error.
 *
 * @module
 */

import { type FhirContext, operationOutcome } from "./fhir_context.ts";
import type { SimResponse } from "./response.ts";

/** One Bundle entry. */
export type Entry = Record<string, unknown>;

/** A search's page: `count` resources from `offset`. */
export interface Page {
  count: number;
  offset: number;
}

/**
 * The HAPI-0524 400 of a search parameter the resource type doesn't have.
 *
 * @example
 * ```ts
 * import { unknownParam } from "./fhir_bundle.ts";
 * import { equal } from "node:assert/strict";
 * equal(unknownParam("count", "Organization", new Set(["_count"])).status, 400);
 * ```
 */
export function unknownParam(name: string, type: string, valid: Set<string>): SimResponse {
  return operationOutcome(
    400,
    "processing",
    `HAPI-0524: Unknown search parameter "${name}" for resource type "${type}". ` +
      `Valid search parameters for this search are: [${[...valid].sort().join(", ")}]`,
  );
}

function stripSystem(v: string): string {
  const i = v.lastIndexOf("|");
  return (i >= 0 ? v.slice(i + 1) : v).trim();
}

/**
 * The codes of a comma-separated list, without their `system|` prefixes.
 *
 * @example
 * ```ts
 * import { codesList } from "./fhir_bundle.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(codesList("https://fhir.nhs.uk/Id/ods-organization-code|RWR, RJY"), ["RWR", "RJY"]);
 * ```
 */
export function codesList(v: string): string[] {
  return v.split(",").map(stripSystem).filter((s) => s);
}

/**
 * The `_count` and `_offset` of a search (a HAPI-1935 400 when not whole numbers).
 *
 * @example
 * ```ts
 * import { paging } from "./fhir_bundle.ts";
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(paging(new URL("http://sim/fhir/Organization?_count=2&_offset=4"), 20), {
 *   ok: true,
 *   count: 2,
 *   offset: 4,
 * });
 * ```
 */
export function paging(
  url: URL,
  defaultCount: number,
): ({ ok: true } & Page) | { ok: false; res: SimResponse } {
  const c = url.searchParams.get("_count");
  const o = url.searchParams.get("_offset");
  if ((c !== null && !/^\d+$/.test(c)) || (o !== null && !/^\d+$/.test(o))) {
    return {
      ok: false,
      res: operationOutcome(400, "invalid", `HAPI-1935: Invalid _count/_offset: ${c ?? o}`),
    };
  }
  return {
    ok: true,
    count: c === null ? defaultCount : Number(c),
    offset: o === null ? 0 : Number(o),
  };
}

function link(base: string, url: URL, offset: number | null, count: number): string {
  const params = [...url.searchParams].filter(([k]) => k !== "_offset" && k !== "_count");
  params.push(["_count", String(count)]);
  if (offset !== null && offset > 0) params.push(["_offset", String(offset)]);
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${base}?${new URLSearchParams(params).toString()}`;
}

/** What a search found: the page asked for, the total and the entries to send. */
export interface SearchResult {
  type: string;
  total: number;
  page: Page;
  entries: Entry[];
  /** `_summary=count`: the total only. */
  summaryCount: boolean;
}

/**
 * A searchset Bundle with its `self` (and `next`) links.
 *
 * @example
 * ```ts
 * import { bundle } from "./fhir_bundle.ts";
 * import { defaultFhirConfig, WindowLimiter } from "./fhir_context.ts";
 * import { OdsDataset } from "./dataset.ts";
 * import { equal } from "node:assert/strict";
 * const ctx = {
 *   dataset: new OdsDataset({ today: () => "2025-06-10" }),
 *   fhirBaseUrl: "http://sim/fhir",
 *   config: defaultFhirConfig(),
 *   limiter: new WindowLimiter(),
 *   loadedAt: "2025-06-10T01:30:00+00:00",
 * };
 * const url = new URL("http://sim/fhir/Organization?_count=2");
 * const b = bundle(ctx, url, {
 *   type: "Organization",
 *   total: 5,
 *   page: { count: 2, offset: 0 },
 *   entries: [],
 *   summaryCount: false,
 * });
 * equal((b.link as { relation: string }[])[1].relation, "next");
 * ```
 */
export function bundle(ctx: FhirContext, url: URL, r: SearchResult): Record<string, unknown> {
  const { count, offset } = r.page;
  const base = `${ctx.fhirBaseUrl}/${r.type}`;
  const links: Record<string, unknown>[] = [{
    relation: "self",
    url: link(base, url, offset, count),
  }];
  if (!r.summaryCount && offset + count < r.total && count > 0) {
    links.push({ relation: "next", url: link(base, url, offset + count, count) });
  }
  const b: Record<string, unknown> = {
    resourceType: "Bundle",
    id: crypto.randomUUID(),
    meta: { lastUpdated: new Date().toISOString().replace("Z", "+00:00") },
    type: "searchset",
    total: r.total,
    link: links,
  };
  if (!r.summaryCount && r.entries.length > 0) b.entry = r.entries;
  return b;
}
