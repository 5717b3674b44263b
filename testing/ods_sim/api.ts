/**
 * The simulated ODS APIs as one request pipeline: run due publications, log the request, apply
 * the global latency and rate limit, then the triggered fault rules, around the ORD and FHIR
 * handlers. Control API calls (`/_sim`) don't come through here.
 *
 * @module
 */

import type { SimClock } from "./clock.ts";
import type { OdsDataset } from "./dataset.ts";
import {
  addDanglingOrgLink,
  duplicateOrgLinks,
  htmlErrorPage,
  malformRecord,
  staleRecord,
  statusReason,
  truncateText,
} from "./fault_bodies.ts";
import type { FaultRule, Faults } from "./faults.ts";
import { handleFhir } from "./fhir.ts";
import type { FhirConfig, WindowLimiter } from "./fhir_context.ts";
import { handleOrd } from "./ord.ts";
import { ORD_PREFIX, type OrdConfig } from "./ord_context.ts";
import { JSON_TYPE, type SimResponse } from "./response.ts";
import type { RequestLogEntry } from "./sim_types.ts";

/** What the pipeline works on: the simulator's live parts. */
export interface ApiParts {
  clock: SimClock;
  dataset: OdsDataset;
  faults: Faults;
  ord: OrdConfig;
  fhir: FhirConfig;
  limiter: WindowLimiter;
  /** The request log (oldest dropped beyond `maxLogEntries`). */
  requests: RequestLogEntry[];
  maxLogEntries: number;
  /** Aborted when the simulator closes: pending delays end at once. */
  closing: AbortSignal;
  /** The server's origin, e.g. `http://127.0.0.1:41234`. */
  origin(): string;
  /** Runs the publications that are due. */
  tick(): string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Waits `ms`, or less when the request or the simulator is aborted. */
function sleep(ms: number, signal: AbortSignal, closing: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted || closing.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      closing.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
    closing.addEventListener("abort", done);
  });
}

function loadedAt(p: ApiParts): string {
  return p.clock.publicationInstant(p.dataset.lastPublishedDay).toISOString().replace(
    "Z",
    "+00:00",
  );
}

/** The ORD or FHIR handler's answer for a request (404 outside both APIs). */
function routeApi(p: ApiParts, req: Request, url: URL): SimResponse {
  const path = url.pathname;
  const origin = p.origin();
  if (path === ORD_PREFIX || path.startsWith(`${ORD_PREFIX}/`)) {
    const res = handleOrd(req.method, path.slice(ORD_PREFIX.length), url, {
      dataset: p.dataset,
      today: p.clock.today(),
      ordBaseUrl: `${origin}${ORD_PREFIX}`,
      config: p.ord,
    });
    if (res) return res;
    return { status: 404, headers: { "content-type": JSON_TYPE }, json: p.ord.notFoundBody };
  }
  if (path === "/fhir" || path.startsWith("/fhir/")) {
    return handleFhir(req.method, path.slice(5), url, req.headers, {
      dataset: p.dataset,
      fhirBaseUrl: `${origin}/fhir`,
      config: p.fhir,
      limiter: p.limiter,
      loadedAt: loadedAt(p),
    });
  }
  return {
    status: 404,
    headers: { "content-type": JSON_TYPE },
    json: { errorCode: 404, errorText: "Not Found" },
  };
}

/** The body faults (malformed, stale, dangling and duplicate links) applied in rule order. */
function applyBodyFaults(
  p: ApiParts,
  res: SimResponse,
  rules: FaultRule[],
  path: string,
): SimResponse {
  let json = res.json;
  for (const r of rules) {
    if (json === undefined) break;
    if (r.kind === "malformed") json = malformRecord(json, r.variant);
    else if (r.kind === "stale") {
      json = staleRecord(json, p.dataset.getPrior(path.split("/").pop() ?? ""), r.days);
    } else if (r.kind === "danglingOrgLink") {
      json = addDanglingOrgLink(json, `${p.origin()}${ORD_PREFIX}`, r.code);
    } else if (r.kind === "duplicateOrgLinks") json = duplicateOrgLinks(json, r.count);
  }
  const headers = { ...res.headers };
  if (
    json !== res.json && isRecord(json) && Array.isArray(json.Organisations) &&
    headers["x-total-count"] !== undefined
  ) {
    headers["x-total-count"] = String(json.Organisations.length);
  }
  return { ...res, headers, json };
}

