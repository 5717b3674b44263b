/**
 * The ODS simulator HTTP server: ORD 2-0-0 under `/ORD/2-0-0`, FHIR R4 under `/fhir`, and a
 * control API under `/_sim` for driving a simulator running in another process.
 *
 * ```ts
 * const sim = await startOdsSimulator({ now: "2025-06-10T09:00:00Z" });
 * const res = await fetch(`${sim.ordBaseUrl}/sync?LastChangeDate=2025-06-01`);
 * await sim.close();
 * ```
 *
 * @module
 */

import { addDays, type ClockOptions, runDuePublications, SimClock } from "./clock.ts";
import {
  defaultFixtures,
  OdsDataset,
  type OrdContact,
  type OrdLocation,
  type OrdOrganisation,
  type OrdRecord,
  type PublishResult,
} from "./dataset.ts";
import {
  addDanglingOrgLink,
  duplicateOrgLinks,
  type FaultRule,
  Faults,
  type FaultsOptions,
  globMatch,
  htmlErrorPage,
  malformRecord,
  parseFaultRule,
  type SimResponse,
  staleRecord,
  statusReason,
  truncateText,
} from "./faults.ts";
import { defaultFhirConfig, type FhirConfig, handleFhir, WindowLimiter } from "./fhir.ts";
import {
  type ChangeDayResult,
  generateNational,
  type NationalDataset,
  type NationalOptions,
  simulateChangeDay,
} from "./national.ts";
import { defaultOrdConfig, handleOrd, ORD_PREFIX, type OrdConfig } from "./ord.ts";

/** Options for {@link startOdsSimulator}. All optional. */
export interface OdsSimulatorOptions {
  /** Port (default 0 = any free port). */
  port?: number;
  /** Interface (default `127.0.0.1`). */
  hostname?: string;
  /** Initial simulated "now" (default: real now). */
  now?: Date | string | number;
  /** Clock/calendar options (publishTime, calendar, skipDates, delayUntil, frozen …). */
  clock?: ClockOptions;
  /** Initial records (published immediately). Default: {@link defaultFixtures}. */
  records?: (OrdOrganisation | OrdRecord)[];
  /** Also include the default fixtures when `records` is given (default false). */
  withFixtures?: boolean;
  /** Add a generated national dataset: number of untracked records, or generator options. */
  national?: number | Partial<Omit<NationalOptions, "today">>;
  /** Welsh LHB role code in fixtures/national data (default RO144). */
  lhbRole?: string;
  /** Welsh LHB site role code (default RO149). */
  welshSiteRole?: string;
  /** Future date checker: End date still active on the End day (default false). */
  endInclusive?: boolean;
  /** ORD behaviour overrides. */
  ord?: Partial<OrdConfig>;
  /** FHIR behaviour overrides (apiKey, rateLimit, maxResponseBytes, defaultCount). */
  fhir?: Partial<FhirConfig>;
  /** Fault rules, seed, global rate limit, fixed latency. */
  faults?: FaultsOptions;
  /** Maximum request log entries kept (default 50,000; oldest dropped). */
  maxLogEntries?: number;
}

/** One logged request (control API calls under `/_sim` are not logged). */
export interface RequestLogEntry {
  method: string;
  /** Path, e.g. `/ORD/2-0-0/sync`. */
  path: string;
  /** Raw query string without `?` (parse with `new URLSearchParams`). */
  query: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** Simulated time of the request (ISO). */
  time: string;
  /** Wall-clock epoch ms when the request arrived. */
  wallTime: number;
  /** Status sent (for a reset: the status line that preceded the abort). */
  status: number;
  durationMs: number;
  /** Kinds of faults applied (e.g. `["status"]`, `["rateLimit"]`). */
  faults: string[];
}

