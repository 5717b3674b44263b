/**
 * The sync's local authority step (lib/sync/local_authorities.ts) against the ODS simulator over
 * HTTP: a seeded store synced through ORD, postcodes looked up in the simulator's FHIR `postcode`
 * CodeSystem. Expected local authorities come from the simulator's postcode directory (its `la`
 * per postcode), never from this service's own output.
 */
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { postcodeResolver } from "../../lib/api/geography_routes.ts";
import * as keys from "../../lib/keys.ts";
import { POSTCODE_SYSTEM } from "../../lib/ods/postcode_lookup.ts";
import { readSyncState, runSync, type SyncOptions } from "../../lib/sync/run.ts";
import { Store } from "../../lib/store.ts";
import type { OdsSimulator } from "../../testing/ods_sim/server.ts";
import { at, type SyncWorld, syncWorld } from "./helpers.ts";

const TUESDAY = "2026-11-24T06:00:00Z";
const WEDNESDAY = "2026-11-25T06:00:00Z";

/** Postcode look-ups the simulator has answered since request `from`. */
function postcodeRequests(sim: OdsSimulator, from = 0): string[] {
  return sim.requests.slice(from)
    .filter((r) => r.path === "/fhir/CodeSystem/$lookup")
    .map((r) => new URLSearchParams(r.query))
    .filter((q) => q.get("system") === POSTCODE_SYSTEM)
    .map((q) => q.get("code") ?? "");
}

/** The local authority the simulator's CodeSystem gives for `postcode`. */
function simLa(sim: OdsSimulator, postcode: string): string {
  const geo = sim.dataset.postcodes.get(postcode);
  ok(geo, `the simulator knows ${postcode}`);
  return geo.la;
}

/** A run of `w` at `now` through ORD, with postcodes looked up in the simulator's FHIR API. */
function run(w: SyncWorld, now: string, over: Partial<SyncOptions> = {}) {
  const postcodes = postcodeResolver({
    store: w.store,
    ods: w.odsConfig("ord"),
    now: at(now),
    http: { backoffBaseMs: 1, backoffMaxMs: 5 },
  });
  return runSync({
    store: w.store,
    source: w.source("ord"),
    now: at(now),
    postcodes,
    postcodeLookups: 5000,
    ...over,
  });
}

Deno.test("after a run, a site and a GP practice carry the local authority of their postcode", async () => {
  const w = await syncWorld(TUESDAY, { gpPractices: 20 });
  try {
    const result = await run(w, TUESDAY, { gpPractices: true });
    equal(result.run.outcome, "success");
    const site = (await w.store.get("organisation", "RGT01"))!;
    equal(site.local_authority, simLa(w.sim, site.postcode!));
    const [practice] = await w.store.list("general_practice");
    equal(practice.local_authority, simLa(w.sim, practice.postcode!));
  } finally {
    await w.close();
  }
});

Deno.test("the local authority is written like any change: a change log entry of the run", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    const result = await run(w, TUESDAY);
    const history = await w.store.history("organisation", "RGT01");
    const entry = history.find((e) => e.changes.some((c) => c.field === "local_authority"));
    ok(entry, "a change log entry writes local_authority");
    equal(entry.cause, "sync");
    equal(entry.run_id, result.run.id);
    const change = entry.changes.find((c) => c.field === "local_authority")!;
    deepEqual([change.old, change.new], [null, simLa(w.sim, "CB2 0QQ")]);
    ok(result.rows.some((r) => r.code === "RGT01" && r.field === "local_authority"));
  } finally {
    await w.close();
  }
});

Deno.test("SYNC_POSTCODE_LOOKUPS caps a run's look-ups; organisations go first, the rest wait", async () => {
  const w = await syncWorld(TUESDAY, { gpPractices: 20 });
  try {
    const from = w.sim.requests.length;
    const first = await run(w, TUESDAY, { gpPractices: true, postcodeLookups: 5 });
    const asked = postcodeRequests(w.sim, from);
    equal(asked.length, 5);
    equal(new Set(asked).size, 5, "one look-up per distinct postcode");
    const sites = new Set((await w.store.list("organisation")).map((o) => o.postcode));
    for (const pc of asked) ok(sites.has(pc), `${pc} is a site's postcode`);
    const la = first.run.local_authorities!;
    equal(la.looked_up, 5);
    ok(la.deferred > 0);
    equal(
      first.rows.filter((r) => r.field === "local_authority" && r.entity !== "organisation")
        .length,
      0,
    );

    w.sim.clock.set(WEDNESDAY);
    const next = w.sim.requests.length;
    await run(w, WEDNESDAY, { gpPractices: true, postcodeLookups: 5 });
    const later = postcodeRequests(w.sim, next);
    equal(later.length, 5);
    equal(later.filter((pc) => asked.includes(pc)).length, 0, "cached postcodes not asked again");
  } finally {
    await w.close();
  }
});

Deno.test("SYNC_POSTCODE_LOOKUPS=0: no look-up, but what the postcode cache holds is given", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    // As a `/postcodes/CB2 0QQ/` request would have cached it.
    const resolver = postcodeResolver({
      store: w.store,
      ods: w.odsConfig("ord"),
      now: at(TUESDAY),
    });
    equal((await resolver!.resolve("CB2 0QQ")).status, "found");
    const from = w.sim.requests.length;
    const result = await run(w, TUESDAY, { postcodeLookups: 0 });
    equal(postcodeRequests(w.sim, from).length, 0);
    equal(result.run.local_authorities?.looked_up, 0);
    ok((result.run.local_authorities?.deferred ?? 0) > 0);
    equal((await w.store.get("organisation", "RGT01"))!.local_authority, simLa(w.sim, "CB2 0QQ"));
  } finally {
    await w.close();
  }
});

