/**
 * GP practice benchmarks: a simulated ODS with a national set of 15,000 practices, baselined
 * into a seeded store by the service's own sync through FHIR; then the request cost of that
 * baseline, start-up to a first practice answer, the practice routes against the bare-server
 * ceiling and the service's memory at that size; last, the rebuild of the practice snapshot
 * after an incremental sync commit, with the detail latency around it.
 *
 * @module
 */
import { addDays, ukDate } from "../lib/dates.ts";
import { copyStored } from "../lib/api/practice_copy.ts";
import { gpVersionKey, syncStateKey } from "../lib/keys.ts";
import { Store } from "../lib/store.ts";
import { loadSeedFile } from "../lib/seed.ts";
import { type LoadGenerator, type LoadResult, runLoad } from "../testing/loadgen.ts";
import { seededRecords } from "../testing/ods_sim/seeded.ts";
import { type OdsSimulator, startOdsSimulator } from "../testing/ods_sim/server.ts";
import {
  type ApiBenchOptions,
  measureScenario,
  type Scenario,
  scenarioFigures,
  type Servers,
  startBaseline,
  startupTimes,
} from "./api_bench.ts";
import { type Child, median, peakRss, type Service, startService } from "../testing/proc.ts";
import type { Figure } from "../testing/report.ts";
import { NOW, SEED_LCD, type StoreTemplate } from "../testing/world.ts";

/** Practices in the simulated national set. */
const PRACTICES = 15_000;
/** The FHIR page size (`ODT_PAGE_SIZE`). */
const PAGE = 1000;

/** The service syncing from the simulator's FHIR API, with `token` as its admin token. */
function fhirService(
  sim: OdsSimulator,
  kvPath: string,
  token: string,
  env: Record<string, string> = {},
): Promise<Service> {
  return startService({
    kvPath,
    env: {
      ADMIN_TOKEN: token,
      ODS_SOURCE: "fhir",
      ODT_BASE_URL: sim.fhirBaseUrl,
      ODS_RATE_LIMIT: "100",
      ODT_PAGE_SIZE: String(PAGE),
      ...env,
    },
    quietAfterStart: true,
  });
}

/** What the benchmarks read of a run's answer (the run record). */
interface RunAnswer {
  outcome?: string;
  requests?: number;
  gp_practices?: { kind: string; changed: number };
}

