/**
 * `GET /` for API clients: Django REST framework's API root, the router's route names to
 * absolute URLs (`{"organisations": "https://host/organisations/", ...}`). Browsers keep the
 * status page: the JSON root is served only to a request that prefers JSON (`Accept:
 * application/json`, a `.json` suffix or `?format=json`).
 *
 * @module
 */
import { honoPath, type RouteDef } from "./routes.ts";

/** The original's router prefixes (2024), in the order its DefaultRouter listed them. */
export const ORIGINAL_ROOT: readonly string[] = [
  "organisations",
  "organisations/limited",
  "trusts",
  "local_health_boards/extended",
  "local_health_boards/organisations",
  "integrated_care_boards/extended",
  "integrated_care_boards/organisations",
  "london_boroughs/extended",
  "london_boroughs/organisations",
  "nhs_england_regions/extended",
  "nhs_england_regions/organisations",
  "paediatric_diabetes_units/extended",
  "paediatric_diabetes_units/organisations",
  "paediatric_diabetes_units/parent",
];

/** The quality (`q`) of each media range of an `Accept` header, by range. */
function qualities(accept: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of accept.split(",").slice(0, 50)) {
    const [range, ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    if (!range) continue;
    const q = params.find((p) => p.startsWith("q="));
    const value = q ? Number(q.slice(2)) : 1;
    out.set(range, Number.isFinite(value) ? value : 0);
  }
  return out;
}

/**
 * Does a request with this `Accept` header prefer JSON to HTML? Only when it names JSON
 * (`application/json` or `application/*`) at least as high as HTML (`text/html` or `text/*`);
 * `*` alone, or no header, is not a preference (curl and `fetch` send `*` and keep the page).
 *
 * @example
 * ```ts
 * import { prefersJson } from "./root.ts";
 *
 * prefersJson("application/json"); // true
 * prefersJson("text/html,application/xhtml+xml,application/xml;q=0.9,*\/*;q=0.8"); // false
 * prefersJson("*\/*"); // false
 * ```
 */
export function prefersJson(accept: string | null | undefined): boolean {
  if (!accept) return false;
  const q = qualities(accept);
  const json = Math.max(q.get("application/json") ?? 0, q.get("application/*") ?? 0);
  const html = Math.max(q.get("text/html") ?? 0, q.get("text/*") ?? 0);
  return json > 0 && json >= html;
}

/**
 * The route names of the root: the original's first, then this service's other lists.
 *
 * @example
 * ```ts
 * import { rootNames } from "./root.ts";
 * import { ROUTES } from "./routes.ts";
 *
 * rootNames(ROUTES).slice(0, 2); // ["organisations", "organisations/limited"]
 * rootNames(ROUTES).includes("countries"); // true
 * ```
 */
export function rootNames(routes: readonly RouteDef[]): string[] {
  const names = [...ORIGINAL_ROOT];
  for (const r of routes) {
    if (r.mode !== "list") continue;
    const name = honoPath(r.path).replace(/^\//, "");
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The API root for a service at `base` (its origin and any path prefix, no trailing slash):
 * each route name with the absolute URL of its list, as DRF's DefaultRouter answers `/`.
 *
 * @example
 * ```ts
 * import { apiRoot } from "./root.ts";
 * import { ROUTES } from "./routes.ts";
 *
 * apiRoot("https://api.example/v1", ROUTES).organisations;
 * // "https://api.example/v1/organisations/"
 * ```
 */
export function apiRoot(base: string, routes: readonly RouteDef[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of rootNames(routes)) out[name] = `${base}/${name}/`;
  return out;
}
