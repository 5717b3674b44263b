/**
 * Shared helpers of the API tests: stores in temporary KV files, the real seed, a served app,
 * captured logs and a shape comparison against the original's examples.
 *
 * @module
 */
import { AssertionError } from "node:assert/strict";
import { BLANK_ODS_DATES } from "../fixtures.ts";
import type { Hono } from "hono";
import { createApp } from "../../api.ts";
import { setLogSink } from "../../lib/log.ts";
import type { Entities, Kind } from "../../lib/model.ts";
import { loadSeedFile, seedStore } from "../../lib/seed.ts";
import { recordWrite, Store } from "../../lib/store.ts";

/** A store in a fresh temporary directory, removed by `close`. */
export interface TempStore {
  store: Store;
  /** The KV file (open it again for a second instance). */
  path: string;
  close(): Promise<void>;
}

/** Open a store on a KV file in a new temporary directory. */
export async function tempStore(): Promise<TempStore> {
  const dir = await Deno.makeTempDir({ prefix: "api_test_" });
  const path = `${dir}/kv.sqlite`;
  const store = await Store.open(path);
  return {
    store,
    path,
    close: async () => {
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A temporary store loaded with the real reference seed. */
export async function seededStore(): Promise<TempStore> {
  const t = await tempStore();
  await seedStore(t.store, loadSeedFile(), { runId: "seed-test" });
  return t;
}

/** Write (create or replace) one record, as a sync would. */
export async function put<K extends Kind>(
  store: Store,
  kind: K,
  code: string,
  record: Entities[K],
): Promise<void> {
  await store.write([{ writes: [recordWrite(kind, code, () => record)] }], {
    cause: "sync",
    runId: "test",
  });
}

/** Change some fields of one stored record. */
export async function patch<K extends Kind>(
  store: Store,
  kind: K,
  code: string,
  fields: Partial<Entities[K]>,
): Promise<void> {
  await store.write([{
    writes: [recordWrite(kind, code, (current) => current ? { ...current, ...fields } : undefined)],
  }], { cause: "sync", runId: "test" });
}

/** Send log lines to an array for the rest of the test module; returns the array. */
export function captureLogs(): string[] {
  const lines: string[] = [];
  setLogSink((line) => lines.push(line));
  return lines;
}

/** The app over `store`, open (no API keys) unless keys are given. */
export function appFor(
  store: Store,
  apiKeys: string[] = [],
  adminToken: string | null = null,
  cacheMaxAgeMs?: number,
) {
  return createApp({ store, config: { apiKeys, adminToken }, cacheMaxAgeMs });
}

/** A served app on a random port. */
export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serve `app` with `Deno.serve` on a free port. */
export function serve(app: Hono): Served {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  const { port } = server.addr as Deno.NetAddr;
  return { url: `http://127.0.0.1:${port}`, close: () => server.shutdown() };
}

/** GET a path of the app and parse the JSON body. */
export async function getJson(
  app: Hono,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await app.request(path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** In an example: the value may have any of these shapes. */
export class OneOf {
  readonly options: readonly unknown[];
  constructor(...options: unknown[]) {
    this.options = options;
  }
}

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/**
 * Assert that `actual` has the shape of `example`: the same keys at every level of nesting,
 * and the same JSON types wherever both sides are not null (the original's examples fill
 * nullable fields with sample values). Arrays compare their first items when both have one; a
 * {@linkcode OneOf} in the example accepts any of its shapes.
 */
export function assertShape(actual: unknown, example: unknown, at = "$"): void {
  if (actual === null || example === null) return;
  if (example instanceof OneOf) {
    const failures: string[] = [];
    for (const option of example.options) {
      try {
        return assertShape(actual, option, at);
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
    throw new AssertionError({ message: `${at}: matches no option:\n${failures.join("\n")}` });
  }
  const [ta, te] = [typeName(actual), typeName(example)];
  if (ta !== te) {
    throw new AssertionError({
      message: `${at}: expected ${te}, got ${ta}`,
      actual,
      expected: example,
    });
  }
  if (Array.isArray(actual) && Array.isArray(example)) {
    if (actual.length && example.length) assertShape(actual[0], example[0], `${at}[0]`);
    return;
  }
  if (ta === "object") {
    const a = actual as Record<string, unknown>;
    const e = example as Record<string, unknown>;
    const [ka, ke] = [Object.keys(a), Object.keys(e)];
    if (ka.join() !== ke.join()) {
      throw new AssertionError({
        message: `${at}: keys differ\n  got:      ${ka.join(", ")}\n  expected: ${ke.join(", ")}`,
        actual: ka,
        expected: ke,
      });
    }
    for (const k of ke) assertShape(a[k], e[k], `${at}.${k}`);
  }
}

const ODS_DATES = BLANK_ODS_DATES;

/** A small consistent data set: Addenbrooke's and its parents. */
export async function writeFixture(store: Store): Promise<void> {
  const base = { source: "ods" as const, updated_at: "" };
  const curated = { source: "curated" as const, updated_at: "" };
  await store.write([{
    writes: [
      recordWrite("country", "E92000001", () => ({
        ...curated,
        boundary_identifier: "E92000001",
        name: "England",
        welsh_name: null,
      })),
      recordWrite("nhs_england_region", "Y61", () => ({
        ...base,
        ...ODS_DATES,
        region_code: "Y61",
        boundary_identifier: "E40000007",
        name: "East of England",
        publication_date: "2022-07-30",
      })),
      recordWrite("integrated_care_board", "QUE", () => ({
        ...base,
        ...ODS_DATES,
        ods_code: "QUE",
        boundary_identifier: "E54000056",
        name: "NHS Cambridgeshire and Peterborough Integrated Care Board",
        publication_date: "2023-03-15",
        nhs_england_region_code: "Y61",
      })),
      recordWrite("trust", "RGT", () => ({
        ...base,
        ...ODS_DATES,
        ods_code: "RGT",
        name: "CAMBRIDGE UNIVERSITY HOSPITALS NHS FOUNDATION TRUST",
        address_line_1: "CAMBRIDGE BIOMEDICAL CAMPUS",
        address_line_2: "HILLS ROAD",
        town: "CAMBRIDGE",
        postcode: "CB2 0QQ",
        country: "ENGLAND",
        telephone: null,
        website: null,
        published_at: null,
        integrated_care_board_code: "QUE",
      })),
      recordWrite("paediatric_diabetes_network", "PN06", () => ({
        ...curated,
        pn_code: "PN06",
        name: "East of England",
      })),
      recordWrite("paediatric_diabetes_unit", "PZ041", () => ({
        ...curated,
        pz_code: "PZ041",
        paediatric_diabetes_network_code: "PN06",
      })),
      recordWrite("openuk_network", "EPEN", () => ({
        ...curated,
        boundary_identifier: "EPEN",
        name: "Eastern Paediatric Epilepsy Network",
        country: "England",
        publication_date: "2022-12-08",
      })),
      recordWrite("organisation", "RGT01", () => ({
        ...base,
        ...ODS_DATES,
        ods_code: "RGT01",
        name: "ADDENBROOKE'S HOSPITAL",
        website: "https://www.cuh.nhs.uk/",
        address1: "HILLS ROAD",
        address2: null,
        address3: null,
        telephone: "01223 245151",
        city: "CAMBRIDGE",
        county: "CAMBRIDGESHIRE",
        latitude: 52.17513275,
        longitude: 0.140753239,
        postcode: "CB2 0QQ",
        published_at: null,
        trust_code: "RGT",
        local_health_board_code: null,
        integrated_care_board_code: "QUE",
        nhs_england_region_code: "Y61",
        country_code: "E92000001",
        london_borough_code: null,
        paediatric_diabetes_unit_code: "PZ041",
        openuk_network_code: "EPEN",
      })),
    ],
  }], { cause: "seed", runId: "test" });
}