/** `POST /sync/run?wait=true` (`full`: a baseline): the run record and the wall time. */
async function syncNow(
  service: Service,
  token: string,
  full = false,
): Promise<{ run: RunAnswer; ms: number }> {
  const t = performance.now();
  const res = await fetch(`${service.url}/sync/run?${full ? "full=true&" : ""}wait=true`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = await res.json() as RunAnswer & { run?: RunAnswer };
  return { run: body.run ?? body, ms: performance.now() - t };
}

/** A FHIR baseline of the practices by the service's own sync; its practice requests. */
async function baseline(sim: OdsSimulator, kvPath: string): Promise<Figure> {
  const token = crypto.randomUUID();
  const service = await fhirService(sim, kvPath, token);
  try {
    sim.clearRequests();
    const { run, ms } = await syncNow(service, token, true);
    const outcome = run.outcome;
    const practiceRequests = sim.requests.filter((r) => r.query.includes("RO76")).length;
    const target = Math.ceil(PRACTICES / PAGE) + 5;
    return {
      group: "gp",
      what: `FHIR baseline of ${PRACTICES.toLocaleString("en-GB")} GP practices`,
      figure: practiceRequests,
      unit: "requests",
      target,
      comparison: "le",
      detail: `roleCode pages of ${PAGE} with their affiliations, by the service's own full ` +
        `sync (${Math.round(ms)} ms in all, ${sim.requests.length} requests with the other ` +
        `kinds); outcome ${outcome}`,
      pass: outcome === "success",
    };
  } finally {
    await service.stop();
  }
}

/**
 * Serve a practice until the practice cache's copy of the GP version is stored, as a service
 * does once it has answered practice requests after a sync (the copy is written when the cache
 * confirms its version a second time, a cache age later).
 */
async function storeCopy(kvPath: string, code: string): Promise<void> {
  const service = await startService({ kvPath, quietAfterStart: true });
  const store = await Store.open(kvPath);
  try {
    const version = await store.gpVersion();
    for (let tries = 0; !(await copyStored(store, version)); tries++) {
      if (tries === 50) throw new Error("the practice cache's copy was not stored");
      await (await fetch(`${service.url}/general_practices/${code}/`)).body?.cancel();
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    store.close();
    await service.stop();
  }
}

/**
 * Start-up with the practices in the store, to a first 200 on a practice: judged on the store of
 * a service that has served practices since the baseline (its practice cache's copy stored, the
 * usual case); the starts before the copy exists are in the detail.
 */
async function startup(kvPath: string, code: string): Promise<Figure> {
  const path = `/general_practices/${code}/`;
  const listing = await startupTimes(kvPath, path, 3);
  await storeCopy(kvPath, code);
  const times = await startupTimes(kvPath, path, 3);
  const ms = (list: number[]) => list.map((t) => Math.round(t)).join(", ");
  return {
    group: "gp",
    what: `Start-up with ${PRACTICES.toLocaleString("en-GB")} practices to a first practice 200`,
    figure: Math.round(median(times)),
    unit: "ms",
    target: 1000,
    comparison: "le",
    detail: `median of 3 starts (${ms(times)} ms), from spawning the process to a 200 for ` +
      "/general_practices/{code}/, on the store of a service that has served practices since " +
      "the baseline: the practice cache is read from its stored copy. Before the copy was " +
      `stored (every practice listed and built): ${ms(listing)} ms`,
    pass: true,
  };
}

/**
 * The whole practice list (some 7.5 MB of JSON) as a client that takes gzip gets it, against
 * bare servers sending the same compressed bytes.
 */
async function wholeListGzip(
  service: Service,
  dir: string,
  children: Child[],
  o: ApiBenchOptions,
): Promise<Figure[]> {
  const path = "/general_practices/";
  const gzip = { "Accept-Encoding": "gzip" };
  for (let i = 0; i < 3; i++) {
    await (await fetch(`${service.url}${path}`, { headers: gzip })).body?.cancel(); // compressed once
  }
  await Deno.writeTextFile(`${dir}/list.json`, JSON.stringify([path]));
  const same = await startBaseline(service, `${dir}/list.json`, children, "--gzip");
  const bodyOnly = await startBaseline(
    service,
    `${dir}/list.json`,
    children,
    "--body-only",
    "--gzip",
  );
  const s: Scenario = {
    name: `GET ${path} (all ${PRACTICES.toLocaleString("en-GB")}, gzip)`,
    paths: [path],
    target: 0.8,
    headers: gzip,
  };
  o.log(`gp: ${s.name}`);
  const raw = await measureScenario(s, { service, same, bodyOnly }, o);
  return (await scenarioFigures(s, raw, service, o)).map((f) => ({ ...f, group: "gp" }));
}

/** The practice routes against the bare-server ceiling, then the service's peak memory. */
async function underLoad(
  kvPath: string,
  o: ApiBenchOptions,
  codes: string[],
  postcodes: string[],
): Promise<Figure[]> {
  const service = await startService({ kvPath, quietAfterStart: true });
  const dir = await Deno.makeTempDir({ prefix: "bench-gp-" });
  const children: Child[] = [];
  try {
    const details = codes.map((c) => `/general_practices/${c}/`);
    const byPostcode = postcodes.map((p) => `/general_practices/?postcode=${encodeURI(p)}`);
    for (const p of [...details, ...byPostcode]) {
      await (await fetch(`${service.url}${p}`)).body?.cancel(); // prepared once
    }
    await Deno.writeTextFile(`${dir}/paths.json`, JSON.stringify([...details, ...byPostcode]));
    const same = await startBaseline(service, `${dir}/paths.json`, children);
    const bodyOnly = await startBaseline(service, `${dir}/paths.json`, children, "--body-only");
    const servers: Servers = { service, same, bodyOnly };
    const figures: Figure[] = [];
    const scenarios: Scenario[] = [
      {
        name: `GET /general_practices/{code}/ (${details.length} codes)`,
        paths: details,
        target: 0.8,
      },
      {
        name: `GET /general_practices/?postcode= (${byPostcode.length} postcodes, repeated)`,
        paths: byPostcode,
        target: 0.8,
      },
    ];
    for (const s of scenarios) {
      o.log(`gp: ${s.name}`);
      const raw = await measureScenario(s, servers, o);
      figures.push(
        ...(await scenarioFigures(s, raw, service, o)).map((f) => ({ ...f, group: "gp" })),
      );
    }
    figures.push(...await wholeListGzip(service, dir, children, o));
    const rss = await peakRss(service.pid);
    figures.push({
      group: "gp",
      what: `Memory: peak RSS with ${PRACTICES.toLocaleString("en-GB")} practices under load`,
      figure: rss === null ? NaN : Math.round(rss / 1024 / 1024 * 10) / 10,
      unit: "MB",
      target: 200,
      comparison: "le",
      detail: "VmHWM of the service after the practice loads above",
      pass: rss !== null,
    });
    return figures;
  } finally {
    for (const child of children) await child.stop();
    await service.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Practice renames timed by {@linkcode rebuildAfterCommit}. */
const REBUILDS = 3;
/** Connections of the steady detail load around the rebuilds. */
const REBUILD_LOAD = 4;
/** Seconds of each of the back-to-back load runs around the rebuilds. */
const WINDOW_S = 2;

/** What one rebuild needs: the simulator, the service, its admin token and its store. */
interface RebuildContext {
  sim: OdsSimulator;
  service: Service;
  token: string;
  /** The service's KV store, opened by the benchmark too: it sees the run's commit. */
  kv: Deno.Kv;
}

/** One timed rebuild. */
interface Rebuild {
  code: string;
  /** The incremental run, from the request to its answer. */
  runMs: number;
  /** From the run's practice commit to the first detail answer with the new name (NaN: never). */
  rebuildMs: number;
  /** From the run's answer to that first answer (negative: it came before the run's answer). */
  afterAnswerMs: number;
  outcome: string;
  /** Practices and sub-ICB locations the run changed. */
  changed: number;
  /** Detail requests sent until the new name came back, and the slowest of them (ms). */
  polls: number;
  slowestMs: number;
}

/**
 * Publish the simulator's pending changes (and its future-date checker) as of tomorrow, UK
 * time: the next incremental run, querying from today (its cursor), sees them.
 */
function publishNow(sim: OdsSimulator): void {
  sim.publish(addDays(ukDate(new Date()), 1));
}

/**
 * `performance.now()` just before the read that first finds the GP version in KV moved from
 * `before` (read every 2 ms, so the commit was at most a few ms earlier); NaN when `ended()`
 * was already true and the version had not moved.
 */
async function committedAt(
  kv: Deno.Kv,
  before: string | null,
  ended: () => boolean,
): Promise<number> {
  for (;;) {
    const last = ended();
    const t = performance.now();
    if ((await kv.get(gpVersionKey)).versionstamp !== before) return t;
    if (last) return NaN;
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * Ask for `url` back to back until an answer's `name` is `name`: ms since `from` (NaN after
 * `timeoutMs`), the asks and the slowest ask.
 */
async function firstAnswerWith(
  url: string,
  name: string,
  from: number,
  timeoutMs = 30_000,
): Promise<{ ms: number; polls: number; slowestMs: number }> {
  let polls = 0;
  let slowestMs = 0;
  while (performance.now() - from < timeoutMs) {
    polls++;
    const t = performance.now();
    const res = await fetch(url);
    const body = res.ok ? await res.json() as { name?: string } : await res.body?.cancel();
    const now = performance.now();
    slowestMs = Math.max(slowestMs, now - t);
    if (body?.name === name) return { ms: now - from, polls, slowestMs };
  }
  return { ms: NaN, polls, slowestMs };
}

/**
 * Rename `code` in the simulator and run an incremental sync; from the run's commit (the GP
 * version moving in KV), ask for the practice until it carries the new name.
 */
async function oneRebuild(c: RebuildContext, code: string, round: number): Promise<Rebuild> {
  const name = `BENCH REBUILD ${round + 1} SURGERY`;
  c.sim.dataset.rename(code, name, ukDate(new Date()));
  publishNow(c.sim);
  const before = (await c.kv.get(gpVersionKey)).versionstamp;
  let answeredAt = NaN;
  const running = syncNow(c.service, c.token).finally(() => answeredAt = performance.now());
  running.catch(() => {}); // awaited below
  const commit = await committedAt(c.kv, before, () => !Number.isNaN(answeredAt));
  const seen = Number.isNaN(commit)
    ? { ms: NaN, polls: 0, slowestMs: NaN }
    : await firstAnswerWith(`${c.service.url}/general_practices/${code}/`, name, commit);
  const { run, ms } = await running;
  return {
    code,
    runMs: ms,
    rebuildMs: seen.ms,
    afterAnswerMs: commit + seen.ms - answeredAt,
    outcome: run.outcome ?? "no answer",
    changed: run.gp_practices?.changed ?? NaN,
    polls: seen.polls,
    slowestMs: seen.slowestMs,
  };
}

/** Load runs of {@linkcode WINDOW_S} seconds, back to back, until `done()`. */
async function loadUntil(
  generator: LoadGenerator,
  origin: string,
  paths: readonly string[],
  done: () => boolean,
): Promise<LoadResult[]> {
  const windows: LoadResult[] = [];
  while (!done()) {
    const o = { origin, paths, connections: REBUILD_LOAD, durationS: WINDOW_S };
    windows.push(await runLoad(generator, o));
  }
  return windows;
}

/** How one rebuild went, in words. */
function rebuildWords(r: Rebuild): string {
  const answer = Math.round(r.afterAnswerMs);
  return `${Math.round(r.rebuildMs)} ms (${r.code}: run ${Math.round(r.runMs)} ms, ${r.outcome}, ` +
    `${r.changed} changed; new name ${Math.abs(answer)} ms ${answer < 0 ? "before" : "after"} ` +
    `the run's answer; ${r.polls} asks, the slowest ${Math.round(r.slowestMs)} ms)`;
}

/** The rebuild figure (median of the rounds) and the detail latency around them. */
function rebuildFigures(
  rounds: readonly Rebuild[],
  windows: readonly LoadResult[],
  o: { generator: LoadGenerator; paths: number; warm: Warm },
): Figure[] {
  const ok = rounds.every((r) => r.outcome === "success" && Number.isFinite(r.rebuildMs));
  const sum = (f: (w: LoadResult) => number) => windows.reduce((a, w) => a + f(w), 0);
  const p99s = windows.map((w) => w.p99Ms);
  const errors = sum((w) => w.errors + w.non2xx);
  return [{
    group: "gp",
    what: `Practice snapshot rebuild after one sync commit with ${
      PRACTICES.toLocaleString("en-GB")
    } practices`,
    figure: ok ? Math.round(median(rounds.map((r) => r.rebuildMs))) : NaN,
    unit: "ms",
    target: 1000,
    comparison: "le",
    detail: `median of ${rounds.length} renames of a practice in the simulator, each applied by ` +
      "the service's own incremental FHIR sync (POST /sync/run?wait=true), timed from the " +
      "commit (the GP version moving in KV) to the first GET /general_practices/{code}/ (asked " +
      `back to back) carrying the new name, under the load below: ${
        rounds.map(rebuildWords).join("; ")
      }. An unmeasured run first applied the simulator's own changes since the baseline ` +
      `(run ${Math.round(o.warm.ms)} ms, ${o.warm.outcome}, ${o.warm.changed} changed)`,
    pass: ok,
  }, {
    group: "gp",
    what: "Practice detail p99 during sync commits and snapshot rebuilds",
    figure: Math.round(Math.max(...p99s) * 100) / 100,
    unit: "ms",
    target: 50,
    comparison: "le",
    detail: `the worst p99 of ${windows.length} load runs of ${WINDOW_S} s back to back, each ` +
      `${REBUILD_LOAD} connections (closed loop) on ${o.paths} practice detail routes, from 1 s ` +
      `before the first of the ${rounds.length} runs above to after the last rebuild (median ` +
      `window p99 ${median(p99s).toFixed(2)} ms); ${sum((w) => w.requests)} requests, ` +
      `${errors} errors or non-2xx. The first request after a commit waits for the new ` +
      `snapshot (the others get the previous one)${
        o.generator === "wrk"
          ? "; wrk counts such a wait as the requests its connection would have sent meanwhile " +
            "(its coordinated-omission correction)"
          : ""
      }`,
    pass: ok && windows.length > 0 && errors === 0,
  }];
}

/** The unmeasured first run of {@linkcode rebuildAfterCommit}. */
interface Warm {
  ms: number;
  outcome: string;
  changed: number;
}

/**
 * Before the measure: a run applying the simulator's first publication since the baseline
 * (the statuses its future-date checker flips), then the list and `paths` served once.
 */
async function warmUp(c: RebuildContext, paths: readonly string[]): Promise<Warm> {
  publishNow(c.sim);
  const { run, ms } = await syncNow(c.service, c.token);
  const outcome = run.outcome ?? "no answer";
  if (outcome !== "success" && outcome !== "empty") throw new Error(`warm-up run: ${outcome}`);
  for (const p of ["/general_practices/", ...paths]) {
    await (await fetch(`${c.service.url}${p}`)).body?.cancel();
  }
  return { ms, outcome, changed: run.gp_practices?.changed ?? NaN };
}

/**
 * The practice snapshot's rebuild after an incremental sync commit, at national size: the
 * service (FHIR source, warm: the list and the details already served) while a few connections
 * ask for practice details throughout, and {@linkcode REBUILDS} renames in the simulator, each
 * followed by `POST /sync/run?wait=true` and timed from its commit to the first answer with
 * the new name.
 */
async function rebuildAfterCommit(
  sim: OdsSimulator,
  kvPath: string,
  codes: readonly string[],
  generator: LoadGenerator,
): Promise<Figure[]> {
  const token = crypto.randomUUID();
  // No postcode look-ups (SYNC_POSTCODE_LOOKUPS, the local authority step): at this size they
  // would fill every run for seconds after its practice commit, and the measure is the commit.
  const env = { SYNC_POSTCODE_LOOKUPS: "0" };
  const service = await fhirService(sim, kvPath, token, env);
  const kv = await Deno.openKv(kvPath);
  try {
    const c: RebuildContext = { sim, service, token, kv };
    const paths = codes.map((code) => `/general_practices/${code}/`);
    const warm = await warmUp(c, paths);
    let done = false;
    const load = loadUntil(generator, service.url, paths, () => done);
    load.catch(() => {}); // awaited below
    const rounds: Rebuild[] = [];
    try {
      await new Promise((r) => setTimeout(r, 1000)); // the load running steadily first
      for (let i = 0; i < REBUILDS; i++) rounds.push(await oneRebuild(c, codes[1 + i], i));
    } finally {
      done = true;
    }
    return rebuildFigures(rounds, await load, { generator, paths: paths.length, warm });
  } finally {
    kv.close();
    await service.stop();
  }
}

/** Practices renamed for {@linkcode ordDailyCost}. */
const ORD_RENAMES = 5;

/**
 * A daily ORD run's request cost with the practices tracked: the same run on two copies of the
 * store, with `SYNC_GP_PRACTICES=false` and with it on, after {@linkcode ORD_RENAMES} practices
 * were renamed in the simulator. The practices may add only the `Roles=` search pages with
 * `LastChangeDate` and one request per record the search lists (its `X-Total-Count`).
 */
async function ordDailyCost(sim: OdsSimulator, kvPath: string, codes: string[]): Promise<Figure> {
  const renamed = codes.slice(-ORD_RENAMES);
  for (const code of renamed) {
    sim.dataset.rename(code, `ORD DAILY ${code} SURGERY`, ukDate(new Date()));
  }
  publishNow(sim);
  const kv = await Deno.openKv(kvPath);
  const state = (await kv.get<{ gp_cursor?: string | null }>(syncStateKey)).value;
  kv.close();
  const search = await fetch(
    `${sim.ordBaseUrl}/organisations?Roles=RO76,RO98&LastChangeDate=${state?.gp_cursor}&Limit=1000`,
  );
  await search.body?.cancel();
  const listed = Number(search.headers.get("X-Total-Count"));
  const runs: { run: RunAnswer; names: string[] }[] = [];
  for (const gp of ["false", "true"]) {
    const copy = `${kvPath}-ord-${gp}.sqlite`;
    await Deno.copyFile(kvPath, copy);
    const token = crypto.randomUUID();
    const service = await startService({
      kvPath: copy,
      env: {
        ADMIN_TOKEN: token,
        ODS_RATE_LIMIT: "100",
        ORD_BASE_URL: sim.ordBaseUrl,
        SYNC_GP_PRACTICES: gp,
        SYNC_POSTCODE_LOOKUPS: "0",
      },
      quietAfterStart: true,
    });
    try {
      const { run } = await syncNow(service, token);
      const names = await Promise.all(
        renamed.map(async (code) =>
          (await (await fetch(`${service.url}/general_practices/${code}/`)).json()).name as string
        ),
      );
      runs.push({ run, names });
    } finally {
      await service.stop();
    }
  }
  const [without, withGp] = runs;
  const pages = Math.max(1, Math.ceil(listed / 1000));
  const target = (without.run.requests ?? NaN) + pages + listed;
  const applied = withGp.names.filter((n, i) => n === `ORD DAILY ${renamed[i]} SURGERY`).length;
  return {
    group: "gp",
    what: "Daily ORD sync request cost with GP practices tracked",
    figure: withGp.run.requests ?? NaN,
    unit: "requests",
    target,
    comparison: "eq",
    detail: `${ORD_RENAMES} practices renamed in the simulator; the same run without practices ` +
      `(SYNC_GP_PRACTICES=false: tracked changes + new parents + change list + deletion list) ` +
      `made ${without.run.requests} requests, ${without.run.outcome}; with them, + ${pages} ` +
      `Roles=RO76,RO98 search page(s) with LastChangeDate + ${listed} records it lists; ` +
      `outcome ${withGp.run.outcome}, ${applied}/${ORD_RENAMES} renames served`,
    pass: without.run.outcome === "success" && withGp.run.outcome === "success" &&
      applied === ORD_RENAMES,
  };
}

/**
 * Run the GP practice benchmarks.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: minutes of work (`deno task bench` runs it).
 * import { StoreTemplate } from "../testing/world.ts";
 * import { gpBenchmarks } from "./gp_bench.ts";
 * const figures = await gpBenchmarks(new StoreTemplate(await Deno.makeTempDir()), {
 *   generator: "wrk",
 *   connections: 32,
 *   durationS: 5,
 *   rounds: 3,
 *   log: console.error,
 * });
 * ```
 */
export async function gpBenchmarks(
  template: StoreTemplate,
  o: ApiBenchOptions,
): Promise<Figure[]> {
  const seed = loadSeedFile();
  const sim = await startOdsSimulator({
    now: NOW,
    clock: { frozen: true },
    records: seededRecords(seed, SEED_LCD),
    national: { untracked: 0, tracked: {}, gpPractices: PRACTICES, seed: 3 },
  });
  try {
    const kvPath = await template.copy("gp");
    const figures = [await baseline(sim, kvPath)];
    const practices = [...sim.dataset.records()].filter((o) =>
      o.Roles.Role.some((r) => r.id === "RO76") && o.Status === "Active"
    );
    const codes = practices.slice(0, 500).map((o) => o.OrgId.extension);
    const postcodes = [
      ...new Set(practices.slice(0, 500).map((o) => o.GeoLoc?.Location.PostCode ?? "")),
    ].filter(Boolean);
    figures.push(await startup(kvPath, codes[0]));
    figures.push(...await underLoad(kvPath, o, codes, postcodes));
    o.log("gp: practice snapshot rebuilds after incremental sync commits");
    figures.push(...await rebuildAfterCommit(sim, kvPath, codes, o.generator));
    o.log("gp: a daily ORD run's request cost with the practices tracked");
    figures.push(await ordDailyCost(sim, kvPath, codes));
    return figures;
  } finally {
    await sim.close();
  }
}
