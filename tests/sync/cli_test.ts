import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { loadPracticeCopy } from "../../lib/api/practice_copy.ts";
import { Store } from "../../lib/store.ts";
import { parseSyncArgs } from "../../sync.ts";
import { closedPort } from "../ods/closed_port.ts";
import { syncWorld } from "./helpers.ts";

Deno.test("sync arguments are validated", () => {
  deepEqual(parseSyncArgs([]), {
    request: "auto",
    dryRun: false,
    source: undefined,
    report: undefined,
    quiet: false,
  });
  deepEqual((parseSyncArgs(["--since", "2026-11-02", "-n"]) as { request: unknown }).request, {
    since: "2026-11-02",
  });
  equal((parseSyncArgs(["--full"]) as { request: unknown }).request, "full");
  ok("error" in parseSyncArgs(["--since", "2026-02-30"]), "not a real date");
  ok("error" in parseSyncArgs(["--since", "2026-11-02", "--full"]), "both");
  ok("error" in parseSyncArgs(["--source", "xml"]));
  ok("error" in parseSyncArgs(["--bogus"]));
  ok("help" in parseSyncArgs(["-h"]));
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "sync.ts", ...args],
    env: { LOG_LEVEL: "error", SYNC_CRON: "false", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** `deno task sync` on a world's store, against its simulator's ORD API. */
function cliOn(w: { kvPath: string; sim: { ordBaseUrl: string } }, args: string[], env = {}) {
  return cli(args, {
    KV_PATH: w.kvPath,
    ORD_BASE_URL: w.sim.ordBaseUrl,
    ODS_RATE_LIMIT: "1000",
    ...env,
  });
}

Deno.test("deno task sync: exit codes for help, usage errors and bad configuration", async () => {
  const help = await cli(["--help"]);
  equal(help.code, 0);
  ok(help.stdout.includes("--dry-run"));
  const usage = await cli(["--since", "yesterday"]);
  equal(usage.code, 2);
  ok(usage.stderr.includes("YYYY-MM-DD"));
  const config = await cli([], { ODS_SOURCE: "xml", KV_PATH: ":memory:" });
  equal(config.code, 5);
  ok(config.stderr.includes("ODS_SOURCE"));
});

Deno.test("deno task sync --dry-run prints a Markdown diff and a summary, exit 0", async () => {
  const w = await syncWorld(new Date().toISOString());
  w.store.close();
  try {
    const r = await cliOn(w, ["--dry-run", "--quiet"]);
    equal(r.code, 0, r.stderr);
    ok(r.stdout.includes("# Sync dry run"));
    ok(r.stdout.includes("| Entity | Code | Field | Old | New |"));
    ok(r.stdout.includes("outcome"));
    ok(r.stdout.includes("baseline"));
  } finally {
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("a dry run on an empty store previews against the seed and leaves the store empty", async () => {
  const w = await syncWorld(new Date().toISOString(), { seedStore: false });
  w.store.close();
  try {
    const r = await cliOn(w, ["--dry-run", "--quiet"]);
    equal(r.code, 0, r.stderr);
    ok(r.stdout.includes("| organisation | RGT01 |"));
    const kv = await Deno.openKv(w.kvPath);
    let entries = 0;
    for await (const _ of kv.list({ prefix: [] })) entries++;
    kv.close();
    equal(entries, 0);
  } finally {
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("deno task sync exits 1 when ODS is unreachable, and says the cursor did not move", async () => {
  const w = await syncWorld(new Date().toISOString());
  w.store.close();
  try {
    w.sim.faults.add({ path: "/ORD/2-0-0/**", kind: "status", status: 503 });
    const r = await cliOn(w, ["--since", w.sim.clock.today(), "--quiet"], {
      ODS_RETRIES: "1",
    });
    equal(r.code, 1);
    ok(r.stderr.includes("cursor was not moved"));
    ok(r.stdout.includes("failed"));
  } finally {
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

// Bug caught: the offline dry run retried for 14 minutes and ended "No changes.", exit 0.
Deno.test("deno task sync against an unreachable ODS exits 1, names the host, never says no changes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sync-cli-" });
  try {
    const port = closedPort();
    const r = await cli(["--dry-run", "--quiet"], {
      KV_PATH: `${dir}/store.sqlite`,
      ORD_BASE_URL: `http://127.0.0.1:${port}/ORD/2-0-0`,
    });
    equal(r.code, 1, r.stderr);
    ok(!/no changes/i.test(r.stdout + r.stderr), r.stdout);
    ok(r.stdout.includes(`cannot reach 127.0.0.1:${port}`), r.stdout);
    const requests = Number(/^requests\s+(\d+)/m.exec(r.stdout)?.[1]);
    ok(requests <= 7, `${requests} requests: the breaker stops after a few`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Bug caught: progress shown only on a terminal, so a piped or logged run looked hung.
Deno.test("deno task sync writes progress lines to a piped stderr", async () => {
  const w = await syncWorld(new Date().toISOString());
  w.store.close();
  try {
    const r = await cliOn(w, ["--dry-run"]);
    equal(r.code, 0, r.stderr);
    ok(/^sync: fetch 0\/\d+ \(0%\)$/m.test(r.stderr), r.stderr);
    ok(/^sync: apply \d+\/\d+ \(100%\)$/m.test(r.stderr), r.stderr);
  } finally {
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("deno task sync that writes practices stores the practice cache's copy of them", async () => {
  const w = await syncWorld(new Date().toISOString(), { gpPractices: 40 });
  w.store.close();
  try {
    const r = await cliOn(w, ["--quiet"]);
    equal(r.code, 0, r.stderr);
    const store = await Store.open(w.kvPath);
    try {
      const version = await store.gpVersion();
      notEqual(version, "0", "the run wrote practices");
      const copy = await loadPracticeCopy(store, version);
      equal(copy?.rows.length, (await store.list("general_practice")).length);
    } finally {
      store.close();
    }
  } finally {
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("deno task sync --dry-run shows an ODS name carrying terminal escapes as text", async () => {
  const w = await syncWorld(new Date().toISOString(), { seedStore: false });
  w.store.close();
  try {
    // Renamed yesterday, published today: the run sees it.
    const today = w.sim.dataset.today();
    const yesterday = Temporal.PlainDate.from(today).subtract({ days: 1 }).toString();
    w.sim.dataset.rename("RGT01", "ADDENBROOKE'S\u001b[2J\u001b]0;pwned\u0007 HOSPITAL", yesterday);
    w.sim.dataset.publish(today);
    const r = await cliOn(w, ["--dry-run", "--quiet"]);
    equal(r.code, 0, r.stderr);
    ok(r.stdout.includes("ADDENBROOKE'S\\u{1b}[2J\\u{1b}]0;pwned\\u{7} HOSPITAL"), r.stdout);
    // deno-lint-ignore no-control-regex -- the escape character is what it must not contain
    ok(!/\u001b|\u0007/.test(r.stdout), "no raw escape reaches the terminal");
  } finally {
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("deno task sync on a store file that is no Deno KV database exits 5 naming KV_PATH", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sync-cli-" });
  try {
    await Deno.writeTextFile(`${dir}/store.sqlite`, "not a database\n");
    const r = await cli(["--quiet"], { KV_PATH: `${dir}/store.sqlite` });
    equal(r.code, 5, r.stderr);
    ok(r.stderr.includes(`KV_PATH=${dir}/store.sqlite`), r.stderr);
    ok(r.stderr.includes("not a Deno KV database"), r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
