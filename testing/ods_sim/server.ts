/**
 * The ODS simulator HTTP server: ORD 2-0-0 under `/ORD/2-0-0`, FHIR R4 under `/fhir`, and a
 * control API under `/_sim` for driving a simulator running in another process.
 *
 * The pipeline of the APIs (faults, rate limit, request log) is in api.ts, the ORD and FHIR
 * endpoints in ord.ts and fhir.ts, the control API in control.ts; this module wires them.
 *
 * @module
 */

import { handleApi } from "./api.ts";
import { simulateChangeDay } from "./change_day.ts";
import { addDays, runDuePublications, SimClock } from "./clock.ts";
import { handleControl } from "./control.ts";
import { OdsDataset } from "./dataset.ts";
import { Faults } from "./faults.ts";
import { defaultFhirConfig, type FhirConfig, WindowLimiter } from "./fhir_context.ts";
import { loadInitialRecords, type NationalLists } from "./initial.ts";
import { defaultOrdConfig, ORD_PREFIX, type OrdConfig } from "./ord_context.ts";
import { jsonResponse } from "./response.ts";
import type { OdsSimulator, OdsSimulatorOptions, RequestLogEntry } from "./sim_types.ts";

export type { OdsSimulator, OdsSimulatorOptions, RequestLogEntry } from "./sim_types.ts";

/** The parts a simulator is made of, before it listens. */
interface Parts {
  clock: SimClock;
  dataset: OdsDataset;
  faults: Faults;
  ord: OrdConfig;
  fhir: FhirConfig;
  limiter: WindowLimiter;
  requests: RequestLogEntry[];
}

function makeParts(options: OdsSimulatorOptions, initialNow: Date | string | number): Parts {
  const clock = new SimClock({ ...options.clock, now: initialNow });
  return {
    clock,
    dataset: new OdsDataset({
      today: () => clock.today(),
      endInclusive: options.endInclusive,
      lastPublishedDay: clock.latestPublicationDayAtOrBefore(),
    }),
    faults: new Faults(options.faults),
    ord: { ...defaultOrdConfig(), ...options.ord },
    fhir: { ...defaultFhirConfig(), ...options.fhir },
    limiter: new WindowLimiter(),
    requests: [],
  };
}

/** Puts the clock, faults, configs and log back as `options` started them. */
function resetter(
  p: Parts,
  options: OdsSimulatorOptions,
  initialNow: Date | string | number,
): () => void {
  const initialClock = { ...p.clock.state(), bankHolidays: [...p.clock.bankHolidays] };
  return () => {
    p.clock.frozen = initialClock.frozen;
    const explicitNow = options.clock?.now ?? options.now;
    p.clock.set(explicitNow ?? (initialClock.frozen ? initialNow : Date.now()));
    p.clock.configure({ ...initialClock, bankHolidays: initialClock.bankHolidays });
    p.faults.reset(options.faults?.seed);
    p.faults.rateLimit = options.faults?.rateLimit ?? null;
    p.faults.latencyMs = options.faults?.latencyMs ?? 0;
    for (const r of options.faults?.rules ?? []) p.faults.add(r);
    Object.assign(p.ord, defaultOrdConfig(), options.ord);
    Object.assign(p.fhir, defaultFhirConfig(), options.fhir);
    p.limiter.reset();
    p.requests.length = 0;
  };
}

/** The simulator object (its URLs are filled in once it listens). */
function simulator(
  p: Parts,
  options: OdsSimulatorOptions,
  restore: () => void,
  close: () => Promise<void>,
): OdsSimulator {
  let national: NationalLists | null = loadInitialRecords(p.dataset, p.clock, options);
  const tick = () => runDuePublications(p.clock, p.dataset);
  return {
    url: "",
    ordBaseUrl: "",
    fhirBaseUrl: "",
    controlUrl: "",
    dataset: p.dataset,
    clock: p.clock,
    faults: p.faults,
    ord: p.ord,
    fhir: p.fhir,
    requests: p.requests,
    get national() {
      return national;
    },
    clearRequests: () => {
      p.requests.length = 0;
    },
    publish: (day?: string) => p.dataset.publish(day ?? p.clock.today()),
    tick,
    changeDay: (o) => {
      if (!national) throw new Error("changeDay needs a simulator started with `national`");
      return simulateChangeDay(p.dataset, {
        day: o.day ?? p.clock.today(),
        changed: o.changed,
        tracked: o.tracked,
        seed: o.seed,
        trackedCodes: national.tracked,
        untrackedCodes: national.untracked,
        trusts: national.trusts,
      });
    },
    reset: () => {
      restore();
      national = loadInitialRecords(p.dataset, p.clock, options);
    },
    close,
  };
}

/**
 * Starts a simulator on loopback (port 0 by default).
 *
 * @example
 * ```ts
 * import { startOdsSimulator } from "./server.ts";
 * import { equal } from "node:assert/strict";
 * const sim = await startOdsSimulator({ now: "2025-06-10T09:00:00Z" });
 * try {
 *   const res = await fetch(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-06-01`);
 *   equal(res.status, 200);
 *   await res.body?.cancel();
 * } finally {
 *   await sim.close();
 * }
 * ```
 */
export function startOdsSimulator(options: OdsSimulatorOptions = {}): Promise<OdsSimulator> {
  const initialNow = options.clock?.now ?? options.now ?? Date.now();
  const p = makeParts(options, initialNow);
  const restore = resetter(p, options, initialNow);
  const closing = new AbortController();
  let origin = "";
  let server: Deno.HttpServer | null = null;
  const sim = simulator(p, options, restore, async () => {
    closing.abort();
    await server?.shutdown();
  });
  const api = {
    ...p,
    maxLogEntries: options.maxLogEntries ?? 50_000,
    closing: closing.signal,
    origin: () => origin,
    tick: sim.tick,
  };
  const handler = (req: Request): Response | Promise<Response> => {
    const url = new URL(req.url);
    if (url.pathname === "/_sim" || url.pathname.startsWith("/_sim/")) {
      return handleControl(sim, req, url);
    }
    return handleApi(api, req, url);
  };
  return new Promise<OdsSimulator>((resolve) => {
    server = Deno.serve({
      port: options.port ?? 0,
      hostname: options.hostname ?? "127.0.0.1",
      onListen: ({ hostname, port }) => {
        const host = hostname.includes(":") ? `[${hostname}]` : hostname;
        origin = `http://${host}:${port}`;
        Object.assign(sim, {
          url: origin,
          ordBaseUrl: `${origin}${ORD_PREFIX}`,
          fhirBaseUrl: `${origin}/fhir`,
          controlUrl: `${origin}/_sim`,
        });
        resolve(sim);
      },
      onError: (e) =>
        jsonResponse(500, {
          errorCode: 500,
          errorText: e instanceof Error ? e.message : "Internal Server Error",
        }),
    }, handler);
  });
}

/**
 * Convenience: `YYYY-MM-DD` `n` days before the simulator's today.
 *
 * @example
 * ```ts
 * import { daysAgo, startOdsSimulator } from "./server.ts";
 * import { equal } from "node:assert/strict";
 * const sim = await startOdsSimulator({ now: "2025-06-10T09:00:00Z" });
 * try {
 *   equal(daysAgo(sim, 9), "2025-06-01");
 * } finally {
 *   await sim.close();
 * }
 * ```
 */
export function daysAgo(sim: OdsSimulator, n: number): string {
  return addDays(sim.clock.today(), -n);
}