Deno.test("failed look-ups leave records unchanged; the run succeeds, its report warns", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    w.sim.faults.add({ path: "/fhir/CodeSystem/$lookup", kind: "status", status: 503 });
    const result = await run(w, TUESDAY);
    equal(result.run.outcome, "success");
    deepEqual(result.run.errors, []);
    equal((await readSyncState(w.store)).cursor, "2026-11-24", "the cursor moves as usual");
    const la = result.run.local_authorities!;
    ok(la.failed > 0);
    equal(la.failed, la.looked_up);
    equal(la.updated, 0);
    ok(result.markdown.includes("- warning: "), result.markdown.slice(0, 600));
    const sites = await w.store.list("organisation");
    equal(sites.filter((o) => (o.local_authority ?? null) !== null).length, 0);
    const stored = await w.store.kv.get(keys.runKey(result.run.id));
    equal((stored.value as typeof result.run).local_authorities?.failed, la.failed);
  } finally {
    await w.close();
  }
});

Deno.test("a postcode ODS changes moves the site's local authority in the same run", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    await run(w, TUESDAY);
    const before = (await w.store.get("organisation", "RGT01"))!.local_authority;
    const moved = "TN22 5AW";
    notEqual(simLa(w.sim, "CB2 0QQ"), w.sim.dataset.postcodes.get(moved)?.la);
    const location = w.sim.dataset.get("RGT01")!.GeoLoc!.Location;
    w.sim.dataset.setAddress("RGT01", { ...location, PostCode: moved }, "2026-11-24");
    w.sim.clock.set(WEDNESDAY);
    const result = await run(w, WEDNESDAY);
    const site = (await w.store.get("organisation", "RGT01"))!;
    equal(site.postcode, moved);
    equal(site.local_authority, simLa(w.sim, moved));
    notEqual(site.local_authority, before);
    equal(result.run.outcome, "success");
  } finally {
    await w.close();
  }
});

Deno.test("a dry run looks no postcode up and writes no local authority", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    const from = w.sim.requests.length;
    const result = await run(w, TUESDAY, { dryRun: true });
    equal(result.run.local_authorities?.skipped_reason, "dry run");
    equal(postcodeRequests(w.sim, from).length, 0);
    equal((await w.store.get("organisation", "RGT01"))!.local_authority, undefined);
  } finally {
    await w.close();
  }
});

Deno.test("a run whose ODS part failed looks no postcode up", async () => {
  const w = await syncWorld(TUESDAY);
  try {
    w.sim.faults.add({ path: "/ORD/2-0-0/**", kind: "status", status: 503 });
    const from = w.sim.requests.length;
    const result = await run(w, TUESDAY);
    equal(result.run.outcome, "failed");
    equal(result.run.local_authorities?.skipped_reason, "the run had errors");
    equal(postcodeRequests(w.sim, from).length, 0);
  } finally {
    await w.close();
  }
});

/** `deno task sync` (sync.ts) with `env`, over `w`'s KV file and simulator. */
async function cli(w: SyncWorld, env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "sync.ts", "--quiet"],
    env: {
      LOG_LEVEL: "error",
      SYNC_CRON: "false",
      SYNC_GP_PRACTICES: "false",
      KV_PATH: w.kvPath,
      ORD_BASE_URL: w.sim.ordBaseUrl,
      ODS_RATE_LIMIT: "1000",
      ODT_API_KEY: "",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

Deno.test("deno task sync looks up SYNC_POSTCODE_LOOKUPS postcodes when FHIR is configured", async () => {
  const w = await syncWorld(new Date().toISOString());
  w.store.close();
  try {
    const r = await cli(w, { ODT_BASE_URL: w.sim.fhirBaseUrl, SYNC_POSTCODE_LOOKUPS: "3" });
    equal(r.code, 0, r.stderr);
    equal(postcodeRequests(w.sim).length, 3);
    ok(/local authorities\s+\d+ updated \(3 looked up, 0 failed/.test(r.stdout), r.stdout);
  } finally {
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});

Deno.test("deno task sync without a FHIR key skips the step, says so, and writes nothing", async () => {
  const w = await syncWorld(new Date().toISOString());
  w.store.close();
  try {
    const r = await cli(w, {});
    equal(r.code, 0, r.stderr);
    ok(r.stdout.includes("skipped: no postcode look-up configured"), r.stdout);
    equal(postcodeRequests(w.sim).length, 0);
    const store = await Store.open(w.kvPath);
    try {
      const sites = await store.list("organisation");
      equal(
        sites.filter((o) => o.local_authority !== undefined && o.local_authority !== null)
          .length,
        0,
      );
      const runs = await Array.fromAsync(store.kv.list({ prefix: keys.runPrefix }));
      const record = runs.map((e) => e.value as { local_authorities?: { skipped_reason?: string } })
        .find((v) => v.local_authorities);
      ok(record?.local_authorities?.skipped_reason?.startsWith("no postcode look-up configured"));
    } finally {
      store.close();
    }
  } finally {
    await w.sim.close();
    await Deno.remove(w.dir, { recursive: true });
  }
});
