/**
 * CLI entry of the ODS simulator.
 *
 * `deno task ods-sim [--port N] [--national N] [--gp-practices N] [--now ISO] [--api-key KEY]`
 *
 * Prints one JSON line `{"url","ordBaseUrl","fhirBaseUrl","controlUrl"}` on stdout and serves
 * until killed (SIGINT/SIGTERM shut it down cleanly).  Drive it over `/_sim/...`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { loadSeedFile } from "../../lib/seed.ts";
import { addDays } from "./clock.ts";
import { applyDemoChanges, seededRecords } from "./seeded.ts";
import { startOdsSimulator } from "./server.ts";

const HELP = `ODS simulator (ORD 2-0-0 + FHIR R4 ODT) for offline sync tests and benchmarks.

Usage: deno task ods-sim [options]

Options:
  --port N          Port to listen on (default 0 = any free port)
  --hostname H      Interface (default 127.0.0.1)
  --national N      Add a generated national dataset with N untracked records (default 0)
  --gp-practices N  Add a generated national GP practice set of N practices (England and Wales,
                    active and closed, with sub-ICB locations, PCNs and postcodes; default 0).
                    With --world seed they relate to the seed's ICBs and health boards
  --seed N          Seed for the national dataset (default 1)
  --now ISO         Simulated start time (default: real now); the clock then follows wall time
  --frozen          Keep the simulated clock frozen (only moves via POST /_sim/clock)
  --api-key KEY     Require this FHIR apikey header
  --rate N          Global token-bucket limit, requests per second (default off)
  --latency MS      Fixed latency per request in ms (default 0)
  --world W         Records to serve: "fixtures" (default: the real samples and synthetic
                    fixtures) or "seed" (every ODS-backed record of the project's seed, as ODS
                    would serve it, last changed 2024-06-03)
  --demo            With --world seed: publish illustrative changes made yesterday (renamed
                    trusts, a re-parented site, a closure, new ICBs replacing old ones)
  --help            Show this help

Prints {"url","ordBaseUrl","fhirBaseUrl","controlUrl"} as one JSON line, then serves.
Control API: GET /_sim/state, POST /_sim/clock, POST /_sim/publish, POST /_sim/faults,
DELETE /_sim/faults, POST /_sim/faults/config, GET|DELETE /_sim/requests, POST /_sim/reset,
POST /_sim/config, POST /_sim/mutate, POST /_sim/change-day, GET /_sim/records/{code}.
`;

function intOpt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
  return n;
}

/**
 * Parses arguments, starts the simulator and prints its URLs.
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * // Prints the simulator's help (`deno task ods-sim --help`) and returns without serving.
 * await main(["--help"]);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      hostname: { type: "string" },
      national: { type: "string" },
      "gp-practices": { type: "string" },
      seed: { type: "string" },
      now: { type: "string" },
      frozen: { type: "boolean" },
      "api-key": { type: "string" },
      rate: { type: "string" },
      latency: { type: "string" },
      world: { type: "string" },
      demo: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const world = values.world ?? "fixtures";
  if (world !== "fixtures" && world !== "seed") throw new Error("--world must be fixtures or seed");
  if (values.demo && world !== "seed") throw new Error("--demo needs --world seed");
  const seed = world === "seed" ? loadSeedFile() : null;
  const national = intOpt(values.national, "national");
  const gpPractices = intOpt(values["gp-practices"], "gp-practices");
  const rate = intOpt(values.rate, "rate");
  const sim = await startOdsSimulator({
    port: intOpt(values.port, "port") ?? 0,
    hostname: values.hostname ?? "127.0.0.1",
    now: values.now,
    records: seed ? seededRecords(seed, "2024-06-03") : undefined,
    clock: { frozen: values.frozen ?? false },
    national: national || gpPractices
      ? {
        untracked: national ?? 0,
        seed: intOpt(values.seed, "seed") ?? 1,
        ...(gpPractices ? { gpPractices } : {}),
        ...(gpPractices && seed ? { tracked: {} } : {}),
      }
      : undefined,
    fhir: values["api-key"] ? { apiKey: values["api-key"] } : undefined,
    faults: {
      rateLimit: rate ? { perSecond: rate } : null,
      latencyMs: intOpt(values.latency, "latency") ?? 0,
    },
  });
  if (seed && values.demo) {
    const today = sim.clock.today();
    const changes = applyDemoChanges(sim, seed, addDays(today, -1));
    sim.publish(today);
    console.error(JSON.stringify({ demo: changes }));
  }
  console.log(JSON.stringify({
    url: sim.url,
    ordBaseUrl: sim.ordBaseUrl,
    fhirBaseUrl: sim.fhirBaseUrl,
    controlUrl: sim.controlUrl,
  }));
  const stop = () => {
    sim.close().finally(() => Deno.exit(0));
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    Deno.exit(2);
  }
}
