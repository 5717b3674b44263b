/**
 * Start-up chores shared by the service and the CLIs.
 *
 * @module
 */
import { log } from "./log.ts";
import { isStoreEmpty, loadSeedFile, seedStore } from "./seed.ts";
import type { Store } from "./store.ts";

/**
 * Load the reference seed into an empty store (a store that already holds data is left alone).
 * Returns the number of changes written.
 */
export async function ensureSeeded(store: Store): Promise<number> {
  if (!(await isStoreEmpty(store))) return 0;
  log("info", "empty store: loading the reference seed");
  const result = await seedStore(store, loadSeedFile(), { log: (msg, f) => log("info", msg, f) });
  return result.changes;
}
