/**
 * The ORD organisation search (`GET /organisations?…`), paged: at most `Limit=1000` rows a page,
 * `X-Total-Count` the number of matches, `Next-Page` the absolute URL of the next page (absent
 * on the last). `Offset=0` is refused with a 406, so the first page is asked for without one and
 * the following pages are the `Next-Page` links. The codes collected must add up to
 * `X-Total-Count`: fewer is an error (a missed page would be missed changes).
 *
 * @module
 */
import type { HttpClient } from "./http.ts";
import { codeFromOrgLink } from "./ord.ts";
import { isOdsCode, normalizeCode } from "./record.ts";
import { changeListError, OdsError } from "./source_base.ts";

/** ORD's largest page. */
export const ORD_SEARCH_LIMIT = 1000;

/** Pages followed at most (15,000 practices are 15 pages). */
const MAX_PAGES = 10_000;

/** One search page: its codes, the total it announces and the next page's link. */
export interface SearchPage {
  codes: string[];
  total: number;
  next: string | null;
}

/** A search row's code: its `OrgId` (a string in summaries), else the end of its `OrgLink`. */
function rowCode(row: unknown): string | null {
  if (row === null || typeof row !== "object") return null;
  const o = row as Record<string, unknown>;
  if (typeof o.OrgId === "string") {
    const code = normalizeCode(o.OrgId);
    return isOdsCode(code) ? code : null;
  }
  return typeof o.OrgLink === "string" ? codeFromOrgLink(o.OrgLink) : null;
}

/**
 * Parse one search page (`{"Organisations":[summary…]}` and its headers). Fails closed: a row
 * without a code, a body of another shape or no usable `X-Total-Count` is an error.
 *
 * @example
 * ```ts
 * import { parseOrdSearchPage } from "./ord_search.ts";
 *
 * const page = parseOrdSearchPage(
 *   { Organisations: [{ OrgId: "G81086", PrimaryRoleId: "RO177" }] },
 *   new Headers({ "X-Total-Count": "1" }),
 * );
 * page.ok && page.page.codes; // ["G81086"]
 * ```
 */
export function parseOrdSearchPage(
  body: unknown,
  headers: Headers,
): { ok: true; page: SearchPage } | { ok: false; reason: string } {
  const o = body !== null && typeof body === "object" && !Array.isArray(body)
    ? body as Record<string, unknown>
    : null;
  if (!o || (Object.keys(o).length > 0 && !("Organisations" in o))) {
    return { ok: false, reason: "not a search body (no Organisations)" };
  }
  const raw = o.Organisations;
  const rows = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const codes: string[] = [];
  for (const [i, row] of rows.entries()) {
    const code = rowCode(row);
    if (code === null) return { ok: false, reason: `Organisations[${i}] has no ODS code` };
    codes.push(code);
  }
  const total = Number(headers.get("X-Total-Count") ?? NaN);
  if (!Number.isInteger(total) || total < 0) {
    return { ok: false, reason: "no usable X-Total-Count" };
  }
  return { ok: true, page: { codes, total, next: headers.get("Next-Page") } };
}

/**
 * A `Next-Page` link resolved against the page it came from, moved onto `base` when it names
 * another origin (a proxy that didn't rewrite its backend host).
 *
 * @example
 * ```ts
 * import { nextPageUrl } from "./ord_search.ts";
 *
 * nextPageUrl(
 *   "http://backend:8080/ORD/2-0-0/organisations?Roles=RO76&Limit=1000&Offset=1000",
 *   "https://ods.example/ORD/2-0-0",
 * ); // "https://ods.example/ORD/2-0-0/organisations?Roles=RO76&Limit=1000&Offset=1000"
 * ```
 */
export function nextPageUrl(link: string, base: string): string {
  const u = new URL(link, `${base}/organisations`);
  const b = new URL(base);
  if (u.origin === b.origin) return u.href;
  return `${base.replace(/\/+$/, "")}/organisations${u.search}`;
}

/**
 * Every code an ORD search matches: the first page without `Offset`, then the `Next-Page`
 * links; the distinct codes must be at least `X-Total-Count`. Throws {@linkcode OdsError}
 * (`window` for a refused `LastChangeDate`).
 *
 * @example
 * ```ts
 * import { HttpClient } from "./http.ts";
 * import { searchAllCodes } from "./ord_search.ts";
 *
 * const server = Deno.serve({ port: 0, onListen: () => {} }, () =>
 *   Response.json({ Organisations: [{ OrgId: "G81086" }] }, {
 *     headers: { "X-Total-Count": "1" },
 *   }));
 * const base = `http://127.0.0.1:${server.addr.port}/ORD/2-0-0`;
 * const http = new HttpClient({ rateLimit: 100, concurrency: 1, timeoutMs: 2000, retries: 0,
 *   userAgent: "example" });
 * await searchAllCodes(http, base, "Roles=RO76&Limit=1000", "example"); // ["G81086"]
 * await server.shutdown();
 * ```
 */
export async function searchAllCodes(
  http: HttpClient,
  base: string,
  query: string,
  what: string,
): Promise<string[]> {
  const seen = new Set<string>();
  const visited = new Set<string>();
  let url: string | null = `${base}/organisations?${query}`;
  let total = 0;
  while (url) {
    if (visited.has(url) || visited.size >= MAX_PAGES) {
      throw new OdsError("bad_response", `${what}: paging loops at ${url}`);
    }
    visited.add(url);
    const res = await http.getJson(url);
    if (!res.ok) {
      if (res.status === 406 && query.includes("LastChangeDate=")) {
        throw new OdsError("window", `${what}: ORD refused the LastChangeDate (HTTP 406)`, {
          status: 406,
        });
      }
      throw changeListError(res, what);
    }
    const parsed = parseOrdSearchPage(res.body, res.headers);
    if (!parsed.ok) throw new OdsError("bad_response", `${what}: ${parsed.reason}`);
    for (const code of parsed.page.codes) seen.add(code);
    total = parsed.page.total;
    url = parsed.page.next ? nextPageUrl(parsed.page.next, base) : null;
  }
  if (seen.size < total) {
    throw new OdsError(
      "bad_response",
      `${what}: ${seen.size} codes over ${visited.size} page(s), but X-Total-Count says ${total}`,
    );
  }
  return [...seen];
}
