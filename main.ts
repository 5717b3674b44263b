/**
 * The service: seeds an empty store, serves the API and schedules the daily ODS sync.
 *
 * Runs unchanged locally (`deno task start`), on Deno Deploy (managed KV and cron), and against a
 * remote KV Connect URL (`KV_PATH` + `DENO_KV_ACCESS_TOKEN`).
 *
 * @module
 */
import { createApp } from "./api.ts";
import { ConfigError, loadConfig } from "./lib/config.ts";
import { log, setLogLevel } from "./lib/log.ts";
import { createOdsSource } from "./lib/ods/source.ts";
import { ensureSeeded } from "./lib/startup.ts";
import { Store } from "./lib/store.ts";
import { registerSyncRoutes } from "./lib/sync/routes.ts";
import { registerCronJobs } from "./lib/sync/schedule.ts";

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

// Deno Deploy requires cron jobs to be registered while the module is first evaluated.
const store = await Store.open(config.kvPath);
if (config.cron) registerCronJobs({ store, createSource });

const seeded = await ensureSeeded(store);
if (seeded) log("info", "reference seed loaded", { changes: seeded });

const app = createApp({
  store,
  config,
  extraRoutes: (app) =>
    registerSyncRoutes(app, { store, adminToken: config.adminToken, createSource }),
});

Deno.serve({
  port: config.port,
  onListen: ({ hostname, port }) =>
    log("info", "listening", {
      url: `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}/`,
      kv: config.kvPath ?? "(platform default)",
      ods_source: ods.source,
      cron: config.cron,
      auth: config.apiKeys.length ? "api keys" : "open",
    }),
}, app.fetch);
