/**
 * Concurrency: merges (create, delete, PDU and network links) run in this process while
 * `deno task sync` applies a day of changes in another, against the same KV file. Afterwards
 * every merge that reported success must show, and every change the sync applied must show too:
 * no lost update.
 *
 * @module
 */
import { tombstoneKey } from "../lib/keys.ts";
import { setLogSink } from "../lib/log.ts";
import { parseMergeArgs } from "../lib/merge/args.ts";
import { Painter } from "../lib/merge/present.ts";
import { YesPrompter } from "../lib/merge/prompt.ts";
import { type ActionCommand, runMerge } from "../lib/merge/run.ts";
import type { Organisation } from "../lib/model.ts";
import { buildSite } from "../lib/ods_sim/dataset.ts";
import { createOdsSource } from "../lib/ods/source.ts";
import { Store } from "../lib/store.ts";
import { runSync } from "../lib/sync/run.ts";
import { syncStateKey } from "../lib/keys.ts";
import { INITIAL_SYNC_STATE } from "../lib/sync/state.ts";
import { ROOT } from "../bench/proc.ts";
import {
  CHANGE_DAY,
  type ChangeWorld,
  NOW,
  odsConfig,
  startChangeWorld,
  type StoreTemplate,
} from "../bench/world.ts";
import { type Check, fieldsByKind, type PartResult, rng, storeProblems } from "./common.ts";

const MEMBERSHIP = ["paediatric_diabetes_unit_code", "openuk_network_code"] as const;
const VOLATILE = new Set(["updated_at", ...MEMBERSHIP]);

interface Done {
  kind: "create" | "delete" | "pdu" | "network";
  code: string;
  value: string | null;
}

function command(args: string[]): ActionCommand {
  const parsed = parseMergeArgs([...args, "--yes"]);
  if (!parsed.ok || parsed.command.action === "help") throw new Error(`bad merge args ${args}`);
  return parsed.command;
}

/** One round: a sync process and a stream of merges on the same store. */
async function round(
  world: ChangeWorld,
  template: StoreTemplate,
  reference: Map<string, Organisation>,
  n: number,
  seed: number,
): Promise<Check[]> {
  const rand = rng(seed);
  const kvPath = await template.copy(`concurrency-${n}`);
  const store = await Store.open(kvPath);
  await store.kv.set(syncStateKey, { ...INITIAL_SYNC_STATE, cursor: CHANGE_DAY });
  const fields = await fieldsByKind(store);
  const source = createOdsSource(odsConfig(world.sim, "ord"));
  const deps = {
    store,
    source,
    reference: world.seed.memberships,
    prompter: new YesPrompter(() => {}),
    write: () => {},
    painter: new Painter(false),
  };
  // Targets: organisations the sync is changing right now, and new sites ODS has.
  const changedSites = world.trackedChanged.filter((c) => reference.has(c) && !c.startsWith("7"));
  const targets = changedSites.filter(() => rand() < 0.5).slice(0, 12);
  const deletes = targets.slice(0, 3);
  const linked = targets.slice(3);
  const creates = [1, 2, 3].map((i) => `RGTZ${n}${i}`);
  const pdus = ["PZ041", "PZ024", "PZ100", "PZ215"].filter((p) =>
    world.seed.records.paediatric_diabetes_unit.some((u) => u.pz_code === p)
  );
  const networks = world.seed.records.openuk_network.map((x) => x.boundary_identifier);

  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "sync.ts", "--quiet"],
    cwd: ROOT,
    env: {
      KV_PATH: kvPath,
      ORD_BASE_URL: world.sim.ordBaseUrl,
      ODS_RATE_LIMIT: "1000",
      LOG_LEVEL: "error",
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let exited = false;
  const status = child.status.finally(() => exited = true);
  const stderr = new Response(child.stderr).text();

  const done: Done[] = [];
  const queue: { args: string[]; done: Done }[] = [
    ...creates.map((code) => ({
      args: ["-o", code, "--create"],
      done: { kind: "create" as const, code, value: null },
    })),
    ...deletes.map((code) => ({
      args: ["-o", code, "--delete"],
      done: { kind: "delete" as const, code, value: null },
    })),
  ];
  let ops = 0;
  let conflicts = 0;
  const firstRequest = world.sim.requests.length;
  // Creates and deletes wait until the sync has read the store and is fetching: the race.
  const fetching = () => world.sim.requests.length > firstRequest + 5;
  while (!exited || queue.length) {
    let next = fetching() || exited ? queue.shift() : undefined;
    if (!next) {
      const code = linked[Math.floor(rand() * linked.length)];
      if (rand() < 0.5) {
        const pdu = pdus[Math.floor(rand() * pdus.length)];
        next = {
          args: ["-o", code, "--link-pdu", pdu],
          done: { kind: "pdu", code, value: pdu },
        };
      } else {
        const net = rand() < 0.3 ? null : networks[Math.floor(rand() * networks.length)];
        next = {
          args: net ? ["-o", code, "--link-network", net] : ["-o", code, "--unlink-network"],
          done: { kind: "network", code, value: net },
        };
      }
    }
    const { results } = await runMerge(command(next.args), deps);
    ops++;
    const r = results[0];
    if (r.result === "created" || r.result === "deleted" || r.result === "changed") {
      done.push(next.done);
    } else if (r.result === "unchanged") {
      done.push(next.done); // already so: the value must still hold
    } else if (/run it again/.test(r.detail)) {
      conflicts++;
      if (next.done.kind === "create" || next.done.kind === "delete") queue.push(next);
    } else if (next.done.kind === "create" || next.done.kind === "delete") {
      throw new Error(`merge ${next.args.join(" ")} failed: ${r.detail}`);
    }
    if (ops > 2000) break;
  }
  const code = (await status).code;
  const errors = await stderr;

  // What must hold now.
  const problems: string[] = [];
  const last = new Map<string, Done>();
  for (const d of done) last.set(`${d.kind}:${d.code}`, d);
  for (const d of last.values()) {
    const org = await store.get("organisation", d.code);
    if (d.kind === "create" && !org) problems.push(`created ${d.code} is missing`);
    if (d.kind === "delete") {
      if (org) problems.push(`deleted ${d.code} is back`);
      if (!(await store.kv.get(tombstoneKey("organisation", d.code))).value) {
        problems.push(`deleted ${d.code} has no tombstone`);
      }
    }
    if (d.kind === "pdu" && org && org.paediatric_diabetes_unit_code !== d.value) {
      problems.push(`${d.code} PDU is ${org.paediatric_diabetes_unit_code}, merge set ${d.value}`);
    }
    if (d.kind === "network" && org && org.openuk_network_code !== d.value) {
      problems.push(`${d.code} network is ${org.openuk_network_code}, merge set ${d.value}`);
    }
  }
  const deleted = new Set(deletes);
  let compared = 0;
  for (const [code, want] of reference) {
    if (deleted.has(code)) continue;
    const got = await store.get("organisation", code);
    if (!got) {
      problems.push(`sync's ${code} is missing`);
      continue;
    }
    compared++;
    for (const f of Object.keys(want) as (keyof Organisation)[]) {
      if (VOLATILE.has(f)) continue;
      if (JSON.stringify(got[f]) !== JSON.stringify(want[f])) {
        problems.push(
          `${code}.${f} is ${JSON.stringify(got[f])}, the sync applied ` +
            JSON.stringify(want[f]),
        );
        break;
      }
    }
  }
  problems.push(...await storeProblems(store, fields));
  store.close();
  const merges = done.length;
  return [
    {
      name: `round ${n}: the sync succeeded alongside the merges`,
      ok: code === 0,
      detail: `sync exit code ${code}${errors.trim() ? `: ${errors.trim().slice(0, 2000)}` : ""}`,
    },
    {
      name: `round ${n}: no lost update`,
      ok: problems.length === 0,
      detail: `${ops} merges run during the sync (${merges} succeeded, ${conflicts} refused ` +
        `"nothing written … run it again" and retried); ${compared} synced organisations ` +
        `compared field by field${problems.length ? `; ${problems.slice(0, 4).join("; ")}` : ""}`,
    },
  ];
}

