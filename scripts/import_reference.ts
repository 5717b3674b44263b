/**
 * Write `data/reference/` from the RCPCH reference lists: for each list the seed is built from,
 * only the fields the seed uses, under the project's field names, with a line saying where the
 * facts come from (see `scripts/seed/reference.ts` for the format).
 *
 * ```sh
 * deno task import-reference --from DIR            # DIR holds the RCPCH lists (JSON)
 * deno task import-reference --from DIR trusts     # only some lists
 * ```
 *
 * The conversion is the pure {@linkcode toReferenceFile}; `main` reads and writes files.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  fieldsOf,
  LIST_NAMES,
  type ListName,
  LISTS,
  ORDER,
  type ReferenceFile,
  serializeReference,
  sourceLine,
} from "./seed/reference.ts";

/** Check one source row: every field the seed uses is a string (or null where allowed). */
function checkSourceRow(name: ListName, row: unknown, i: number): Record<string, unknown> {
  const { file, fields, nullable } = LISTS[name];
  if (!row || typeof row !== "object") throw new Error(`${file}[${i}]: not an object`);
  const r = row as Record<string, unknown>;
  for (const [own, given] of Object.entries(fields)) {
    const value = r[given];
    const allowed = typeof value === "string" ||
      (value === null && (nullable as readonly string[]).includes(own));
    if (!allowed) throw new Error(`${file}[${i}].${given}: expected a string`);
  }
  return r;
}

/**
 * The project's reference file for list `name`, from the parsed RCPCH list: the fields the
 * seed uses, renamed, rows in the source's order, values as given. Throws naming the file, row
 * and field when the list is not as expected.
 *
 * @example
 * ```ts
 * import { toReferenceFile } from "./import_reference.ts";
 *
 * const file = toReferenceFile("pzCodes", [{ ods_code: "RM102", npda_code: "PZ002", x: "1" }]);
 * file.fields; // ["ods_code", "pz_code"]
 * file.rows; // [["RM102", "PZ002"]]
 * ```
 */
export function toReferenceFile(name: ListName, source: unknown): ReferenceFile {
  if (!Array.isArray(source)) throw new Error(`${LISTS[name].file}: expected a JSON list`);
  const given = Object.values(LISTS[name].fields) as string[];
  const rows = source.map((row, i) => {
    const r = checkSourceRow(name, row, i);
    return given.map((field) => r[field] as string | null);
  });
  return { source: sourceLine(name), order: ORDER, fields: fieldsOf(name), rows };
}

/**
 * The lists to import: all of them, or the ones named (by list name or file name).
 *
 * @example
 * ```ts
 * import { listsNamed } from "./import_reference.ts";
 *
 * listsNamed(["trusts.json", "pzCodes"]); // ["trusts", "pzCodes"]
 * ```
 */
export function listsNamed(names: readonly string[]): ListName[] {
  if (!names.length) return [...LIST_NAMES];
  return names.map((n) => {
    const found = LIST_NAMES.find((l) => l === n || LISTS[l].file === n);
    if (!found) {
      throw new Error(
        `unknown reference list "${n}"; known: ${LIST_NAMES.map((l) => LISTS[l].file).join(", ")}`,
      );
    }
    return found;
  });
}

/**
 * Read list `name` from `dir` and return the project's file for it. Throws naming the path
 * when the file is missing or is not JSON.
 */
export async function importList(dir: string, name: ListName): Promise<string> {
  const path = join(dir, LISTS[name].file);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${path}: no such file (the RCPCH list ${LISTS[name].file} is needed)`);
    }
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return serializeReference(toReferenceFile(name, parsed));
}

/** `words` joined with ", " in lines of at most `width` characters, each after `indent`. */
function wrap(words: readonly string[], width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const [i, word] of words.entries()) {
    const piece = word + (i < words.length - 1 ? "," : "");
    if (line && indent.length + line.length + 1 + piece.length > width) {
      lines.push(indent + line);
      line = piece;
    } else line = line ? `${line} ${piece}` : piece;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

const HELP = `Write data/reference/ (the project's reference lists) from the RCPCH lists.

Usage: deno task import-reference --from DIR [--out DIR] [LIST ...]

Reads, from DIR, the RCPCH rcpch-nhs-organisations reference lists (October 2024) the seed is
built from, and writes each to data/reference/ in the project's own format: only the fields the
seed uses, one row per line, with the source named. Then run deno task build-seed.

Options:
  --from DIR   directory holding the RCPCH lists (required; relative to the working directory)
  --out DIR    where to write (default data/reference in the project)
  -h, --help   show this help

LIST: a list to import (default all), by file name:
${wrap(LIST_NAMES.map((l) => LISTS[l].file), 96, "  ")}
`;

/** Project root (the directory holding deno.json). */
const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));

function resolvePath(path: string): string {
  return isAbsolute(path) ? path : join(Deno.cwd(), path);
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.from) {
    console.error(`import-reference: --from DIR is required\n\n${HELP}`);
    return 2;
  }
  const from = resolvePath(values.from);
  const out = values.out ? resolvePath(values.out) : join(PROJECT_ROOT, "data/reference");
  const names = listsNamed(positionals);
  const files: [string, string][] = [];
  for (const name of names) files.push([join(out, LISTS[name].file), await importList(from, name)]);
  await Deno.mkdir(out, { recursive: true });
  for (const [path, content] of files) await Deno.writeTextFile(path, content);
  console.log(JSON.stringify({ msg: "reference imported", from, out, lists: names.length }));
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(`import-reference: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
