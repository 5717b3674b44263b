/**
 * Point geometry as the original served it: an organisation's `geocode_coordinates` in EWKT,
 * `SRID=4326;POINT (longitude latitude)`, the SRID of the original's later fix (its 2024
 * answers said 27700 for the same WGS84 numbers).
 *
 * @module
 */

/**
 * A coordinate as GEOS writes it in trimmed WKT: the shortest decimal that reads back as the
 * same number, never in exponent notation.
 *
 * @example
 * ```ts
 * import { wktNumber } from "./geo.ts";
 *
 * wktNumber(0.140753239); // "0.140753239"
 * wktNumber(-2.1122); // "-2.1122"
 * wktNumber(1e-7); // "0.0000001"
 * ```
 */
export function wktNumber(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  const [mantissa, exp] = text.toLowerCase().split("e");
  const power = Number(exp);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const [whole, fraction = ""] = mantissa.replace("-", "").split(".");
  const digits = whole + fraction;
  const point = whole.length + power;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The EWKT point of a latitude and longitude, or `null` when either is missing.
 *
 * @example
 * ```ts
 * import { ewktPoint } from "./geo.ts";
 *
 * ewktPoint(52.17513275, 0.140753239); // "SRID=4326;POINT (0.140753239 52.17513275)"
 * ewktPoint(null, 0.140753239); // null
 * ```
 */
export function ewktPoint(latitude: number | null, longitude: number | null): string | null {
  if (latitude === null || longitude === null) return null;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  return `SRID=4326;POINT (${wktNumber(longitude)} ${wktNumber(latitude)})`;
}
