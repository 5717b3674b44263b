/**
 * End to end: the real `merge.ts` in a pseudo-terminal (tmux), answering its prompt by typing.
 * tmux must be installed (CI installs it; locally `apt-get install -y tmux`).
 */
import { deepEqual as assertEquals, match as assertMatch, ok as assert } from "node:assert/strict";
import { tombstoneKey } from "../../lib/keys.ts";
import type { Tombstone } from "../../lib/merge/plan.ts";
import { Store } from "../../lib/store.ts";
import { openTestStore, startTestSim, testEnv } from "./helpers.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

async function tmux(socket: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", { args: ["-L", socket, ...args] }).output();
  if (!out.success) {
    throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

async function waitFor(socket: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = "";
  while (Date.now() < deadline) {
    screen = await tmux(socket, "capture-pane", "-p", "-J", "-S", "-200", "-t", "merge");
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

Deno.test("e2e: merge.ts --delete in a real terminal asks, takes a typed answer, and deletes", async () => {
  await using db = await openTestStore();
  await using sim = await startTestSim();
  db.store.close();
  const env = { ...testEnv(db.path, sim), NO_COLOR: "1" };
  const script = `${db.dir}/run.sh`;
  await Deno.writeTextFile(
    script,
    [
      `cd ${quote(ROOT)}`,
      ...Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`),
      `${quote(Deno.execPath())} run --allow-net --allow-env --allow-read ` +
      `--allow-write=${quote(db.dir)} merge.ts -o 7A1A4 --delete`,
      `echo "EXIT:$?"`,
      "sleep 60",
    ].join("\n"),
  );
  const socket = `merge-e2e-${crypto.randomUUID()}`;
  await tmux(socket, "new-session", "-d", "-s", "merge", "-x", "160", "-y", "50", `bash ${script}`);
  try {
    const asked = await waitFor(socket, /Are you sure you want to delete 7A1A4 .*\(y\/N\)/);
    assertMatch(asked, /7A1A4 IS THE LAST ORGANISATION OF PDU PZ101/);
    assertMatch(asked, /Country +W92000004 +Wales/);
    await tmux(socket, "send-keys", "-t", "merge", "y", "Enter");
    const done = await waitFor(socket, /EXIT:\d+/);
    assertMatch(done, /✔ Are you sure you want to delete 7A1A4 \(YSBYTY GWYNEDD\)\? Yes/);
    assertMatch(done, /7A1A4 +delete +deleted/);
    assertMatch(done, /EXIT:0/);
  } finally {
    await tmux(socket, "kill-server").catch(() => {});
  }
  const store = await Store.open(db.path);
  try {
    assertEquals(await store.get("organisation", "7A1A4"), null);
    const tomb = await store.kv.get<Tombstone>(tombstoneKey("organisation", "7A1A4"));
    assert(tomb.value);
    assertEquals(tomb.value.record.paediatric_diabetes_unit_code, "PZ101");
  } finally {
    store.close();
  }
});
