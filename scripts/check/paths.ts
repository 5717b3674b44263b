/**
 * The self-contained rule: no file refers to a path outside the repository (a relative path that
 * climbs above the root, or an absolute path into this workplace).
 *
 * @module
 */

import { resolveRelative } from "./imports.ts";

const RELATIVE = /(?<![\w.\/-])((?:\.\.\/)+)([\w@.-][\w@.\/-]*)?/g;
const WORKPLACE = /(?<![\w.-])\/work\/[\w.-]+/g;

/**
 * The references in one file's text that point outside the repository, with their line numbers.
 * `path` is the file's repository-relative path.
 *
 * @example
 * ```ts
 * import { outsidePaths } from "./paths.ts";
 * const found = outsidePaths("tests/a_test.ts", 'read("../../elsewhere/x.json");\nread("../lib/y.ts");');
 * if (found.length !== 1 || found[0].line !== 1) throw new Error(JSON.stringify(found));
 * ```
 */
export function outsidePaths(path: string, text: string): { line: number; ref: string }[] {
  const found: { line: number; ref: string }[] = [];
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    for (const m of line.matchAll(RELATIVE)) {
      const ref = m[1] + (m[2] ?? "");
      if (resolveRelative(path, ref)?.startsWith("..")) found.push({ line: i + 1, ref });
    }
    for (const m of line.matchAll(WORKPLACE)) found.push({ line: i + 1, ref: m[0] });
  }
  return found;
}
