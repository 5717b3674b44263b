/**
 * One app over a store seeded with the real reference seed, for a test module whose tests only
 * read; the store is removed when the module's tests end.
 *
 * @module
 */
import { createApp } from "../../api.ts";
import type { Hono } from "hono";
import { appFor, captureLogs, getJson, seededStore } from "./helpers.ts";

/** The app over a freshly seeded KV file (request logs captured, store removed at unload). */
export async function seededApp(options: { trustProxy?: boolean } = {}): Promise<Hono> {
  captureLogs();
  const world = await seededStore();
  globalThis.addEventListener("unload", () => {
    world.store.close();
    Deno.removeSync(world.path.replace(/\/[^/]+$/, ""), { recursive: true });
  });
  if (!options.trustProxy) return appFor(world.store);
  return createApp({
    store: world.store,
    config: { apiKeys: [], adminToken: null, trustProxy: true },
  });
}

/** GET `path` and return the parsed JSON body, asserting a 200. */
export async function body<T = unknown>(app: Hono, path: string): Promise<T> {
  const res = await getJson(app, path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}
