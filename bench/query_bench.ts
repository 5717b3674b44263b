/**
 * Query benchmarks: what uncached queries cost the service and everyone else. The first
 * answers to heavy filtered lists, `/health` latency while many connections send queries never
 * asked before, the answer cache's memory under that stream, and detail latency while the
 * service's own sync re-baselines the store.
 *
 * @module
 */
import { type LoadGenerator, runLoad } from "../testing/loadgen.ts";
import { type Service, startService } from "../testing/proc.ts";
import type { Figure } from "../testing/report.ts";
import { startChangeWorld, type StoreTemplate } from "../testing/world.ts";

/** The default budget of the service's answer cache, in bytes (`API_CACHE_BUDGET_MB`). */
const BUDGET_BYTES = 32 * 1024 * 1024;

/** The i-th non-empty subset of `fields` (by the bits of i + 1). */
function subset(fields: readonly string[], i: number): string {
  const n = i + 1;
  return fields.filter((_, bit) => (n >> bit) & 1).join(",");
}

/** The codes and top-level fields of the organisations the service lists. */
export async function organisationsOf(
  origin: string,
): Promise<{ codes: string[]; fields: string[] }> {
  const list = await (await fetch(`${origin}/organisations/`)).json() as Record<string, unknown>[];
  return { codes: list.map((o) => String(o.ods_code)), fields: Object.keys(list[0]) };
}

/**
 * The first answers to heavy lists: `/organisations/?active=true`, then 40 queries for the same
 * rows with a different set of fields each, none asked before; each timed from the client.
 */
export async function firstQueries(origin: string, fields: readonly string[]): Promise<Figure> {
  const paths = ["/organisations/?active=true"];
  for (let i = 0; i < 40; i++) {
    paths.push(`/organisations/?active=true&fields=${subset(fields, 1000 + i * 37)}`);
  }
  const times: number[] = [];
  let bad = 0;
  for (const path of paths) {
    const t = performance.now();
    const res = await fetch(`${origin}${path}`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
    if (res.status !== 200) bad++;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
  return {
    group: "api",
    what: "First (uncached) heavy list: GET /organisations/?active=true p99",
    figure: Math.round(p99 * 100) / 100,
    unit: "ms",
    target: 20,
    comparison: "le",
    detail: `${paths.length} queries never asked before (?active=true, then 40 with another ` +
      `set of fields each), one at a time; the first took ${times[0].toFixed(2)} ms, median ` +
      `${sorted[Math.floor(sorted.length / 2)].toFixed(2)} ms; ${bad} not 200`,
    pass: bad === 0,
  };
}

/**
 * 10,000 distinct queries, none asked before: heavy lists with a different set of fields each,
 * single organisations with a set of fields, and names that match nothing.
 */
function distinctQueries(codes: readonly string[], fields: readonly string[]): string[] {
  const paths: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const set = subset(fields, 2000 + i);
    if (i % 3 === 0) paths.push(`/organisations/?active=true&fields=${set}`);
    else if (i % 3 === 1) {
      paths.push(`/organisations/?ods_code=${codes[i % codes.length]}&fields=${set}`);
    } else paths.push(`/organisations/?name=NO%20SUCH%20PLACE%20${i}`);
  }
  return paths;
}

/**
 * `/health` latency (one connection) while 64 connections send the stream of distinct
 * queries; then the answer cache's bytes against its budget.
 */
export async function healthUnderQueries(
  service: Service,
  generator: LoadGenerator,
  org: { codes: string[]; fields: string[] },
  durationS: number,
): Promise<Figure[]> {
  const paths = distinctQueries(org.codes, org.fields);
  const storm = runLoad(generator, { origin: service.url, paths, connections: 64, durationS });
  const health = await runLoad(generator, {
    origin: service.url,
    paths: ["/health"],
    connections: 1,
    durationS,
  });
  const load = await storm;
  const cache = (await (await fetch(`${service.url}/health`)).json()).answer_cache as {
    bytes: number;
    keys: number;
    entries: number;
    misses: number;
    evictions: number;
  };
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  return [{
    group: "api",
    what: "/health p99 while 64 connections send distinct uncached queries",
    figure: Math.round(health.p99Ms * 100) / 100,
    unit: "ms",
    target: 20,
    comparison: "le",
    detail: `${paths.length} distinct queries (a third heavy lists, a third single ` +
      `organisations, a third matching nothing), ${load.requests} sent ` +
      `(${Math.round(load.rps)}/s, p99 ${load.p99Ms.toFixed(1)} ms); /health p50 ` +
      `${health.p50Ms.toFixed(2)} ms over ${health.requests} requests`,
    pass: load.errors + load.non2xx + health.errors + health.non2xx === 0,
  }, {
    group: "api",
    what: "Answer cache memory under 10,000 distinct queries",
    figure: Math.round(cache.bytes / 1024 / 1024 * 10) / 10,
    unit: "MB",
    target: Math.round(BUDGET_BYTES / 1024 / 1024),
    comparison: "le",
    detail: `after the stream above: ${cache.entries} answers under ${cache.keys} keys, ` +
      `${cache.misses} built, ${cache.evictions} evicted; budget ${mb(BUDGET_BYTES)} MB ` +
      "(peak RSS of the process: the memory figure below)",
    pass: cache.misses > 0,
  }];
}

/**
 * Detail latency while the service's own sync re-baselines a seeded store (about 640 records
 * changed in a few dozen commits): load on every organisation's detail route during
 * `POST /sync/run?full=true&wait=true`.
 */
export async function detailsDuringRebaseline(
  template: StoreTemplate,
  generator: LoadGenerator,
  connections: number,
): Promise<Figure> {
  const world = await startChangeWorld({ untracked: 2000, changed: 100, tracked: 60 });
  const token = crypto.randomUUID();
  const service = await startService({
    kvPath: await template.copy("rebaseline-load"),
    // The re-baseline of the measure: the ~650 tracked records, without practices.
    env: {
      ADMIN_TOKEN: token,
      ORD_BASE_URL: world.sim.ordBaseUrl,
      ODS_RATE_LIMIT: "100",
      SYNC_GP_PRACTICES: "false",
    },
    quietAfterStart: true,
  });
  try {
    const { codes } = await organisationsOf(service.url);
    const paths = codes.map((c) => `/organisations/${c}/`);
    const t = performance.now();
    const load = runLoad(generator, { origin: service.url, paths, connections, durationS: 8 });
    const res = await fetch(`${service.url}/sync/run?full=true&wait=true`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = await res.json() as { run?: { outcome: string; changed: number } };
    const run = body.run ?? (body as { outcome?: string; changed?: number });
    const syncMs = performance.now() - t;
    const r = await load;
    return {
      group: "api",
      what: "API latency p99 on details during a re-baseline",
      figure: Math.round(r.p99Ms * 100) / 100,
      unit: "ms",
      target: 10,
      comparison: "le",
      detail: `${connections} connections on ${paths.length} detail routes for 8 s while the ` +
        `service's own full sync ran (${Math.round(syncMs)} ms, ${run.changed} records ` +
        `changed, outcome ${run.outcome}); ${r.requests} requests, p50 ${r.p50Ms.toFixed(2)} ms`,
      pass: r.errors + r.non2xx === 0 && run.outcome === "success" && Number(run.changed) > 0,
    };
  } finally {
    await service.stop();
    await world.sim.close();
  }
}
