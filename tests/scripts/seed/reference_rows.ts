/**
 * Rows of the project's reference lists (`data/reference/`), by code, for the seed builder
 * tests: real rows of the 2024 lists and the ONS tables, never invented ones.
 *
 * @module
 */
import { DEFAULT_FROM } from "../../../scripts/build_seed.ts";
import { readInputs } from "../../../scripts/seed/reference.ts";

/** Every reference list, as the seed builder reads it. */
export const inputs = await readInputs(DEFAULT_FROM);

/** The rows of `list` whose `field` is one of `codes`, in list order. */
export function rowsOf<T extends Record<string, unknown>>(
  list: readonly T[],
  field: keyof T,
  ...codes: string[]
): T[] {
  const found = list.filter((r) => codes.includes(String(r[field])));
  if (!found.length) throw new Error(`no row with ${String(field)} in ${codes.join(", ")}`);
  return found;
}
