/**
 * The organisation browser's search and filters, and paging. Pure functions over records.
 *
 * @module
 */
import type { Organisation, PaediatricDiabetesUnit } from "../model.ts";

/** What the search form asks for. Empty strings mean "any". */
export interface OrgQuery {
  /** Name words, an ODS code (or its start) or a postcode (or its start). */
  q: string;
  /** Parent trust or Welsh local health board code. */
  trust: string;
  icb: string;
  region: string;
  /** Paediatric diabetes unit (PZ code). */
  pdu: string;
  /** Paediatric diabetes network (PN code), through the organisation's PDU. */
  network: string;
  /** OPEN UK network code. */
  openuk: string;
  active: "" | "true" | "false";
  /** 1-based page number. */
  page: number;
}

/** The filter fields of {@linkcode OrgQuery}, in form order. */
export const FILTER_FIELDS = ["trust", "icb", "region", "pdu", "network", "openuk"] as const;

const MAX_TEXT = 100;

/**
 * Read a query from URL parameters; anything malformed reads as "any".
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { parseOrgQuery, queryString } from "./filters.ts";
 *
 * const url = new URL("http://localhost/ui/organisations?q=+Addenbrooke++&icb=qe1&active=maybe");
 * const query = parseOrgQuery((name) => url.searchParams.get(name));
 * equal(query.q, "Addenbrooke");
 * equal(query.icb, "QE1");
 * equal(query.active, ""); // not "true" or "false": any
 * equal(queryString(query, { page: 2 }), "?q=Addenbrooke&icb=QE1&page=2");
 * ```
 */
export function parseOrgQuery(get: (name: string) => string | undefined | null): OrgQuery {
  const text = (name: string) => (get(name) ?? "").trim().slice(0, MAX_TEXT);
  const code = (name: string) => {
    const v = text(name).toUpperCase();
    return /^[A-Z0-9]{1,12}$/.test(v) ? v : "";
  };
  const active = text("active");
  const page = Number(text("page"));
  return {
    q: text("q").replace(/\s+/g, " "),
    trust: code("trust"),
    icb: code("icb"),
    region: code("region"),
    pdu: code("pdu"),
    network: code("network"),
    openuk: code("openuk"),
    active: active === "true" || active === "false" ? active : "",
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/** The query as URL parameters (empty fields left out), for links such as paging. */
export function queryString(query: OrgQuery, overrides: Partial<OrgQuery> = {}): string {
  const merged = { ...query, ...overrides };
  const params = new URLSearchParams();
  for (const key of ["q", ...FILTER_FIELDS, "active"] as const) {
    if (merged[key]) params.set(key, merged[key]);
  }
  if (merged.page > 1) params.set("page", String(merged.page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

const squash = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "");
const words = (s: string) => s.toUpperCase().split(/[^A-Z0-9']+/).filter(Boolean);

/**
 * How well an organisation matches the search text: 3 exact ODS code, 2 code or postcode
 * starts with it, 1 every word is in the name, 0 no match. An empty search matches everything.
 */
export function textScore(org: Organisation, q: string): number {
  if (!q) return 1;
  const code = squash(q);
  if (code && org.ods_code.toUpperCase() === code) return 3;
  if (code.length >= 2) {
    if (org.ods_code.toUpperCase().startsWith(code)) return 2;
    if (org.postcode && squash(org.postcode).startsWith(code)) return 2;
  }
  const wanted = words(q);
  if (!wanted.length) return 0;
  const name = org.name.toUpperCase();
  return wanted.every((w) => name.includes(w)) ? 1 : 0;
}

/**
 * The organisations matching `query`, best text matches first, then by name and code.
 *
 * @param query read from the URL with {@linkcode parseOrgQuery}.
 * @param units PDUs by PZ code, for the network filter.
 */
export function filterOrganisations(
  orgs: readonly Organisation[],
  query: OrgQuery,
  units: ReadonlyMap<string, PaediatricDiabetesUnit>,
): Organisation[] {
  const scored: [Organisation, number][] = [];
  for (const o of orgs) {
    if (query.trust && o.trust_code !== query.trust && o.local_health_board_code !== query.trust) {
      continue;
    }
    if (query.icb && o.integrated_care_board_code !== query.icb) continue;
    if (query.region && o.nhs_england_region_code !== query.region) continue;
    if (query.pdu && o.paediatric_diabetes_unit_code !== query.pdu) continue;
    if (query.network) {
      const unit = o.paediatric_diabetes_unit_code
        ? units.get(o.paediatric_diabetes_unit_code)
        : undefined;
      if (unit?.paediatric_diabetes_network_code !== query.network) continue;
    }
    if (query.openuk && o.openuk_network_code !== query.openuk) continue;
    if (query.active && String(o.active) !== query.active) continue;
    const score = textScore(o, query.q);
    if (score > 0) scored.push([o, score]);
  }
  scored.sort((a, b) =>
    b[1] - a[1] || a[0].name.localeCompare(b[0].name, "en-GB") ||
    a[0].ods_code.localeCompare(b[0].ods_code)
  );
  return scored.map(([o]) => o);
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  /** The page shown (clamped to the last page). */
  page: number;
  pages: number;
  total: number;
  /** 1-based positions of the first and last item shown (0 when empty). */
  from: number;
  to: number;
}

/** Cut page `page` (1-based, clamped) of `size` items from `items`. */
export function paginate<T>(items: readonly T[], page: number, size: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(1, Math.floor(page)), pages);
  const start = (p - 1) * size;
  const slice = items.slice(start, start + size);
  return {
    items: slice,
    page: p,
    pages,
    total: items.length,
    from: slice.length ? start + 1 : 0,
    to: start + slice.length,
  };
}