/** Run `rounds` rounds of merges against a running sync. */
export async function concurrency(
  template: StoreTemplate,
  rounds: number,
): Promise<PartResult> {
  const started = performance.now();
  const prev = setLogSink(() => {});
  const world = await startChangeWorld({
    untracked: 3000,
    changed: 600,
    tracked: 200,
    newParents: true,
  });
  const checks: Check[] = [];
  try {
    for (let n = 1; n <= rounds; n++) {
      for (let i = 1; i <= 3; i++) {
        world.sim.dataset.addRecord(
          buildSite({
            code: `RGTZ${n}${i}`,
            name: `NEW SITE ${n}${i}`,
            lastChangeDate: CHANGE_DAY,
            trust: "RGT",
            start: CHANGE_DAY,
          }),
          CHANGE_DAY,
        );
      }
    }
    world.sim.publish("2026-11-24");
    // What the sync alone makes of the day's changes.
    const refStore = await Store.open(await template.copy("concurrency-ref"));
    await refStore.kv.set(syncStateKey, { ...INITIAL_SYNC_STATE, cursor: CHANGE_DAY });
    const ref = await runSync({
      store: refStore,
      source: createOdsSource(odsConfig(world.sim, "ord")),
      now: () => new Date(NOW),
      trigger: "test",
    });
    const reference = new Map((await refStore.list("organisation")).map((o) => [o.ods_code, o]));
    refStore.close();
    if (ref.run.outcome !== "success") throw new Error(`reference sync ${ref.run.outcome}`);
    world.sim.faults.latencyMs = 8;
    for (let n = 1; n <= rounds; n++) {
      checks.push(...await round(world, template, reference, n, 9000 + n));
    }
  } finally {
    setLogSink(prev);
    await world.sim.close();
  }
  return {
    part: "Concurrency",
    summary: `${rounds} round(s): \`deno task sync\` applying ${world.trackedChanged.length} ` +
      "tracked changes in its own process while this process runs merges (creates, deletes, " +
      "PDU and network links) on the organisations it is changing, in a loop until it ends",
    checks,
    ms: performance.now() - started,
  };
}
