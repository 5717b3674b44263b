/**
 * The relative imports of a source file, read from its text (comments stripped, so JSDoc
 * examples don't count).
 *
 * @module
 */

const IMPORT = /(?:^|[\s;}])(?:import|export)\s[^;"'`]*?from\s*["']([^"']+)["']/g;
const BARE_IMPORT = /(?:^|[\s;}])import\s*["']([^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/**
 * The source text without its comments (block comments and whole-line `//` comments).
 *
 * @example
 * ```ts
 * import { stripComments } from "./imports.ts";
 * const text = stripComments('/** x *\/\nconst a = "//b"; // c\n// d\n');
 * if (text.includes("x") || text.includes("d")) throw new Error("comment kept");
 * if (!text.includes('"//b"')) throw new Error("string lost");
 * ```
 */
export function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/**
 * Every module specifier a file imports or re-exports, in order of appearance.
 *
 * @example
 * ```ts
 * import { importSpecifiers } from "./imports.ts";
 * const specs = importSpecifiers('import { a } from "./a.ts";\nexport * from "../b.ts";\n');
 * if (specs.join() !== "./a.ts,../b.ts") throw new Error(specs.join());
 * ```
 */
export function importSpecifiers(source: string): string[] {
  const text = stripComments(source);
  const found: { at: number; spec: string }[] = [];
  for (const pattern of [IMPORT, BARE_IMPORT, DYNAMIC_IMPORT]) {
    for (const m of text.matchAll(pattern)) found.push({ at: m.index, spec: m[1] });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.spec);
}

/**
 * Resolves a relative specifier against the importing file (both repository-relative, with `/`).
 * Returns `null` for bare specifiers (`hono`, `npm:…`, `node:…`).
 *
 * @example
 * ```ts
 * import { resolveRelative } from "./imports.ts";
 * if (resolveRelative("lib/api/x.ts", "../model.ts") !== "lib/model.ts") throw new Error();
 * if (resolveRelative("lib/api/x.ts", "hono") !== null) throw new Error();
 * ```
 */
export function resolveRelative(from: string, spec: string): string | null {
  if (!spec.startsWith("./") && !spec.startsWith("../")) return null;
  const parts = from.split("/").slice(0, -1);
  for (const part of spec.split("/")) {
    if (part === ".." && parts.length && parts.at(-1) !== "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}
