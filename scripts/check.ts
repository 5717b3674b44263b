/**
 * `deno task check`: the static checks CI runs before the tests. Format, lint (with the
 * project's own rules in scripts/lint/house.ts), type check, the layer rule and the
 * self-contained rule. Changes nothing.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { importSpecifiers, resolveRelative } from "./check/imports.ts";
import { cycles, importProblem } from "./check/layers.ts";
import { outsidePaths } from "./check/paths.ts";

const HELP = `Usage: deno task check [--only NAME]

Runs the static checks, in order, and changes nothing:
  fmt       deno fmt --check (formatting)
  lint      deno lint (recommended rules and house/function-length)
  types     deno check of the entry files, lib/, testing/, tests/, scripts/, bench/, reliability/
  layers    lib/ imports downward only (see docs/development.md), no import cycles, the harness
            (testing/, tests/, bench/, reliability/) is never imported by lib/
  paths     no file refers to a path outside the repository
  locks     deno.lock (the default lockfile: start, seed, sync and merge) holds exactly what
            those commands import, so a start fetches no test or benchmark package (those are
            in deno.dev.lock)

Options:
  --only NAME   run one check (fmt, lint, types, layers, paths, locks)
  -h, --help    this text

Exit codes: 0 every check passed, 1 a check failed, 2 usage error.`;

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const TYPE_ROOTS = [
  "main.ts",
  "sync.ts",
  "merge.ts",
  "api.ts",
  "lib/",
  "testing/",
  "tests/",
  "scripts/",
  "bench/",
  "reliability/",
];
const SKIP = /^(\.git|node_modules|bench\/tmp|tests\/tmp|tmp)(\/|$)/;
const SOURCE = /\.(ts|tsx)$/;
const TEXT = /\.(ts|tsx|js|json|jsonc|md|yaml|yml|sh|txt)$|^\.ci\/|^\.deno-version$/;

/** The repository's files (tracked and untracked, not ignored), repository-relative. */
async function repoFiles(): Promise<string[]> {
  try {
    const out = await new Deno.Command("git", {
      args: ["ls-files", "-co", "--exclude-standard"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "null",
    }).output();
    if (out.success) {
      return new TextDecoder().decode(out.stdout).split("\n").filter((f) => f && exists(f));
    }
  } catch {
    // no git: walk the tree
  }
  return walk("");
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(`${ROOT}/${path}`).isFile;
  } catch {
    return false;
  }
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const e of Deno.readDirSync(`${ROOT}/${dir}`)) {
    const path = dir ? `${dir}/${e.name}` : e.name;
    if (SKIP.test(path)) continue;
    if (e.isDirectory) files.push(...walk(path));
    else if (e.isFile) files.push(path);
  }
  return files;
}

async function deno(args: string[]): Promise<boolean> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  });
  return (await cmd.spawn().status).success;
}

async function layers(files: string[]): Promise<boolean> {
  const graph = new Map<string, string[]>();
  const problems: string[] = [];
  for (const file of files.filter((f) => SOURCE.test(f))) {
    const text = await Deno.readTextFile(`${ROOT}/${file}`);
    const targets: string[] = [];
    for (const spec of importSpecifiers(text)) {
      const to = resolveRelative(file, spec);
      if (!to || to === file) continue;
      targets.push(to);
      const problem = importProblem(file, to);
      if (problem) problems.push(`${file} imports ${spec}: ${problem}`);
    }
    graph.set(file, targets);
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle: ${cycle.join(" → ")}`);
  for (const p of problems) console.error(`  ${p}`);
  return problems.length === 0;
}

async function paths(files: string[]): Promise<boolean> {
  let ok = true;
  for (const file of files.filter((f) => TEXT.test(f) && !f.startsWith("data/seed"))) {
    const text = await Deno.readTextFile(`${ROOT}/${file}`);
    for (const { line, ref } of outsidePaths(file, text)) {
      console.error(`  ${file}:${line}: refers to ${ref}, outside the repository`);
      ok = false;
    }
  }
  return ok;
}

/** The entry points the service's own tasks run, with the default lockfile, deno.lock. */
const SERVICE_ENTRIES = ["main.ts", "sync.ts", "merge.ts", "scripts/seed.ts"];

/**
 * The lockfile of everything else (tests, checks, benchmarks): every `deno task` first installs
 * all that the default lockfile lists, so test-only packages must stay out of deno.lock.
 */
export const DEV_LOCK = "deno.dev.lock";

/**
 * The import map's packages that the service's graph doesn't use, from a lockfile written for
 * the service's entry points (its `workspace` lists the map, its `specifiers` what was used).
 *
 * @example
 * ```ts
 * import { mappedButUnused } from "./check.ts";
 * const lock = { workspace: { dependencies: ["npm:a@1", "npm:b@2"] }, specifiers: { "npm:a@1": "1" } };
 * if (mappedButUnused(lock).join() !== "npm:b@2") throw new Error();
 * ```
 */
export function mappedButUnused(
  lock: { workspace?: { dependencies?: string[] }; specifiers?: Record<string, string> },
): string[] {
  const used = new Set(Object.keys(lock.specifiers ?? {}));
  return (lock.workspace?.dependencies ?? []).filter((dep) => !used.has(dep));
}

async function locks(): Promise<boolean> {
  const dir = await Deno.makeTempDir({ prefix: "check_lock_" });
  try {
    const fresh = `${dir}/service.lock`;
    const args = ["cache", "--quiet", "--frozen=false", `--lock=${fresh}`, ...SERVICE_ENTRIES];
    if (!await deno(args)) return false;
    const committed = await Deno.readTextFile(`${ROOT}/deno.lock`).catch(() => "");
    const unused = mappedButUnused(JSON.parse(await Deno.readTextFile(fresh)));
    for (const dep of unused) {
      console.error(
        `  ${dep} is in deno.json's import map, but the service doesn't import it: every deno ` +
          "task would install it. Import it where it is used (as testing/browser_deps.ts does).",
      );
    }
    if (unused.length) return false;
    if (committed === await Deno.readTextFile(fresh)) return true;
    console.error(
      "  deno.lock differs from what the service's commands import: regenerate it with\n" +
        `  rm deno.lock && deno cache --frozen=false ${SERVICE_ENTRIES.join(" ")}`,
    );
    return false;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const CHECKS: Record<string, (files: string[]) => Promise<boolean>> = {
  fmt: () => deno(["fmt", "--check", "--quiet"]),
  lint: () => deno(["lint", "--quiet"]),
  types: () => deno(["check", "--quiet", `--lock=${DEV_LOCK}`, ...TYPE_ROOTS]),
  layers,
  paths,
  locks,
};

async function main(args: string[]): Promise<number> {
  let only: string | undefined;
  try {
    const { values } = parseArgs({
      args,
      options: { only: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    only = values.only;
    if (only !== undefined && !(only in CHECKS)) throw new Error(`unknown check "${only}"`);
  } catch (err) {
    console.error(`check: ${err instanceof Error ? err.message : err}\n\n${HELP}`);
    return 2;
  }
  const files = await repoFiles();
  const failed: string[] = [];
  for (const [name, run] of Object.entries(CHECKS)) {
    if (only && name !== only) continue;
    const started = performance.now();
    const ok = await run(files);
    const ms = Math.round(performance.now() - started);
    console.error(`check ${name}: ${ok ? "ok" : "FAILED"} (${ms} ms)`);
    if (!ok) failed.push(name);
  }
  if (failed.length) console.error(`check: failed: ${failed.join(", ")}`);
  return failed.length ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
