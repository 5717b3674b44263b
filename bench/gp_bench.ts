/**
 * GP practice benchmarks: a simulated ODS with a national set of 15,000 practices, baselined
 * into a seeded store by the service's own sync through FHIR; then the request cost of that
 * baseline, start-up to a first practice answer, the practice routes against the bare-server
 * ceiling and the service's memory at that size.
 *
 * @module
 */
import { loadSeedFile } from "../lib/seed.ts";
import { seededRecords } from "../testing/ods_sim/seeded.ts";
import { type OdsSimulator, startOdsSimulator } from "../testing/ods_sim/server.ts";
import {
  type ApiBenchOptions,
  measureScenario,
  type Scenario,
  scenarioFigures,
  type Servers,
  startBaseline,
} from "./api_bench.ts";
import {
  type Child,
  freePort,
  median,
  peakRss,
  spawnDeno,
  START_ARGS,
  startService,
} from "../testing/proc.ts";
import type { Figure } from "../testing/report.ts";
import { NOW, SEED_LCD, type StoreTemplate } from "../testing/world.ts";

/** Practices in the simulated national set. */
const PRACTICES = 15_000;
/** The FHIR page size (`ODT_PAGE_SIZE`). */
const PAGE = 1000;

/** A FHIR baseline of the practices by the service's own sync; its practice requests. */
async function baseline(sim: OdsSimulator, kvPath: string): Promise<Figure> {
  const token = crypto.randomUUID();
  const service = await startService({
    kvPath,
    env: {
      ADMIN_TOKEN: token,
      ODS_SOURCE: "fhir",
      ODT_BASE_URL: sim.fhirBaseUrl,
      ODS_RATE_LIMIT: "100",
      ODT_PAGE_SIZE: String(PAGE),
    },
    quietAfterStart: true,
  });
  try {
    sim.clearRequests();
    const t = performance.now();
    const res = await fetch(`${service.url}/sync/run?full=true&wait=true`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = await res.json() as { run?: { outcome: string }; outcome?: string };
    const outcome = body.run?.outcome ?? body.outcome;
    const ms = performance.now() - t;
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

/** Start-up with the practices in the store, to a first 200 on a practice. */
async function startup(kvPath: string, code: string): Promise<Figure> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = freePort();
    const start = performance.now();
    const child = spawnDeno([...START_ARGS], {
      PORT: String(port),
      KV_PATH: kvPath,
      SYNC_CRON: "false",
    });
    try {
      for (;;) {
        const status = await fetch(`http://127.0.0.1:${port}/general_practices/${code}/`)
          .then(async (r) => (await r.body?.cancel(), r.status), () => 0);
        if (status === 200) break;
        if (performance.now() - start > 30_000) throw new Error("no practice answer");
        await new Promise((r) => setTimeout(r, 5));
      }
      times.push(performance.now() - start);
    } finally {
      await child.stop();
    }
  }
  return {
    group: "gp",
    what: `Start-up with ${PRACTICES.toLocaleString("en-GB")} practices to a first practice 200`,
    figure: Math.round(median(times)),
    unit: "ms",
    target: 1000,
    comparison: "le",
    detail: `median of 3 starts (${times.map((t) => Math.round(t)).join(", ")} ms), from ` +
      "spawning the process to a 200 for /general_practices/{code}/ (the practice cache is " +
      "loaded on the first practice request)",
    pass: true,
  };
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
    return figures;
  } finally {
    await sim.close();
  }
}