/** A running simulator. */
export interface OdsSimulator {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** `${url}/ORD/2-0-0`. */
  readonly ordBaseUrl: string;
  /** `${url}/fhir`. */
  readonly fhirBaseUrl: string;
  /** `${url}/_sim`. */
  readonly controlUrl: string;
  readonly dataset: OdsDataset;
  readonly clock: SimClock;
  readonly faults: Faults;
  /** Live ORD config (mutable). */
  readonly ord: OrdConfig;
  /** Live FHIR config (mutable). */
  readonly fhir: FhirConfig;
  /** Code lists of the generated national dataset, if any. */
  readonly national: Omit<NationalDataset, "records"> | null;
  /** The request log (live array, oldest first). */
  readonly requests: RequestLogEntry[];
  /** Empties the request log. */
  clearRequests(): void;
  /** Forces a publication as of `day` (default today), regardless of the calendar. */
  publish(day?: string): PublishResult;
  /** Runs any scheduled publications that are due (also done before every request). */
  tick(): string[];
  /** "A day of K changed records of which T are tracked" (needs `national`). */
  changeDay(o: { day?: string; changed: number; tracked: number; seed?: number }): ChangeDayResult;
  /** Restores the initial dataset, clock, faults, configs and empties the log. */
  reset(): void;
  /** Stops the server and cancels pending delayed responses. */
  close(): Promise<void>;
}

const JSON_TYPE = "application/json; charset=utf-8";

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE } });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  return typeof v === "string" ? v : undefined;
}

function reqStr(o: Record<string, unknown>, k: string): string {
  const v = str(o, k);
  if (v === undefined) throw new TypeError(`${k} (string) is required`);
  return v;
}

