/**
 * The mixed-case style of boundary names (ICBs, health boards), as ONS writes them and the
 * original served them: "NHS Surrey and Sussex Integrated Care Board", where ODS writes "NHS
 * SURREY AND SUSSEX INTEGRATED CARE BOARD". Pure text helpers, no dependencies.
 *
 * @module
 */

/** Words kept in capitals: the abbreviations boundary names use. */
const ACRONYMS: ReadonlySet<string> = new Set(["NHS", "ICB", "CCG", "STP", "UK", "HSC"]);

/** Words written in lower case except at the start of a name (or of a hyphenated word). */
const MINOR_WORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "and",
  "at",
  "by",
  "for",
  "in",
  "of",
  "on",
  "the",
  "to",
  "upon",
  "with",
]);

/** One hyphen-separated part of a word, in the mixed-case style. */
function casePart(part: string, first: boolean): string {
  if (/[0-9]/.test(part)) return part; // a code ("S1Y5D"), not a word
  const bare = part.replace(/[^A-Za-z]/g, "");
  if (ACRONYMS.has(bare.toUpperCase())) return part.toUpperCase();
  const lower = part.toLowerCase();
  if (!first && MINOR_WORDS.has(bare.toLowerCase())) return lower;
  return lower.replace(/[a-z]/, (ch) => ch.toUpperCase());
}

/**
 * A name in the mixed-case style: each word capitalised, the minor words ("and", "of", "the",
 * "on"...) in lower case unless they start the name, abbreviations ("NHS") in capitals, and
 * hyphenated words cased part by part ("Stoke-on-Trent"); a part with a digit is a code and
 * kept as it is. A name that already has lower-case letters is returned as it is (it has a style
 * of its own).
 *
 * @example
 * ```ts
 * import { mixedCaseName } from "./names.ts";
 *
 * mixedCaseName("NHS SURREY AND SUSSEX INTEGRATED CARE BOARD");
 * // "NHS Surrey and Sussex Integrated Care Board"
 * mixedCaseName("NHS STAFFORDSHIRE AND STOKE-ON-TRENT INTEGRATED CARE BOARD");
 * // "NHS Staffordshire and Stoke-on-Trent Integrated Care Board"
 * mixedCaseName("NHS S1Y5D INTEGRATED CARE BOARD"); // "NHS S1Y5D Integrated Care Board"
 * mixedCaseName("Hywel Dda University Health Board"); // unchanged
 * ```
 */
export function mixedCaseName(name: string): string {
  if (/[a-z]/.test(name)) return name;
  let start = true;
  return name.replace(/\S+/g, (word) => {
    const cased = word.split("-").map((part, i) => casePart(part, start && i === 0));
    start = false;
    return cased.join("-");
  });
}

/**
 * Do two names differ only in letter case (and surrounding spaces)? Such a difference is a
 * change of style, not a rename: "NHS KENT AND MEDWAY INTEGRATED CARE BOARD" is the same name
 * as "NHS Kent and Medway Integrated Care Board".
 *
 * @example
 * ```ts
 * import { sameNameIgnoringCase } from "./names.ts";
 *
 * sameNameIgnoringCase(
 *   "NHS KENT AND MEDWAY INTEGRATED CARE BOARD",
 *   "NHS Kent and Medway Integrated Care Board",
 * ); // true
 * sameNameIgnoringCase("NHS Frimley Integrated Care Board", "NHS Surrey Integrated Care Board");
 * // false
 * ```
 */
export function sameNameIgnoringCase(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}
