import { equal, ok } from "node:assert/strict";
import { Store } from "../lib/store.ts";
import { leaseHolder, SYNC_LEASE } from "../lib/sync/lease.ts";
import { START_ARGS } from "../testing/proc.ts";
import { syncWorld } from "./sync/helpers.ts";

/** One reader of a stream's lines; each call waits for the next line `match` accepts. */
function lines(stream: ReadableStream<Uint8Array>) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffered: string[] = [];
  let rest = "";
  const next = async (match: (line: string) => string | null): Promise<string> => {
    for (;;) {
      while (buffered.length) {
        const found = match(buffered.shift()!);
        if (found) return found;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before a match; last output: ${rest.slice(-500)}`);
      const parts = (rest + value).split("\n");
      rest = parts.pop()!;
      buffered = parts;
    }
  };
  return Object.assign(next, { cancel: () => reader.cancel().catch(() => {}) });
}

/** The URL the service's "listening" log line names. */
const listeningUrl = (line: string) =>
  line.includes('"msg":"listening"') ? (JSON.parse(line) as { url: string }).url : null;

Deno.test("deno task start on a new store seeds it and serves Addenbrooke's with all its relations", async () => {
  const dir = await Deno.makeTempDir({ prefix: "main-test-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [...START_ARGS],
    env: { PORT: "0", KV_PATH: `${dir}/store.sqlite`, SYNC_CRON: "false" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log = lines(child.stderr);
  try {
    const url = await log(listeningUrl);
    const res = await fetch(`${url.replace("localhost", "127.0.0.1")}organisations/RGT01/`);
    equal(res.status, 200);
    const org = await res.json();
    equal(org.name, "ADDENBROOKE'S HOSPITAL");
    equal(org.trust.ods_code, "RGT");
    equal(org.integrated_care_board.ods_code, "QUE");
    equal(org.nhs_england_region.region_code, "Y61");
    equal(org.paediatric_diabetes_unit.pz_code, "PZ041");
    equal(org.paediatric_diabetes_unit.paediatric_diabetes_network.pn_code, "PN06");
    equal(org.openuk_network.boundary_identifier, "EPEN");
    equal(org.country.boundary_identifier, "E92000001");
    const status = await fetch(`${url.replace("localhost", "127.0.0.1")}`);
    ok((await status.text()).includes("Service status"));
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    equal(status.code, 0, "SIGTERM shuts the service down cleanly");
    await log.cancel();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task start refuses a bad configuration with a clear message and exit code 5", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...START_ARGS],
    env: { PORT: "not-a-port", KV_PATH: ":memory:" },
    stdout: "null",
    stderr: "piped",
  }).output();
  equal(out.code, 5);
  ok(new TextDecoder().decode(out.stderr).includes("PORT must be a whole number"));
});

Deno.test("the service survives clients holding every descriptor, and answers once they let go", async () => {
  const dir = await Deno.makeTempDir({ prefix: "main-test-" });
  // A shell lowers the descriptor limit to 256, then becomes the service.
  const child = new Deno.Command("sh", {
    args: ["-c", 'ulimit -n 256 && exec "$0" "$@"', Deno.execPath(), ...START_ARGS],
    env: { PORT: "0", KV_PATH: `${dir}/store.sqlite`, SYNC_CRON: "false" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const sockets: Deno.Conn[] = [];
  const log = lines(child.stderr);
  try {
    const url = new URL(
      await log(listeningUrl),
    );
    const addr = { hostname: "127.0.0.1", port: Number(url.port) };
    // Twice the limit in idle connections: the later ones are refused while it lasts.
    for (let i = 0; i < 512; i++) {
      try {
        sockets.push(await Deno.connect(addr));
      } catch {
        break;
      }
    }
    await log((line) => line.includes("the listener failed") ? line : null);
    for (const s of sockets.splice(0)) s.close();
    let health = 0;
    for (let tries = 0; tries < 100 && health !== 200; tries++) {
      health = await fetch(`http://127.0.0.1:${addr.port}/health`)
        .then(async (r) => (await r.body?.cancel(), r.status))
        .catch(() => new Promise<number>((resolve) => setTimeout(() => resolve(0), 50)));
    }
    equal(health, 200, "the service answers again");
  } finally {
    for (const s of sockets) s.close();
    child.kill("SIGTERM");
    equal((await child.status).code, 0, "still running until asked to stop");
    await log.cancel();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Start the service on `kvPath`; its exit code and what it said. */
async function startOn(kvPath: string): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...START_ARGS],
    env: { PORT: "0", KV_PATH: kvPath, SYNC_CRON: "false" },
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("a store file that is no Deno KV database stops the start with exit 5 naming KV_PATH", async () => {
  const dir = await Deno.makeTempDir({ prefix: "main-test-" });
  try {
    await Deno.writeTextFile(`${dir}/store.sqlite`, "this is not a database, just some text\n");
    const { code, stderr } = await startOn(`${dir}/store.sqlite`);
    equal(code, 5);
    ok(stderr.includes(`KV_PATH=${dir}/store.sqlite`), stderr);
    ok(stderr.includes("not a Deno KV database"), stderr);
    ok(!stderr.includes("    at "), `no stack trace: ${stderr}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a store path whose directory cannot be created stops the start with exit 5", async () => {
  const dir = await Deno.makeTempDir({ prefix: "main-test-" });
  try {
    await Deno.writeTextFile(`${dir}/file`, "");
    const { code, stderr } = await startOn(`${dir}/file/sub/store.sqlite`);
    equal(code, 5);
    ok(stderr.includes("cannot create directory"), stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGTERM during a sync run frees the sync lease, so the next run isn't refused", async () => {
  const w = await syncWorld(new Date().toISOString());
  w.store.close();
  const admin = "admin-token-0123456789";
  const child = new Deno.Command(Deno.execPath(), {
    args: [...START_ARGS],
    env: {
      PORT: "0",
      KV_PATH: w.kvPath,
      SYNC_CRON: "false",
      ADMIN_TOKEN: admin,
      ORD_BASE_URL: w.sim.ordBaseUrl,
      ODS_RATE_LIMIT: "2", // a slow run: ~5 minutes for the tracked records
    },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log = lines(child.stderr);
  try {
    const url = await log(listeningUrl);
    const res = await fetch(`${url}sync/run`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
    });
    equal(res.status, 202);
    await res.body?.cancel();
    // The run is under way once ODS sees its requests.
    for (let i = 0; i < 200 && w.sim.requests.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill("SIGTERM");
    equal((await child.status).code, 0);
    const store = await Store.open(w.kvPath);
    try {
      equal(await leaseHolder(store.kv, SYNC_LEASE), null, "the lease is free");
    } finally {
      store.close();
    }
  } finally {
    await log.cancel();
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("the service's /schema/ describes the /sync routes it serves", async () => {
  const dir = await Deno.makeTempDir({ prefix: "main-test-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [...START_ARGS],
    env: { PORT: "0", KV_PATH: `${dir}/store.sqlite`, SYNC_CRON: "false" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log = lines(child.stderr);
  try {
    const url = await log(listeningUrl);
    const doc = await (await fetch(`${url}schema/`)).json() as { paths: Record<string, object> };
    for (const path of ["/sync/status", "/sync/runs", "/sync/runs/{id}", "/sync/review"]) {
      ok(path in doc.paths, path);
    }
    ok("post" in doc.paths["/sync/run"]);
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await log.cancel();
    await Deno.remove(dir, { recursive: true });
  }
});