/** A body that errors after its first `afterBytes` bytes: a connection reset mid-response. */
function resetStream(body: string | Uint8Array<ArrayBuffer>, afterBytes = 0): ReadableStream {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const head = bytes.slice(0, Math.min(bytes.length, afterBytes));
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (head.length > 0) controller.enqueue(head);
      controller.error(new Error("ods-sim: simulated connection reset"));
    },
  });
}

/** The real `Response`, after the truncate and reset faults. */
function finalize(res: SimResponse, rules: FaultRule[], method: string): Response {
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
    return new Response(resetStream(body, reset.afterBytes), init);
  }
  if (method === "HEAD" || res.status === 204 || res.status === 304) {
    return new Response(null, init);
  }
  return new Response(body, init);
}

/** The answer of a `status` fault: its status, Retry-After and body instead of the handler's. */
function forcedStatus(p: ApiParts, rule: FaultRule & { kind: "status" }, url: URL): SimResponse {
  const headers: Record<string, string> = { "content-type": rule.contentType ?? JSON_TYPE };
  if (rule.retryAfter !== undefined) headers["retry-after"] = String(rule.retryAfter);
  const isOrd404 = rule.status === 404 && url.pathname.startsWith(ORD_PREFIX);
  return {
    status: rule.status,
    headers,
    text: rule.body ?? JSON.stringify(
      isOrd404
        ? p.ord.notFoundBody
        : { errorCode: rule.status, errorText: statusReason(rule.status) },
    ),
  };
}

/** Logs a request; returns its entry (status and duration are filled in when answered). */
function logRequest(p: ApiParts, req: Request, url: URL): RequestLogEntry {
  const entry: RequestLogEntry = {
    method: req.method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ""),
    headers: Object.fromEntries(req.headers),
    time: p.clock.now().toISOString(),
    wallTime: Date.now(),
    status: 0,
    durationMs: 0,
    faults: [],
  };
  p.requests.push(entry);
  if (p.requests.length > p.maxLogEntries) {
    p.requests.splice(0, p.requests.length - p.maxLogEntries);
  }
  return entry;
}

const RATE_LIMITED = () =>
  new Response(JSON.stringify({ errorCode: 429, errorText: "Too Many Requests" }), {
    status: 429,
    headers: { "content-type": JSON_TYPE, "retry-after": "1" },
  });

/** The answer after the latency, rate limit and fault rules. */
async function answer(
  p: ApiParts,
  req: Request,
  url: URL,
  entry: RequestLogEntry,
): Promise<Response> {
  if (p.faults.latencyMs > 0) await sleep(p.faults.latencyMs, req.signal, p.closing);
  if (!p.faults.tryTake()) {
    entry.faults.push("rateLimit");
    return RATE_LIMITED();
  }
  const rules = p.faults.match(req.method, url.pathname);
  entry.faults.push(...rules.map((r) => r.kind));
  for (const r of rules) if (r.kind === "delay") await sleep(r.ms, req.signal, p.closing);
  const html = rules.find((r) => r.kind === "html");
  if (html && html.kind === "html") {
    const status = html.status ?? 502;
    return new Response(htmlErrorPage(status), {
      status,
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  }
  const forced = rules.find((r) => r.kind === "status");
  const res = forced && forced.kind === "status"
    ? forcedStatus(p, forced, url)
    : applyBodyFaults(p, routeApi(p, req, url), rules, url.pathname);
  return finalize(res, rules, req.method);
}

/**
 * Answers one ORD or FHIR request: due publications first, then the logged, fault-injected
 * answer.
 *
 * @example
 * ```ts
 * import { startOdsSimulator } from "./server.ts";
 * import { equal } from "node:assert/strict";
 * // A running simulator calls handleApi for every ORD and FHIR request.
 * const sim = await startOdsSimulator({ now: "2025-06-10T09:00:00Z" });
 * try {
 *   const res = await fetch(`${sim.ordBaseUrl}/roles/RO197`);
 *   equal(res.status, 200);
 *   await res.body?.cancel();
 *   equal(sim.requests[0].path, "/ORD/2-0-0/roles/RO197");
 * } finally {
 *   await sim.close();
 * }
 * ```
 */
export async function handleApi(p: ApiParts, req: Request, url: URL): Promise<Response> {
  const started = performance.now();
  p.tick();
  const entry = logRequest(p, req, url);
  const res = await answer(p, req, url, entry);
  entry.status = res.status;
  entry.durationMs = performance.now() - started;
  return res;
}
