/**
 * Load the bundled seed (`data/seed.json`) into the store, insert-if-absent.
 *
 * ```sh
 * deno task seed              # store from KV_PATH (default data/nhs-organisations.sqlite)
 * deno task seed --kv :memory:
 * ```
 *
 * Logs one JSON line with the counts (the shared logger, lib/log.ts: stderr); exits 5 on a
 * configuration error or a store that can't be opened or written.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { flushLogs, log, setLogLevel } from "../lib/log.ts";
import { loadSeedFile, seedStore } from "../lib/seed.ts";
import { Store } from "../lib/store.ts";

const HELP = `Load data/seed.json into the store. Records already in the store are never
overwritten, and records a maintainer deleted (tombstoned) are not recreated.

Usage: deno task seed [--kv PATH] [--verbose]

Options:
  --kv PATH    store to open (default: KV_PATH from the environment, then
               data/nhs-organisations.sqlite)
  --verbose    also log the plan per kind
  -h, --help   show this help

Environment: the service configuration (KV_PATH, DENO_KV_ACCESS_TOKEN, ...), see
docs/operations.md.

Exit codes: 0 loaded (or nothing to add), 2 usage error, 5 bad configuration or a store that
can't be opened or written.
`;

async function main(args: string[]): Promise<number> {
  let values: { kv?: string; verbose?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        kv: { type: "string" },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    log("error", `seed: ${e instanceof Error ? e.message : String(e)}`);
    console.error(HELP);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.verbose) setLogLevel("debug");

  let kvPath: string | undefined;
  try {
    kvPath = values.kv ?? loadConfig().kvPath;
  } catch (e) {
    if (e instanceof ConfigError) {
      log("error", "seed: invalid configuration", { problems: e.problems });
      console.error(e.message);
      return 5;
    }
    throw e;
  }

  const seed = loadSeedFile();
  let store: Store;
  try {
    store = await Store.open(kvPath, { probeWrite: true });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 5;
  }
  try {
    const result = await seedStore(store, seed, {
      log: values.verbose ? (msg, fields) => log("debug", msg, fields) : undefined,
    });
    log("info", `seed loaded: ${result.changes} changes`, {
      kv_path: kvPath ?? "(platform default)",
      seed_version: seed.version,
      generated_from: seed.generated_from,
      changes: result.changes,
      created: result.created,
      skipped: result.skipped,
      unresolved: seed.unresolved.length,
    });
  } finally {
    store.close();
  }
  return 0;
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (e) {
    log("error", `seed failed: ${e instanceof Error ? e.message : String(e)}`);
    code = 1;
  }
  flushLogs();
  Deno.exit(code);
}
