import { deepEqual, equal, ok } from "node:assert/strict";
import { findTool, type InstallDeps, installTools, LOCK_WAIT, TOOLS } from "../../testing/tools.ts";

const tmux = TOOLS.find((t) => t.pkg === "tmux")!;
const chromium = TOOLS.find((t) => t.pkg === "chromium")!;

/** An installer world: a scripted apt-get, a clock that sleeping advances, and what was said. */
function world(answers: (args: string[]) => { ok: boolean; stderr: string }) {
  let now = 0;
  const calls: string[][] = [];
  const said: string[] = [];
  const deps: InstallDeps = {
    run: (cmd, args) => {
      calls.push([cmd, ...args]);
      return Promise.resolve(answers([cmd, ...args]));
    },
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
    say: (line) => said.push(line),
    now: () => now,
  };
  return { deps, calls, said, elapsed: () => now };
}

const LOCKED = { ok: false, stderr: "E: Could not get lock /var/lib/dpkg/lock-frontend" };
const OK = { ok: true, stderr: "" };

Deno.test("tools: a tool already on PATH is found where it is, not only in /usr/bin", () => {
  const lookup = {
    env: (name: string) => name === "PATH" ? "/snap/bin:/usr/bin" : undefined,
    isFile: (path: string) => path === "/snap/bin/tmux",
  };
  equal(findTool(tmux, lookup), "/snap/bin/tmux");
});

Deno.test("tools: CHROMIUM_PATH names Chromium's executable", () => {
  const lookup = {
    env: (n: string) => n === "CHROMIUM_PATH" ? "/opt/c/chrome" : "",
    isFile: () => true,
  };
  equal(findTool(chromium, lookup), "/opt/c/chrome");
});

Deno.test("tools: the installer waits for another install's apt lock, says so once, then installs", async () => {
  let locked = 3;
  const w = world((args) => args.includes("install") && locked-- > 0 ? LOCKED : OK);
  const still = await installTools([tmux], { root: true, found: () => true }, w.deps);
  deepEqual(still, []);
  equal(w.said.filter((l) => l.includes("waiting")).length, 1);
  equal(w.calls.filter((c) => c.includes("install")).length, 4);
});

Deno.test("tools: the installer gives up on a lock held past the wait, and reports the tool missing", async () => {
  const w = world(() => LOCKED);
  const still = await installTools([tmux], { root: true, found: () => false }, w.deps);
  deepEqual(still, [tmux]);
  ok(w.elapsed() >= LOCK_WAIT.totalMs && w.elapsed() < LOCK_WAIT.totalMs + 2 * LOCK_WAIT.everyMs);
});

Deno.test("tools: the installer says what it installs and why", async () => {
  const w = world(() => OK);
  await installTools([tmux, chromium], { root: true, found: () => true }, w.deps);
  ok(w.said[0].includes("tmux (for the merge command's terminal test)"), w.said[0]);
  ok(w.said[0].includes("chromium (for the browser tests"), w.said[0]);
});

Deno.test("tools: without root the installer goes through sudo -n", async () => {
  const w = world(() => OK);
  await installTools([tmux], { root: false, found: () => true }, w.deps);
  ok(w.calls.every((c) => c[0] === "sudo" && c[1] === "-n" && c[2] === "apt-get"));
});

Deno.test("tools: a failure that is not the lock is not retried", async () => {
  const w = world(() => ({ ok: false, stderr: "E: Unable to locate package tmux" }));
  const still = await installTools([tmux], { root: true, found: () => false }, w.deps);
  deepEqual(still, [tmux]);
  equal(w.calls.length, 1);
  ok(w.said.some((l) => l.includes("Unable to locate package")));
});
