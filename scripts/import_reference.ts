/**
 * Write `data/reference/` from the RCPCH reference lists (and the ONS boundary attributes the
 * RCPCH service carried): for each list the seed is built from, only the fields the seed uses,
 * under the project's field names, with a line saying where the facts come from (see
 * `scripts/seed/reference.ts` for the format).
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
  isCell,
  LIST_NAMES,
  type ListName,
  ORDER,
  type ReferenceFile,
  referenceFileOf,
  serializeReference,
  sourceLine,
  specOf,
} from "./seed/reference.ts";

/** The list's place in its source file, for messages: `file` or `file.section`. */
function sourceName(name: ListName): string {
  const { file, section } = specOf(name);
  return section ? `${file}.${section}` : file;
}

/**
 * Check one source row: every field the seed uses is a string, or a number for a numeric field
 * (or null where allowed).
 */
function checkSourceRow(name: ListName, row: unknown, i: number): Record<string, unknown> {
  const { fields, numeric } = specOf(name);
  if (!row || typeof row !== "object") throw new Error(`${sourceName(name)}[${i}]: not an object`);
  const r = row as Record<string, unknown>;
  for (const [own, given] of Object.entries(fields)) {
    if (isCell(name, own, r[given])) continue;
    const what = numeric?.includes(own) ? "a number" : "a string";
    throw new Error(`${sourceName(name)}[${i}].${given}: expected ${what}`);
  }
  return r;
}

/** The rows of list `name` in its parsed source file (the file itself, or one section of it). */
function sourceRows(name: ListName, source: unknown): unknown {
  const { section } = specOf(name);
  if (!section) return source;
  const holder = source as Record<string, unknown> | null;
  if (!holder || typeof holder !== "object" || Array.isArray(holder) || !(section in holder)) {
    throw new Error(`${specOf(name).file}: expected an object with a "${section}" list`);
  }
  return holder[section];
}

/**
 * The project's reference file for list `name`, from its parsed source file (the RCPCH list, or
 * the object holding it under the list's section): the fields the seed uses, renamed, rows in
 * the source's order, values as given. Throws naming the file, row and field when the list is
 * not as expected.
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
  const list = sourceRows(name, source);
  if (!Array.isArray(list)) throw new Error(`${sourceName(name)}: expected a JSON list`);
  const given = Object.values(specOf(name).fields);
  const rows = list.map((row, i) => {
    const r = checkSourceRow(name, row, i);
    return given.map((field) => r[field] as string | number | null);
  });
  return { source: sourceLine(name), order: ORDER, fields: fieldsOf(name), rows };
}

/** Every source file name, once each, in list order. */
const SOURCE_FILES = [...new Set(LIST_NAMES.map((l) => specOf(l).file))];

/**
 * The lists to import: all of them, or the ones named (by list name, source file name — which
 * names every list that file holds — or file name in `data/reference/`).
 *
 * @example
 * ```ts
 * import { listsNamed } from "./import_reference.ts";
 *
 * listsNamed(["trusts.json", "pzCodes"]); // ["trusts", "pzCodes"]
 * listsNamed(["ons_boundary_attributes.json"]).length; // 5
 * ```
 */
export function listsNamed(names: readonly string[]): ListName[] {
  if (!names.length) return [...LIST_NAMES];
  const out: ListName[] = [];
  for (const n of names) {
    const found = LIST_NAMES.filter((l) =>
      l === n || specOf(l).file === n || referenceFileOf(l) === n
    );
    if (!found.length) {
      throw new Error(`unknown reference list "${n}"; known: ${SOURCE_FILES.join(", ")}`);
    }
    for (const l of found) if (!out.includes(l)) out.push(l);
  }
  return out;
}

/**
 * Read list `name` from `dir` and return the project's file for it. Throws naming the path
 * when the file is missing or is not JSON.
 */
export async function importList(dir: string, name: ListName): Promise<string> {
  const { file } = specOf(name);
  const path = join(dir, file);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${path}: no such file (the RCPCH list ${file} is needed)`);
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
built from, and the ONS boundary attributes that service carried (ons_boundary_attributes.json,
one file of five lists), and writes each list to data/reference/ in the project's own format:
only the fields the seed uses, one row per line, with the source named. Then run
deno task build-seed.

Options:
  --from DIR   directory holding the RCPCH lists (required; relative to the working directory)
  --out DIR    where to write (default data/reference in the project)
  -h, --help   show this help

LIST: a list to import (default all), by source file name:
${wrap(SOURCE_FILES, 96, "  ")}
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
  for (const name of names) {
    files.push([join(out, referenceFileOf(name)), await importList(from, name)]);
  }
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
