/**
 * Installs the system tools the test suite drives, so `deno task test` works on a fresh machine:
 * `tmux` (the merge command's pseudo-terminal test) and Debian's `chromium` (the browser tests;
 * playwright-core drives it and downloads no browser of its own). Uses `apt-get` when a tool is
 * missing; exits non-zero with a clear message when it can't.
 *
 * @module
 */

const TOOLS: { command: string; path: string; pkg: string; why: string }[] = [
  { command: "tmux", path: "/usr/bin/tmux", pkg: "tmux", why: "merge command pty test" },
  { command: "chromium", path: "/usr/bin/chromium", pkg: "chromium", why: "browser tests" },
];

function present(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

async function run(cmd: string, args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
    if (!out.success) console.error(new TextDecoder().decode(out.stderr).trim().slice(-2000));
    return out.success;
  } catch (err) {
    console.error(`${cmd}: ${err instanceof Error ? err.message : err}`);
    return false;
  }
}

const missing = TOOLS.filter((t) => !present(t.path));
if (missing.length) {
  const names = missing.map((t) => t.pkg);
  console.error(`installing ${names.join(", ")} (${missing.map((t) => t.why).join(", ")})...`);
  let root = false;
  try {
    root = Deno.uid() === 0;
  } catch {
    // no permission to ask: try without sudo
    root = true;
  }
  const sudo = root ? [] : ["sudo", "-n"];
  const apt = (args: string[]) =>
    sudo.length ? run(sudo[0], [...sudo.slice(1), "apt-get", ...args]) : run("apt-get", args);
  const ok = await apt(["update", "-qq"]) &&
    await apt(["install", "-y", "-qq", "--no-install-recommends", ...names]);
  const still = missing.filter((t) => !present(t.path));
  if (!ok || still.length) {
    console.error(
      `could not install ${still.map((t) => t.pkg).join(", ")}: install with ` +
        `"apt-get install ${still.map((t) => t.pkg).join(" ")}" and run the tests again`,
    );
    Deno.exit(1);
  }
}
