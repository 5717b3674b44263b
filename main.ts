/**
 * The service: seeds an empty store, serves the API and schedules the daily ODS sync.
 *
 * Runs unchanged locally (`deno task start`), on Deno Deploy (managed KV and cron), and against a
 * remote KV Connect URL (`KV_PATH` + `DENO_KV_ACCESS_TOKEN`).
 *
 * @module
 */
import { OffThread } from "./lib/api/off_thread.ts";
import { createApp } from "./api.ts";
import { ConfigError, listenUrl, loadConfig } from "./lib/config.ts";
import { serveResilient } from "./lib/listen.ts";
import { log, setLogLevel } from "./lib/log.ts";
import { createOdsSource } from "./lib/ods/source.ts";
import { ensureSeeded } from "./lib/startup.ts";
import { Store } from "./lib/store.ts";
import { postcodeResolver } from "./lib/api/geography_routes.ts";
import { SYNC_PATHS } from "./lib/api/sync_openapi.ts";
import { registerSyncRoutes } from "./lib/api/sync_routes.ts";
import { releaseHeldLeases } from "./lib/sync/lease.ts";
import { registerCronJobs } from "./lib/sync/schedule.ts";

if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
  console.log(
    `The NHS organisations service: the API, the maintainers' pages and the daily ODS sync.

Usage: deno task start

Configured by environment variables (see docs/operations.md): HOST, PORT, KV_PATH, API_KEYS,
ADMIN_TOKEN, LOG_LEVEL, SYNC_CRON, SYNC_LEASE_TTL_MS, API_CACHE_MAX_AGE_MS, API_CACHE_BUDGET_MB,
API_REBUILD_INTERVAL_MS, ODS_SOURCE, ORD_BASE_URL, ODT_BASE_URL, ODT_API_KEY, ODS_RATE_LIMIT,
ODS_CONCURRENCY, ODS_TIMEOUT_MS, ODS_RETRIES, ODT_PAGE_SIZE, ODS_USER_AGENT, ODS_PUBLICATION_TIME,
SYNC_GP_PRACTICES.

Exit codes: 0 stopped by SIGINT/SIGTERM, 5 bad configuration (including a store that cannot be
opened or written).`,
  );
  Deno.exit(0);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : String(err));
  Deno.exit(5);
}
setLogLevel(config.logLevel);

const ods = config.ods;
const createSource = () => createOdsSource(ods);
const leaseTtlMs = config.syncLeaseTtlMs;
const publicationTime = config.publicationTime;
const gpPractices = config.syncGpPractices;
const postcodeLookups = config.syncPostcodeLookups;

// Deno Deploy requires cron jobs to be registered while the module is first evaluated.
let store: Store;
try {
  store = await Store.open(config.kvPath, { probeWrite: true });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  Deno.exit(5);
}
if (config.cron) {
  registerCronJobs({
    store,
    createSource,
    leaseTtlMs,
    publicationTime,
    gpPractices,
    createPostcodes: () => postcodeResolver({ store, ods }),
    postcodeLookups,
  });
}

const seeded = await ensureSeeded(store);
if (seeded) log("info", "reference seed loaded", { changes: seeded });

const offThread = new OffThread({ cpuShare: config.buildCpuShare });
const app = createApp({
  store,
  offThread,
  config,
  cacheMaxAgeMs: config.cacheMaxAgeMs,
  answerBudgetBytes: config.answerBudgetBytes,
  rebuildIntervalMs: config.rebuildIntervalMs,
  warm: true,
  extraPaths: SYNC_PATHS,
  extraRoutes: (app) =>
    registerSyncRoutes(app, {
      store,
      adminToken: config.adminToken,
      createSource,
      leaseTtlMs,
      publicationTime,
      gpPractices,
      createPostcodes: () => postcodeResolver({ store, ods }),
      postcodeLookups,
    }),
  gpPractices,
});

const server = serveResilient({
  hostname: config.host,
  port: config.port,
  onListen: ({ hostname, port }) =>
    log("info", "listening", {
      url: listenUrl(hostname, port),
      kv: config.kvPath ?? "(platform default)",
      ods_source: ods.source,
      cron: config.cron,
      auth: config.apiKeys.length ? "api keys" : "open",
    }),
}, app.fetch);

// Graceful shutdown: finish in-flight requests, close the store, flush the logs.
const stop = async (signal: Deno.Signal) => {
  log("info", "shutting down", { signal });
  // A run cut short frees its lease now, not when the lease expires (every run meanwhile
  // would be refused); the run itself is not recorded, and the next one re-reads its window.
  await releaseHeldLeases();
  await server.shutdown();
  offThread.close();
  store.close();
  Deno.exit(0);
};
if (Deno.build.os !== "windows") {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(signal, () => stop(signal));
    } catch {
      // Signals are not available everywhere (e.g. Deno Deploy).
    }
  }
}
