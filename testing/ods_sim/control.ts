/**
 * The simulator's control API under `/_sim`, for driving a simulator running in another
 * process: its state, the clock and calendar, publications, fault rules, configs, mutations of
 * the dataset, change days, the request log and the raw records. One handler per endpoint.
 *
 * @module
 */

import type { ClockOptions } from "./clock.ts";
import { mutate } from "./control_mutate.ts";
import { parseFaultRule } from "./fault_rules.ts";
import { globMatch } from "./faults.ts";
import { jsonResponse } from "./response.ts";
import type { OdsSimulator } from "./sim_types.ts";

/** A control request: its method, path under `/_sim`, URL and a reader of its JSON body. */
interface ControlRequest {
  method: string;
  path: string;
  url: URL;
  req: Request;
  body(): Promise<Record<string, unknown>>;
}

type ControlHandler = (sim: OdsSimulator, c: ControlRequest) => Promise<Response> | Response;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  return typeof v === "string" ? v : undefined;
}

function num(o: Record<string, unknown>, k: string): number | undefined {
  const v = o[k];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/**
 * What `GET /_sim/state` reports.
 *
 * @example
 * ```ts
 * import { simState } from "./control.ts";
 * import { startOdsSimulator } from "./server.ts";
 * import { equal } from "node:assert/strict";
 * const sim = await startOdsSimulator({ now: "2025-06-10T09:00:00Z" });
 * try {
 *   equal(simState(sim).lastPublishedDay, "2025-06-10");
 * } finally {
 *   await sim.close();
 * }
 * ```
 */
export function simState(sim: OdsSimulator): Record<string, unknown> {
  return {
    url: sim.url,
    ordBaseUrl: sim.ordBaseUrl,
    fhirBaseUrl: sim.fhirBaseUrl,
    clock: sim.clock.state(),
    lastPublishedDay: sim.dataset.lastPublishedDay,
    records: sim.dataset.size,
    pending: sim.dataset.pending().length,
    notifications: sim.dataset.notifications().length,
    faults: sim.faults.list(),
    rateLimit: sim.faults.rateLimit,
    latencyMs: sim.faults.latencyMs,
    ord: sim.ord,
    fhir: sim.fhir,
    national: sim.national
      ? {
        tracked: sim.national.tracked.length,
        untracked: sim.national.untracked.length,
        gpPractices: sim.national.gpPractices.length,
        subIcbs: sim.national.subIcbs.length,
        pcns: sim.national.pcns.length,
      }
      : null,
    postcodes: sim.dataset.postcodes.declaredSize,
  };
}

/** The calendar settings of a `POST /_sim/clock` body. */
function calendarOf(b: Record<string, unknown>): ClockOptions {
  const cal: ClockOptions = {};
  const pt = str(b, "publishTime");
  if (pt) cal.publishTime = pt;
  if (b.calendar === "daily" || b.calendar === "workingDays") cal.calendar = b.calendar;
  if (Array.isArray(b.skipDates)) cal.skipDates = b.skipDates.map(String);
  if (Array.isArray(b.skipWeekdays)) cal.skipWeekdays = b.skipWeekdays.map(Number);
  if (typeof b.skipBankHolidays === "boolean") cal.skipBankHolidays = b.skipBankHolidays;
  if (Array.isArray(b.bankHolidays)) cal.bankHolidays = b.bankHolidays.map(String);
  if (b.delayUntil === null || typeof b.delayUntil === "string") cal.delayUntil = b.delayUntil;
  return cal;
}

/** `POST /_sim/clock`: freeze, set, advance, configure the calendar, then tick. */
async function postClock(sim: OdsSimulator, c: ControlRequest): Promise<Response> {
  const b = await c.body();
  const clock = sim.clock;
  if (typeof b.frozen === "boolean") {
    const now = clock.nowMs();
    clock.frozen = b.frozen;
    clock.set(now);
  }
  const now = str(b, "now");
  if (now) clock.set(now);
  const ms = num(b, "advanceMs");
  if (ms !== undefined) clock.advance(ms);
  const days = num(b, "advanceDays");
  if (days !== undefined) clock.advanceDays(days);
  clock.configure(calendarOf(b));
  const published = b.tick === false ? [] : sim.tick();
  return jsonResponse(200, { ...clock.state(), published });
}

/** `GET|DELETE /_sim/requests[?path=GLOB&since=MS]`. */
function requests(sim: OdsSimulator, c: ControlRequest): Response {
  if (c.method === "DELETE") {
    sim.clearRequests();
    return jsonResponse(200, { cleared: true });
  }
  const glob = c.url.searchParams.get("path");
  const since = Number(c.url.searchParams.get("since") ?? "0");
  return jsonResponse(
    200,
    sim.requests.filter((r) => (!glob || globMatch(glob, r.path)) && r.wallTime >= since),
  );
}

/** `POST /_sim/faults/config`: the global rate limit and latency. */
async function faultConfig(sim: OdsSimulator, c: ControlRequest): Promise<Response> {
  const b = await c.body();
  const faults = sim.faults;
  if (b.rateLimit === null) faults.rateLimit = null;
  else if (isRecord(b.rateLimit)) {
    const perSecond = num(b.rateLimit, "perSecond");
    if (perSecond === undefined) throw new TypeError("rateLimit.perSecond is required");
    faults.rateLimit = { perSecond, burst: num(b.rateLimit, "burst") };
  }
  const lat = num(b, "latencyMs");
  if (lat !== undefined) faults.latencyMs = lat;
  return jsonResponse(200, { rateLimit: faults.rateLimit, latencyMs: faults.latencyMs });
}

/** `GET|POST|DELETE /_sim/faults[/{id}|/config]`. */
async function faultsEndpoint(sim: OdsSimulator, c: ControlRequest): Promise<Response | null> {
  const id = c.path.slice("/faults/".length);
  if (c.method === "GET") return jsonResponse(200, sim.faults.list());
  if (c.method === "DELETE") {
    if (id) return jsonResponse(200, { removed: sim.faults.remove(id) });
    sim.faults.clear();
    return jsonResponse(200, { cleared: true });
  }
  if (c.method === "POST" && id === "config") return await faultConfig(sim, c);
  if (c.method === "POST") {
    const v: unknown = JSON.parse(await c.req.text());
    const rules = Array.isArray(v) ? v.map(parseFaultRule) : [parseFaultRule(v)];
    return jsonResponse(200, { ids: rules.map((r) => sim.faults.add(r)) });
  }
  return null;
}

/** `POST /_sim/config`: ORD and FHIR behaviour overrides. */
async function postConfig(sim: OdsSimulator, c: ControlRequest): Promise<Response> {
  const b = await c.body();
  if (isRecord(b.ord)) Object.assign(sim.ord, b.ord);
  if (isRecord(b.fhir)) Object.assign(sim.fhir, b.fhir);
  return jsonResponse(200, { ord: sim.ord, fhir: sim.fhir });
}

/** `POST /_sim/change-day`: a day of K changes of which T are tracked. */
async function postChangeDay(sim: OdsSimulator, c: ControlRequest): Promise<Response> {
  const b = await c.body();
  return jsonResponse(
    200,
    sim.changeDay({
      day: str(b, "day"),
      changed: num(b, "changed") ?? 0,
      tracked: num(b, "tracked") ?? 0,
      seed: num(b, "seed"),
    }),
  );
}

/** `GET /_sim/records/{code}[?working=1]`: the published (or working) record. */
function getRecord(sim: OdsSimulator, c: ControlRequest): Response {
  const code = decodeURIComponent(c.path.slice("/records/".length));
  const rec = c.url.searchParams.get("working") ? sim.dataset.working(code) : sim.dataset.get(code);
  return rec ? jsonResponse(200, { Organisation: rec }) : jsonResponse(404, { error: "not found" });
}

/** `METHOD path` → handler, for the endpoints with a fixed path. */
const EXACT = new Map<string, ControlHandler>([
  ["POST /clock", postClock],
  ["POST /publish", async (sim, c) => jsonResponse(200, sim.publish(str(await c.body(), "day")))],
  ["POST /tick", (sim) => jsonResponse(200, { published: sim.tick() })],
  ["POST /reset", (sim) => {
    sim.reset();
    return jsonResponse(200, simState(sim));
  }],
  ["POST /config", postConfig],
  ["POST /mutate", async (sim, c) => jsonResponse(200, mutate(sim.dataset, await c.body()))],
  ["POST /change-day", postChangeDay],
]);

async function route(sim: OdsSimulator, c: ControlRequest): Promise<Response | null> {
  // `/_sim` and `/_sim/state` answer any method, as they always have.
  if (c.path === "" || c.path === "/state") return jsonResponse(200, simState(sim));
  const exact = EXACT.get(`${c.method} ${c.path}`);
  if (exact) return await exact(sim, c);
  if (c.path === "/requests") return requests(sim, c);
  if (c.path === "/faults" || c.path.startsWith("/faults/")) return await faultsEndpoint(sim, c);
  if (c.path.startsWith("/records/") && c.method === "GET") return getRecord(sim, c);
  return null;
}

/**
 * Answers a control API request (`/_sim/…`); a bad body or value is a 400 naming the problem.
 *
 * @example
 * ```ts
 * import { handleControl } from "./control.ts";
 * import { startOdsSimulator } from "./server.ts";
 * import { equal } from "node:assert/strict";
 * const sim = await startOdsSimulator({ now: "2025-06-10T09:00:00Z" });
 * try {
 *   const req = new Request(`${sim.controlUrl}/tick`, { method: "POST" });
 *   const res = await handleControl(sim, req, new URL(req.url));
 *   equal(res.status, 200);
 * } finally {
 *   await sim.close();
 * }
 * ```
 */
export async function handleControl(sim: OdsSimulator, req: Request, url: URL): Promise<Response> {
  const c: ControlRequest = {
    method: req.method,
    path: url.pathname.slice("/_sim".length).replace(/\/$/, ""),
    url,
    req,
    body: async () => {
      const text = await req.text();
      if (!text) return {};
      const v: unknown = JSON.parse(text);
      if (!isRecord(v)) throw new TypeError("body must be a JSON object");
      return v;
    },
  };
  try {
    return await route(sim, c) ??
      jsonResponse(404, { error: `unknown control endpoint ${c.method} ${url.pathname}` });
  } catch (e) {
    return jsonResponse(400, { error: e instanceof Error ? e.message : String(e) });
  }
}
