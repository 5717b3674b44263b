/**
 * `deno task test`: makes sure the system tools the tests drive are there (installing them
 * when missing), runs `deno task check`, then every test and every documentation example.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEV_LOCK } from "./check.ts";
import {
  findTool,
  type InstallDeps,
  installTools,
  manualInstall,
  type RunResult,
  TOOLS,
} from "../testing/tools.ts";

const HELP = `Usage: deno task test [PATH...]

Runs, in order:
  1. tools   finds tmux (the merge command's terminal test) and Chromium (the browser tests);
             installs the missing ones with apt-get (through sudo -n unless root), waiting up to
             5 minutes if another install holds the apt lock. CHROMIUM_PATH may name Chromium.
  2. check   deno task check: format, lint, types, layers, paths (skipped when PATHs are given)
  3. tests   deno test -A --parallel --doc over tests/, lib/, testing/ and scripts/ (the tests
             and the @example blocks of the code's documentation), or over the given PATHs

Options:
  -h, --help   this text (runs nothing)

Exit codes: 0 all passed, 1 a check or test failed, 2 usage error, 3 a tool is missing and
could not be installed.`;

/** What the full run tests: the tests and the documentation examples of everything else. */
const TEST_ROOTS = ["tests/", "lib/", "testing/", "scripts/", "main.ts", "sync.ts", "merge.ts"];

const decoder = new TextDecoder();

async function runQuietly(cmd: string, args: string[]): Promise<RunResult> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
    return { ok: out.success, stderr: decoder.decode(out.stderr) };
  } catch (err) {
    return { ok: false, stderr: `${cmd}: ${err instanceof Error ? err.message : err}` };
  }
}

const deps: InstallDeps = {
  run: runQuietly,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  say: (line) => console.error(`test: ${line}`),
  now: () => Date.now(),
};

function isRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    return true; // not allowed to ask: try without sudo, and say so if that fails
  }
}

async function ensureTools(): Promise<boolean> {
  const missing = TOOLS.filter((t) => !findTool(t));
  if (!missing.length) return true;
  const still = await installTools(missing, { root: isRoot(), found: (t) => !!findTool(t) }, deps);
  if (!still.length) return true;
  deps.say(`could not install ${still.map((t) => t.pkg).join(", ")}: ${manualInstall(still)}`);
  return false;
}

async function deno(args: string[]): Promise<boolean> {
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "inherit", stderr: "inherit" });
  return (await child.spawn().status).success;
}

async function main(args: string[]): Promise<number> {
  let paths: string[];
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { help: { type: "boolean", short: "h" } },
    });
    if (parsed.values.help) {
      console.log(HELP);
      return 0;
    }
    paths = parsed.positionals;
  } catch (err) {
    console.error(`test: ${err instanceof Error ? err.message : err}\n\n${HELP}`);
    return 2;
  }
  if (!await ensureTools()) return 3;
  if (!paths.length && !await deno(["task", "check"])) return 1;
  const roots = paths.length ? paths : TEST_ROOTS;
  return await deno(["test", `--lock=${DEV_LOCK}`, "-A", "--parallel", "--doc", ...roots]) ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
