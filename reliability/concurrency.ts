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
import { type ActionCommand, type MergeDeps, runMerge } from "../lib/merge/run.ts";
import type { Organisation } from "../lib/model.ts";
import { createOdsSource } from "../lib/ods/source.ts";
import { Store } from "../lib/store.ts";
import { runSync } from "../lib/sync/run.ts";
import { syncStateKey } from "../lib/keys.ts";
import { INITIAL_SYNC_STATE } from "../lib/sync/state.ts";
import { buildSite } from "../testing/ods_sim/kinds.ts";
import { ROOT } from "../testing/proc.ts";
import {
  CHANGE_DAY,
  type ChangeWorld,
  NOW,
  odsConfig,
  startChangeWorld,
  type StoreTemplate,
} from "../testing/world.ts";
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

/** What one round's merges aim at. */
interface Targets {
  /** Sites the sync is changing right now that the round deletes. */
  deletes: string[];
  /** Sites the sync is changing right now whose PDU and network the round links. */
  linked: string[];
  /** New sites ODS has that the round creates. */
  creates: string[];
  pdus: string[];
  networks: string[];
}

function targetsOf(
  world: ChangeWorld,
  reference: Map<string, Organisation>,
  rand: () => number,
  n: number,
): Targets {
  const changedSites = world.trackedChanged.filter((c) => reference.has(c) && !c.startsWith("7"));
  const targets = changedSites.filter(() => rand() < 0.5).slice(0, 12);
  return {
    deletes: targets.slice(0, 3),
    linked: targets.slice(3),
    creates: [1, 2, 3].map((i) => `RGTZ${n}${i}`),
    pdus: ["PZ041", "PZ024", "PZ100", "PZ215"].filter((p) =>
      world.seed.records.paediatric_diabetes_unit.some((u) => u.pz_code === p)
    ),
    networks: world.seed.records.openuk_network.map((x) => x.boundary_identifier),
  };
}

/** `deno task sync` on `kvPath`, in its own process. */
function spawnSync(world: ChangeWorld, kvPath: string) {
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
  const sync = { exited: false, status: child.status, stderr: new Response(child.stderr).text() };
  sync.status = child.status.finally(() => sync.exited = true);
  return sync;
}

/** A PDU or network link (or unlink) of one of the linked sites, drawn at random. */
function randomLink(t: Targets, rand: () => number): { args: string[]; done: Done } {
  const code = t.linked[Math.floor(rand() * t.linked.length)];
  if (rand() < 0.5) {
    const pdu = t.pdus[Math.floor(rand() * t.pdus.length)];
    return { args: ["-o", code, "--link-pdu", pdu], done: { kind: "pdu", code, value: pdu } };
  }
  const net = rand() < 0.3 ? null : t.networks[Math.floor(rand() * t.networks.length)];
  return {
    args: net ? ["-o", code, "--link-network", net] : ["-o", code, "--unlink-network"],
    done: { kind: "network", code, value: net },
  };
}

/** What the merges did while the sync ran. */
interface Merged {
  done: Done[];
  ops: number;
  conflicts: number;
}

/**
 * Merges until the sync exits: creates and deletes once the sync is fetching (the race), links
 * in between; a merge refused because the store moved is retried.
 */
async function mergeWhileSyncing(
  world: ChangeWorld,
  deps: MergeDeps,
  t: Targets,
  rand: () => number,
  sync: { exited: boolean },
): Promise<Merged> {
  const done: Done[] = [];
  const queue: { args: string[]; done: Done }[] = [
    ...t.creates.map((code) => ({
      args: ["-o", code, "--create"],
      done: { kind: "create" as const, code, value: null },
    })),
    ...t.deletes.map((code) => ({
      args: ["-o", code, "--delete"],
      done: { kind: "delete" as const, code, value: null },
    })),
  ];
  let ops = 0;
  let conflicts = 0;
  const firstRequest = world.sim.requests.length;
  // Creates and deletes wait until the sync has read the store and is fetching: the race.
  const fetching = () => world.sim.requests.length > firstRequest + 5;
  while (!sync.exited || queue.length) {
    const next = (fetching() || sync.exited ? queue.shift() : undefined) ?? randomLink(t, rand);
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
  return { done, ops, conflicts };
}

/** Every merge that succeeded still shows (last one per code and kind wins). */
async function lostMerges(store: Store, done: Done[]): Promise<string[]> {
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
  return problems;
}

/** Every change the sync applied shows too, field by field (merged fields aside). */
async function lostSyncChanges(
  store: Store,
  reference: Map<string, Organisation>,
  deleted: ReadonlySet<string>,
): Promise<{ problems: string[]; compared: number }> {
  const problems: string[] = [];
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
  return { problems, compared };
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
  const deps: MergeDeps = {
    store,
    source: createOdsSource(odsConfig(world.sim, "ord")),
    reference: world.seed.memberships,
    prompter: new YesPrompter(() => {}),
    write: () => {},
    painter: new Painter(false),
  };
  const t = targetsOf(world, reference, rand, n);
  const sync = spawnSync(world, kvPath);
  const { done, ops, conflicts } = await mergeWhileSyncing(world, deps, t, rand, sync);
  const code = (await sync.status).code;
  const errors = await sync.stderr;
  const problems = await lostMerges(store, done);
  const synced = await lostSyncChanges(store, reference, new Set(t.deletes));
  problems.push(...synced.problems, ...await storeProblems(store, fields));
  store.close();
  return [
    {
      name: `round ${n}: the sync succeeded alongside the merges`,
      ok: code === 0,
      detail: `sync exit code ${code}${errors.trim() ? `: ${errors.trim().slice(0, 2000)}` : ""}`,
    },
    {
      name: `round ${n}: no lost update`,
      ok: problems.length === 0,
      detail: `${ops} merges run during the sync (${done.length} succeeded, ${conflicts} ` +
        `refused "nothing written … run it again" and retried); ${synced.compared} synced ` +
        `organisations compared field by field` +
        `${problems.length ? `; ${problems.slice(0, 4).join("; ")}` : ""}`,
    },
  ];
}

/**
 * Run `rounds` rounds of merges against a running sync.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: tests/reliability/short_test.ts runs one round.
 * import { StoreTemplate } from "../testing/world.ts";
 * import { concurrency } from "./concurrency.ts";
 * const part = await concurrency(new StoreTemplate(await Deno.makeTempDir()), 1);
 * ```
 */
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
