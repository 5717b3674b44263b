/**
 * The system tools the test suite drives, found on this machine or installed with Debian's
 * `apt-get`: `tmux` (the merge command's pseudo-terminal test) and Chromium (the browser tests;
 * playwright-core drives it and downloads no browser of its own).
 *
 * @module
 */

/** A system tool the tests need. */
export interface Tool {
  /** Executable names to look for on `PATH`, in order. */
  names: readonly string[];
  /** An environment variable that may name the executable's path instead. */
  env?: string;
  /** The Debian package that provides it. */
  pkg: string;
  /** Which tests need it. */
  why: string;
}

/** The tools `deno task test` needs. */
export const TOOLS: readonly Tool[] = [
  { names: ["tmux"], pkg: "tmux", why: "the merge command's terminal test" },
  {
    names: ["chromium", "chromium-browser"],
    env: "CHROMIUM_PATH",
    pkg: "chromium",
    why: "the browser tests of the web pages",
  },
];

/** What finding a tool may look at: environment variables and whether a path is a file. */
export interface Lookup {
  env: (name: string) => string | undefined;
  isFile: (path: string) => boolean;
}

/** The machine's own lookup (needs `--allow-env` and `--allow-read`). */
export const systemLookup: Lookup = {
  env: (name) => Deno.env.get(name),
  isFile: (path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  },
};

/**
 * The path of a tool's executable: the one its variable names, or the first of its names found
 * on `PATH`; `null` when absent.
 *
 * @example
 * ```ts
 * import { findTool } from "./tools.ts";
 * const lookup = {
 *   env: (name: string) => name === "PATH" ? "/opt/bin:/usr/bin" : undefined,
 *   isFile: (path: string) => path === "/usr/bin/chromium-browser",
 * };
 * const tool = { names: ["chromium", "chromium-browser"], pkg: "chromium", why: "browser tests" };
 * if (findTool(tool, lookup) !== "/usr/bin/chromium-browser") throw new Error("not found");
 * ```
 */
export function findTool(tool: Tool, lookup: Lookup = systemLookup): string | null {
  const named = tool.env ? lookup.env(tool.env)?.trim() : undefined;
  if (named) return lookup.isFile(named) ? named : null;
  const dirs = (lookup.env("PATH") ?? "/usr/local/bin:/usr/bin:/bin").split(":").filter(Boolean);
  for (const name of tool.names) {
    for (const dir of dirs) {
      const path = `${dir.replace(/\/$/, "")}/${name}`;
      if (lookup.isFile(path)) return path;
    }
  }
  return null;
}

/**
 * Chromium's path for the browser tests (`CHROMIUM_PATH`, else `chromium` on `PATH`).
 *
 * @example
 * ```ts
 * import { chromiumPath } from "./tools.ts";
 * const path = chromiumPath({ env: () => "/x/chromium", isFile: () => true });
 * if (path !== "/x/chromium") throw new Error(path);
 * ```
 */
export function chromiumPath(lookup: Lookup = systemLookup): string {
  const tool = TOOLS.find((t) => t.pkg === "chromium")!;
  const path = findTool(tool, lookup);
  if (!path) throw new Error(`Chromium not found: ${manualInstall([tool])}`);
  return path;
}

/**
 * True when apt-get's error says another process holds its lock (another install is running).
 *
 * @example
 * ```ts
 * import { isAptLockError } from "./tools.ts";
 * const message = "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 42";
 * if (!isAptLockError(message)) throw new Error("lock not recognised");
 * if (isAptLockError("E: Unable to locate package tmux")) throw new Error("not a lock error");
 * ```
 */
export function isAptLockError(stderr: string): boolean {
  return /Could not get lock|Unable to (acquire|lock)|is another process using it|held by process/i
    .test(stderr);
}

/**
 * What to tell a user who must install the tools by hand.
 *
 * @example
 * ```ts
 * import { manualInstall, TOOLS } from "./tools.ts";
 * if (!manualInstall(TOOLS).includes("apt-get install tmux chromium")) throw new Error();
 * ```
 */
export function manualInstall(tools: readonly Tool[]): string {
  const pkgs = tools.map((t) => t.pkg).join(" ");
  const env = tools.filter((t) => t.env).map((t) => `${t.env} to its path`);
  return `install them by hand ("sudo apt-get install ${pkgs}" on Debian or Ubuntu, or your ` +
    `system's packages of ${tools.map((t) => t.names[0]).join(" and ")})` +
    (env.length ? `, or set ${env.join(", ")},` : "") + " then run the tests again";
}

/** A command's outcome. */
export interface RunResult {
  ok: boolean;
  stderr: string;
}

/** What an installer may do: run a command, wait, tell the user, read a clock. */
export interface InstallDeps {
  run: (cmd: string, args: string[]) => Promise<RunResult>;
  sleep: (ms: number) => Promise<void>;
  say: (line: string) => void;
  now: () => number;
}

/** How long to wait for another install to release the apt lock, and how often to look. */
export const LOCK_WAIT = { totalMs: 5 * 60_000, everyMs: 5_000 } as const;

/**
 * Runs one apt-get command, waiting (up to {@linkcode LOCK_WAIT}) while another install holds
 * the lock, with a message when it starts waiting.
 *
 * @example
 * ```ts
 * import { aptGet } from "./tools.ts";
 * let calls = 0;
 * const result = await aptGet(["update"], [], {
 *   run: () => Promise.resolve(++calls < 3 ? { ok: false, stderr: "Could not get lock" } : { ok: true, stderr: "" }),
 *   sleep: () => Promise.resolve(),
 *   say: () => {},
 *   now: () => 0,
 * });
 * if (!result.ok || calls !== 3) throw new Error(`${calls}`);
 * ```
 */
export async function aptGet(
  args: string[],
  sudo: string[],
  deps: InstallDeps,
): Promise<RunResult> {
  const started = deps.now();
  const [cmd, ...rest] = [...sudo, "apt-get", "-o", "DPkg::Lock::Timeout=60", ...args];
  for (let said = false;;) {
    const result = await deps.run(cmd, rest);
    if (result.ok || !isAptLockError(result.stderr)) return result;
    if (deps.now() - started >= LOCK_WAIT.totalMs) return result;
    if (!said) {
      deps.say(
        `another install holds the apt lock; waiting for it (up to ${
          LOCK_WAIT.totalMs / 60_000
        } minutes)...`,
      );
      said = true;
    }
    await deps.sleep(LOCK_WAIT.everyMs);
  }
}

/**
 * Installs the missing tools with apt-get (through `sudo -n` unless root). Returns the tools
 * still missing afterwards (empty on success); says what it installs, why, and what failed.
 */
export async function installTools(
  missing: readonly Tool[],
  opts: { root: boolean; found: (tool: Tool) => boolean },
  deps: InstallDeps,
): Promise<Tool[]> {
  deps.say(
    `installing ${missing.map((t) => `${t.pkg} (for ${t.why})`).join(", ")} with apt-get...`,
  );
  const sudo = opts.root ? [] : ["sudo", "-n"];
  const quiet = ["-qq"];
  let result = await aptGet(["update", ...quiet], sudo, deps);
  if (result.ok) {
    const pkgs = missing.map((t) => t.pkg);
    result = await aptGet(
      ["install", "-y", ...quiet, "--no-install-recommends", ...pkgs],
      sudo,
      deps,
    );
  }
  if (!result.ok && result.stderr.trim()) deps.say(result.stderr.trim().slice(-2000));
  return missing.filter((t) => !opts.found(t));
}