function num(o: Record<string, unknown>, k: string): number | undefined {
  const v = o[k];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Starts a simulator on loopback (port 0 by default). */
export function startOdsSimulator(options: OdsSimulatorOptions = {}): Promise<OdsSimulator> {
  const initialNow = options.clock?.now ?? options.now ?? Date.now();
  const clock = new SimClock({ ...options.clock, now: initialNow });
  const initialClock = { ...clock.state(), bankHolidays: [...clock.bankHolidays] };
  const dataset = new OdsDataset({
    today: () => clock.today(),
    endInclusive: options.endInclusive,
    lastPublishedDay: clock.latestPublicationDayAtOrBefore(),
  });
  const faults = new Faults(options.faults);
  const ord: OrdConfig = { ...defaultOrdConfig(), ...options.ord };
  const fhir: FhirConfig = { ...defaultFhirConfig(), ...options.fhir };
  const limiter = new WindowLimiter();
  const requests: RequestLogEntry[] = [];
  const maxLog = options.maxLogEntries ?? 50_000;
  const closing = new AbortController();
  let national: Omit<NationalDataset, "records"> | null = null;

  const load = () => {
    const today = clock.today();
    dataset.clear();
    const fixtures = () =>
      defaultFixtures({ today, lhbRole: options.lhbRole, welshSiteRole: options.welshSiteRole });
    if (options.records) {
      dataset.seed(options.records.map((r) => structuredClone(r)));
      if (options.withFixtures) dataset.seed(fixtures());
    } else dataset.seed(fixtures());
    if (options.national !== undefined) {
      const n = typeof options.national === "number"
        ? { untracked: options.national }
        : options.national;
      const { records, ...lists } = generateNational({
        lhbRole: options.lhbRole,
        welshSiteRole: options.welshSiteRole,
        ...n,
        today,
        exclude: dataset.codes(),
      });
      dataset.seed(records);
      national = lists;
    }
    dataset.lastPublishedDay = clock.latestPublicationDayAtOrBefore();
  };
  load();

  const tick = () => runDuePublications(clock, dataset);
  let origin = "";

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal.aborted || closing.signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        closing.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done);
      closing.signal.addEventListener("abort", done);
    });

  const loadedAt = () =>
    clock.publicationInstant(dataset.lastPublishedDay).toISOString().replace("Z", "+00:00");

  const routeApi = (req: Request, url: URL): SimResponse => {
    const path = url.pathname;
    if (path === ORD_PREFIX || path.startsWith(`${ORD_PREFIX}/`)) {
      const res = handleOrd(req.method, path.slice(ORD_PREFIX.length), url, {
        dataset,
        today: clock.today(),
        ordBaseUrl: `${origin}${ORD_PREFIX}`,
        config: ord,
      });
      if (res) return res;
      return { status: 404, headers: { "content-type": JSON_TYPE }, json: ord.notFoundBody };
    }
    if (path === "/fhir" || path.startsWith("/fhir/")) {
      return handleFhir(req.method, path.slice(5), url, req.headers, {
        dataset,
        fhirBaseUrl: `${origin}/fhir`,
        config: fhir,
        limiter,
        loadedAt: loadedAt(),
      });
    }
    return {
      status: 404,
      headers: { "content-type": JSON_TYPE },
      json: { errorCode: 404, errorText: "Not Found" },
    };
  };

  const applyBodyFaults = (res: SimResponse, rules: FaultRule[], path: string): SimResponse => {
    let json = res.json;
    for (const r of rules) {
      if (json === undefined) break;
      switch (r.kind) {
        case "malformed":
          json = malformRecord(json, r.variant);
          break;
        case "stale": {
          const code = path.split("/").pop() ?? "";
          json = staleRecord(json, dataset.getPrior(code), r.days);
          break;
        }
        case "danglingOrgLink":
          json = addDanglingOrgLink(json, `${origin}${ORD_PREFIX}`, r.code);
          break;
        case "duplicateOrgLinks":
          json = duplicateOrgLinks(json, r.count);
          break;
      }
    }
    const headers = { ...res.headers };
    if (
      json !== res.json && isRecord(json) && Array.isArray(json.Organisations) &&
      headers["x-total-count"] !== undefined
    ) {
      headers["x-total-count"] = String(json.Organisations.length);
    }
    return { ...res, headers, json };
  };

  const finalize = (res: SimResponse, rules: FaultRule[], method: string): Response => {
    let body: string | Uint8Array<ArrayBuffer> = res.json !== undefined
      ? JSON.stringify(res.json)
      : res.text ?? "";
    const truncate = rules.find((r) => r.kind === "truncate");
    if (truncate && truncate.kind === "truncate" && typeof body === "string") {
      body = truncateText(body, truncate.bytes);
    }
    const init: ResponseInit = {
      status: res.status,
      statusText: res.statusText ?? statusReason(res.status),
      headers: res.headers,
    };
    const reset = rules.find((r) => r.kind === "reset");
    if (reset && reset.kind === "reset") {
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
      const head = bytes.slice(0, Math.min(bytes.length, reset.afterBytes ?? 0));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          if (head.length > 0) controller.enqueue(head);
          controller.error(new Error("ods-sim: simulated connection reset"));
        },
      });
      return new Response(stream, init);
    }
    if (method === "HEAD" || res.status === 204 || res.status === 304) {
      return new Response(null, init);
    }
    return new Response(body, init);
  };

  const handleApi = async (req: Request, url: URL): Promise<Response> => {
    const started = performance.now();
    tick();
    const entry: RequestLogEntry = {
      method: req.method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      headers: Object.fromEntries(req.headers),
      time: clock.now().toISOString(),
      wallTime: Date.now(),
      status: 0,
      durationMs: 0,
      faults: [],
    };
    requests.push(entry);
    if (requests.length > maxLog) requests.splice(0, requests.length - maxLog);
    const done = (r: Response) => {
      entry.status = r.status;
      entry.durationMs = performance.now() - started;
      return r;
    };
    if (faults.latencyMs > 0) await sleep(faults.latencyMs, req.signal);
    if (!faults.tryTake()) {
      entry.faults.push("rateLimit");
      return done(
        new Response(JSON.stringify({ errorCode: 429, errorText: "Too Many Requests" }), {
          status: 429,
          headers: { "content-type": JSON_TYPE, "retry-after": "1" },
        }),
      );
    }
    const rules = faults.match(req.method, url.pathname);
    entry.faults.push(...rules.map((r) => r.kind));
    for (const r of rules) if (r.kind === "delay") await sleep(r.ms, req.signal);
    const html = rules.find((r) => r.kind === "html");
    if (html && html.kind === "html") {
      const status = html.status ?? 502;
      return done(
        new Response(htmlErrorPage(status), {
          status,
          headers: { "content-type": "text/html; charset=utf-8" },
        }),
      );
    }
    const forced = rules.find((r) => r.kind === "status");
    let res: SimResponse;
    if (forced && forced.kind === "status") {
      const headers: Record<string, string> = {
        "content-type": forced.contentType ?? JSON_TYPE,
      };
      if (forced.retryAfter !== undefined) headers["retry-after"] = String(forced.retryAfter);
      const isOrd404 = forced.status === 404 && url.pathname.startsWith(ORD_PREFIX);
      res = {
        status: forced.status,
        headers,
        text: forced.body ?? JSON.stringify(
          isOrd404
            ? ord.notFoundBody
            : { errorCode: forced.status, errorText: statusReason(forced.status) },
        ),
      };
    } else {
      res = applyBodyFaults(routeApi(req, url), rules, url.pathname);
    }
    return done(finalize(res, rules, req.method));
  };

  const sim: OdsSimulator = {
    url: "",
    ordBaseUrl: "",
    fhirBaseUrl: "",
    controlUrl: "",
    dataset,
    clock,
    faults,
    ord,
    fhir,
    get national() {
      return national;
    },
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    publish: (day?: string) => dataset.publish(day ?? clock.today()),
    tick,
    changeDay: (o) => {
      if (!national) throw new Error("changeDay needs a simulator started with `national`");
      return simulateChangeDay(dataset, {
        day: o.day ?? clock.today(),
        changed: o.changed,
        tracked: o.tracked,
        seed: o.seed,
        trackedCodes: national.tracked,
        untrackedCodes: national.untracked,
        trusts: national.trusts,
      });
    },
    reset: () => {
      clock.frozen = initialClock.frozen;
      const explicitNow = options.clock?.now ?? options.now;
      clock.set(explicitNow ?? (initialClock.frozen ? initialNow : Date.now()));
      clock.configure({ ...initialClock, bankHolidays: initialClock.bankHolidays });
      faults.reset(options.faults?.seed);
      faults.rateLimit = options.faults?.rateLimit ?? null;
      faults.latencyMs = options.faults?.latencyMs ?? 0;
      for (const r of options.faults?.rules ?? []) faults.add(r);
      Object.assign(ord, defaultOrdConfig(), options.ord);
      Object.assign(fhir, defaultFhirConfig(), options.fhir);
      limiter.reset();
      requests.length = 0;
      load();
    },
    close: async () => {
      closing.abort();
      await server.shutdown();
    },
  };

  const control = async (req: Request, url: URL): Promise<Response> => {
    const path = url.pathname.slice("/_sim".length).replace(/\/$/, "");
    const body = async (): Promise<Record<string, unknown>> => {
      const text = await req.text();
      if (!text) return {};
      const v: unknown = JSON.parse(text);
      if (!isRecord(v)) throw new TypeError("body must be a JSON object");
      return v;
    };
    const state = () => ({
      url: sim.url,
      ordBaseUrl: sim.ordBaseUrl,
      fhirBaseUrl: sim.fhirBaseUrl,
      clock: clock.state(),
      lastPublishedDay: dataset.lastPublishedDay,
      records: dataset.size,
      pending: dataset.pending().length,
      notifications: dataset.notifications().length,
      faults: faults.list(),
      rateLimit: faults.rateLimit,
      latencyMs: faults.latencyMs,
      ord,
      fhir,
      national: national
        ? { tracked: national.tracked.length, untracked: national.untracked.length }
        : null,
    });
    const m = req.method;
    try {
      if (path === "" || path === "/state") return jsonResponse(200, state());
      if (path === "/clock" && m === "POST") {
        const b = await body();
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
        const cal: ClockOptions = {};
        const pt = str(b, "publishTime");
        if (pt) cal.publishTime = pt;
        if (b.calendar === "daily" || b.calendar === "workingDays") cal.calendar = b.calendar;
        if (Array.isArray(b.skipDates)) cal.skipDates = b.skipDates.map(String);
        if (Array.isArray(b.skipWeekdays)) cal.skipWeekdays = b.skipWeekdays.map(Number);
        if (typeof b.skipBankHolidays === "boolean") cal.skipBankHolidays = b.skipBankHolidays;
        if (Array.isArray(b.bankHolidays)) cal.bankHolidays = b.bankHolidays.map(String);
        if (b.delayUntil === null || typeof b.delayUntil === "string") {
          cal.delayUntil = b.delayUntil;
        }
        clock.configure(cal);
        const published = b.tick === false ? [] : tick();
        return jsonResponse(200, { ...clock.state(), published });
      }
      if (path === "/publish" && m === "POST") {
        return jsonResponse(200, sim.publish(str(await body(), "day")));
      }
      if (path === "/tick" && m === "POST") return jsonResponse(200, { published: tick() });
      if (path === "/reset" && m === "POST") {
        sim.reset();
        return jsonResponse(200, state());
      }
      if (path === "/requests") {
        if (m === "DELETE") {
          sim.clearRequests();
          return jsonResponse(200, { cleared: true });
        }
        const glob = url.searchParams.get("path");
        const since = Number(url.searchParams.get("since") ?? "0");
        return jsonResponse(
          200,
          requests.filter((r) => (!glob || globMatch(glob, r.path)) && r.wallTime >= since),
        );
      }
      if (path === "/faults" || path.startsWith("/faults/")) {
        const id = path.slice("/faults/".length);
        if (m === "GET") return jsonResponse(200, faults.list());
        if (m === "DELETE") {
          if (id) return jsonResponse(200, { removed: faults.remove(id) });
          faults.clear();
          return jsonResponse(200, { cleared: true });
        }
        if (m === "POST" && id === "config") {
          const b = await body();
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
        if (m === "POST") {
          const text = await req.text();
          const v: unknown = JSON.parse(text);
          const rules = Array.isArray(v) ? v.map(parseFaultRule) : [parseFaultRule(v)];
          return jsonResponse(200, { ids: rules.map((r) => faults.add(r)) });
        }
      }
      if (path === "/config" && m === "POST") {
        const b = await body();
        if (isRecord(b.ord)) Object.assign(ord, b.ord);
        if (isRecord(b.fhir)) Object.assign(fhir, b.fhir);
        return jsonResponse(200, { ord, fhir });
      }
      if (path === "/mutate" && m === "POST") {
        return jsonResponse(200, mutate(await body()));
      }
      if (path === "/change-day" && m === "POST") {
        const b = await body();
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
      if (path.startsWith("/records/") && m === "GET") {
        const code = decodeURIComponent(path.slice("/records/".length));
        const rec = url.searchParams.get("working") ? dataset.working(code) : dataset.get(code);
        return rec
          ? jsonResponse(200, { Organisation: rec })
          : jsonResponse(404, { error: "not found" });
      }
      return jsonResponse(404, { error: `unknown control endpoint ${m} ${url.pathname}` });
    } catch (e) {
      return jsonResponse(400, { error: e instanceof Error ? e.message : String(e) });
    }
  };

  const mutate = (b: Record<string, unknown>): unknown => {
    const op = reqStr(b, "op");
    const on = str(b, "on");
    switch (op) {
      case "rename":
        return dataset.rename(reqStr(b, "code"), reqStr(b, "name"), on);
      case "reparent":
        return dataset.reparent(reqStr(b, "code"), reqStr(b, "trust"), on, {
          effective: str(b, "effective"),
        });
      case "setIcb":
        return dataset.setIcb(reqStr(b, "code"), reqStr(b, "icb"), on, {
          effective: str(b, "effective"),
        });
      case "close":
        return dataset.close(reqStr(b, "code"), reqStr(b, "endDate"), {
          successor: str(b, "successor"),
          on,
        });
      case "addRecord": {
        const rec = b.record;
        if (!isRecord(rec)) throw new TypeError("record (object) is required");
        // Trusted test input: the control API accepts any ORD-shaped object as-is.
        return dataset.addRecord(rec as unknown as OrdOrganisation | OrdRecord, on);
      }
      case "delete":
        dataset.delete(reqStr(b, "code"), on);
        return { deleted: reqStr(b, "code") };
      case "setAddress": {
        const loc = b.location;
        if (loc !== null && !isRecord(loc)) {
          throw new TypeError("location must be an object or null");
        }
        return dataset.setAddress(reqStr(b, "code"), loc as OrdLocation | null, on);
      }
      case "setContacts": {
        const contacts = b.contacts;
        if (!Array.isArray(contacts)) throw new TypeError("contacts must be an array");
        const list: OrdContact[] = contacts.filter(isRecord).map((c) => ({
          type: String(c.type),
          value: String(c.value),
        }));
        return dataset.setContacts(reqStr(b, "code"), list, on);
      }
      default:
        throw new TypeError(`unknown op ${op}`);
    }
  };

  const handler = (req: Request): Response | Promise<Response> => {
    const url = new URL(req.url);
    if (url.pathname === "/_sim" || url.pathname.startsWith("/_sim/")) return control(req, url);
    return handleApi(req, url);
  };

  let resolveReady: (v: OdsSimulator) => void = () => {};
  const ready = new Promise<OdsSimulator>((resolve) => (resolveReady = resolve));
  const server = Deno.serve({
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
      resolveReady(sim);
    },
    onError: (e) => {
      return jsonResponse(500, {
        errorCode: 500,
        errorText: e instanceof Error ? e.message : "Internal Server Error",
      });
    },
  }, handler);
  return ready;
}

/** Convenience: `YYYY-MM-DD` `n` days before the simulator's today. */
export function daysAgo(sim: OdsSimulator, n: number): string {
  return addDays(sim.clock.today(), -n);
}
