/**
 * Address lines from a source that can't say which line is which. ORD names its lines (`AddrLn1`
 * to `AddrLn3`, any of them absent); the FHIR address is a list (`line`) with the absent ones
 * left out, so `["ST JOHN'S HOUSE", "UPTON"]` may be lines 1 and 2, 1 and 3, or 2 and 3. The
 * stored lines decide: of the ways to place the lines in order, the one that agrees best with
 * what is stored (a line equal to the stored one at its place, ignoring case; an empty stored line
 * left empty) wins, the first (lines 1, 2 …) on a tie. A record new to the store takes the first.
 *
 * @module
 */

/** Three address lines, `null` when absent. */
export type Lines = [string | null, string | null, string | null];

/** Increasing placements of `k` lines into three positions, first (most compact) first. */
function placements(k: number): number[][] {
  const out: number[][] = [];
  const walk = (from: number, taken: number[]) => {
    if (taken.length === k) return void out.push(taken);
    for (let p = from; p < 3; p++) walk(p + 1, [...taken, p]);
  };
  walk(0, []);
  return out;
}

const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/**
 * Place `given` (the non-empty lines in order, at most three) where `stored` says they are.
 * A stored position that is `undefined` is unknown (the store doesn't keep it) and never agrees.
 *
 * @example
 * ```ts
 * import { placeLines } from "./address_lines.ts";
 *
 * placeLines(["ST JOHN'S HOUSE", "UPTON"], ["ST JOHN'S HOUSE", "", "UPTON"]);
 * // ["ST JOHN'S HOUSE", null, "UPTON"]
 * placeLines(["ST JOHN'S HOUSE", "UPTON"], [undefined, undefined, undefined]);
 * // ["ST JOHN'S HOUSE", "UPTON", null]
 * ```
 */
export function placeLines(
  given: readonly string[],
  stored: readonly (string | null | undefined)[],
): Lines {
  const lines = given.slice(0, 3);
  let best: Lines = [null, null, null];
  let bestScore = -1;
  for (const at of placements(lines.length)) {
    const placed: Lines = [null, null, null];
    at.forEach((p, i) => placed[p] = lines[i]);
    let score = 0;
    for (let p = 0; p < 3; p++) {
      const s = stored[p];
      if (s === undefined) continue;
      const here = placed[p];
      if (here === null ? !s : s !== null && same(s, here)) score++;
    }
    if (score > bestScore) {
      best = placed;
      bestScore = score;
    }
  }
  return best;
}
