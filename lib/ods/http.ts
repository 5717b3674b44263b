/**
 * A polite JSON-over-HTTP client shared by the ORD and FHIR sources: one global rate limit
 * (token bucket), bounded concurrency, a timeout per attempt, and retries with exponential
 * backoff and full jitter on transient failures.
 *
 * Transient (retried): timeouts, network errors, 408, 429 (honouring `Retry-After`), 5xx, and
 * 2xx bodies that are not valid JSON (truncated, HTML error pages). Everything else (404, 406,
 * 400, 401, 422, …) is a definitive answer and is returned at once.
 *
 * A {@linkcode CircuitBreaker} stops the client when ODS can't be reached at all: after a few
 * network-level failures in a row (DNS, connection refused, TLS; timeouts too while the host has
 * never answered), every request still waiting and every later one fails at once, marked
 * `unreachable`, with one message naming the host.
 *
 * @module
 */
import { CircuitBreaker, isConnectFailure, networkErrorDetail } from "./breaker.ts";

/** One retry about to happen; for logs and tests. */
export interface RetryEvent {
  url: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  reason: string;
  status: number | null;
}

/** Settings for {@linkcode HttpClient}. */
export interface HttpClientOptions {
  /** Requests per second, at most (every attempt counts). */
  rateLimit: number;
  /** Requests in flight at once, at most. */
  concurrency: number;
  /** Timeout per attempt, including reading the body. */
  timeoutMs: number;
  /** Extra attempts after the first. */
  retries: number;
  userAgent: string;
  /** `Accept` header; default `application/json`. */
  accept?: string;
  /** Extra headers sent with every request (e.g. `apikey`). */
  headers?: Readonly<Record<string, string>>;
  /** Token bucket size; default 1 (requests evenly spaced at `1 / rateLimit`). */
  burst?: number;
  /** First backoff ceiling; doubles per attempt. Default 500 ms. */
  backoffBaseMs?: number;
  /** Backoff ceiling. Default 30 s. */
  backoffMaxMs?: number;
  /** Cap on a server's `Retry-After`. Default 60 s. */
  retryAfterMaxMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** In [0, 1); for the jitter. */
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
  /**
   * Network-level failures in a row (no connection made: DNS, refused, TLS; or timeouts while the
   * host has never answered) after which the client gives up on the host for good. Default 3.
   */
  breakerThreshold?: number;
}

/** A 2xx response whose body parsed as JSON. */
export interface HttpSuccess {
  ok: true;
  status: number;
  url: string;
  headers: Headers;
  body: unknown;
  attempts: number;
}

/** A definitive non-2xx answer, or a transient failure that outlasted the retries. */
export interface HttpFailure {
  ok: false;
  /** `null` when no response arrived (timeout, network error). */
  status: number | null;
  url: string;
  headers: Headers | null;
  /** Parsed JSON body, `undefined` when absent or not JSON. */
  body: unknown;
  /** Raw body, at most 500 characters. */
  text: string;
  reason: string;
  attempts: number;
  /** `true` when retrying might have helped (timeouts, 429, 5xx, bad JSON). */
  transient: boolean;
  /**
   * `true` when the host can't be reached at all (the circuit breaker is open): `reason` is then
   * the one message naming the host and URL, the same for every request of this client.
   */
  unreachable: boolean;
}

/** What {@linkcode HttpClient.getJson} resolves to; it never rejects for HTTP or network trouble. */
export type HttpResult = HttpSuccess | HttpFailure;

/**
 * Milliseconds to wait according to a `Retry-After` value (delta-seconds or an HTTP date), or
 * `null` when it is absent or unreadable. Never negative.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from "./http.ts";
 *
 * parseRetryAfter("2", Date.now()); // 2000
 * ```
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (v === "") return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/**
 * Full-jitter exponential backoff: uniform in `[0, min(max, base * 2^(attempt-1)))`.
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./http.ts";
 *
 * backoffDelay(3, 100, 10_000, () => 0.5); // 200
 * ```
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A token bucket (as a GCRA): at most `burst` requests at once, refilled at `rate` per second.
 * Callers are served in the order they asked.
 */
export class RateLimiter {
  #interval: number;
  #tolerance: number;
  #tat = -Infinity;
  #now: () => number;
  #sleep: (ms: number) => Promise<void>;

  constructor(
    rate: number,
    burst: number,
    now: () => number,
    sleep: (ms: number) => Promise<void>,
  ) {
    if (!(rate > 0)) throw new RangeError(`rate limit must be positive, got ${rate}`);
    this.#interval = 1000 / rate;
    this.#tolerance = (Math.max(1, Math.floor(burst)) - 1) * this.#interval;
    this.#now = now;
    this.#sleep = sleep;
  }

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    const now = this.#now();
    const tat = Math.max(this.#tat, now);
    const wait = tat - this.#tolerance - now;
    this.#tat = tat + this.#interval;
    return wait > 0 ? this.#sleep(wait) : Promise.resolve();
  }

  /** Hold every later request until `atMs` (a server asked us to back off). */
  pauseUntil(atMs: number): void {
    this.#tat = Math.max(this.#tat, atMs + this.#tolerance);
  }
}

/** A FIFO counting semaphore. */
class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = Math.max(1, Math.floor(size));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

/** `setTimeout` as a promise; resolves early when `signal` aborts. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

interface Attempt {
  /** `done` ends the loop; `retry` may be retried. */
  verdict: "done" | "retry";
  result: HttpResult;
  retryAfterMs: number | null;
  /** No response arrived: why, and whether no connection could be made or it timed out. */
  network?: { detail: string; kind: "connect" | "timeout" | "other" };
}

/**
 * The polite client. One instance per source, so its limits are global for that source.
 *
 * @example
 * ```ts
 * import { HttpClient } from "./http.ts";
 *
 * const http = new HttpClient({
 *   rateLimit: 5,
 *   concurrency: 4,
 *   timeoutMs: 30_000,
 *   retries: 4,
 *   userAgent: "example/1.0",
 *   // A stand-in for the network; production uses the global fetch.
 *   fetch: () => Promise.resolve(Response.json({ Organisation: { Name: "RR8" } })),
 * });
 * const res = await http.getJson("https://directory.spineservices.nhs.uk/ORD/2-0-0/organisations/RR8");
 * res.ok; // true
 * ```
 */
export class HttpClient {
  #options: HttpClientOptions;
  #fetch: typeof fetch;
  #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #now: () => number;
  #random: () => number;
  #limiter: RateLimiter;
  /** Aborted when the breaker opens: cuts backoff waits short. */
  #stop = new AbortController();
  #slots: Semaphore;
  #breaker: CircuitBreaker;
  /** Has the host ever answered this client? */
  #answered = false;
  #requests = 0;
  #retries = 0;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#limiter = new RateLimiter(options.rateLimit, options.burst ?? 1, this.#now, this.#sleep);
    this.#slots = new Semaphore(options.concurrency);
    this.#breaker = new CircuitBreaker(options.breakerThreshold);
    this.#breaker.opened.then(() => this.#stop.abort());
  }

  /** Requests sent (every attempt) and retries among them. */
  stats(): { requests: number; retries: number } {
    return { requests: this.#requests, retries: this.#retries };
  }

  /** The circuit breaker's message once ODS was found unreachable, else `null`. */
  unreachable(): string | null {
    return this.#breaker.openMessage;
  }

  /** GET `url` and parse the body as JSON, retrying transient failures. Never rejects. */
  getJson(url: string | URL): Promise<HttpResult> {
    const href = String(url);
    return this.#slots.run(async () => {
      const maxAttempts = Math.max(0, Math.floor(this.#options.retries)) + 1;
      for (let attempt = 1;; attempt++) {
        if (this.#breaker.openMessage === null) await this.#limiter.acquire();
        const open = this.#breaker.openMessage;
        if (open !== null) return unreachableFailure(href, open, attempt - 1);
        this.#requests++;
        if (attempt > 1) this.#retries++;
        const outcome = await this.#attempt(href, attempt);
        if (this.#unreachable(href, outcome)) {
          return unreachableFailure(href, this.#breaker.openMessage!, attempt);
        }
        if (outcome.verdict === "done" || attempt >= maxAttempts) return outcome.result;
        const delayMs = this.#retryDelay(outcome, attempt);
        const failure = outcome.result as HttpFailure;
        this.#options.onRetry?.({
          url: href,
          attempt,
          delayMs,
          reason: failure.reason,
          status: failure.status,
        });
        // An open breaker cuts the wait short: there is nothing left to wait for.
        if (delayMs > 0) {
          await Promise.race([this.#sleep(delayMs, this.#stop.signal), this.#breaker.opened]);
        }
      }
    });
  }

  /**
   * Count an attempt towards the breaker; true once it is open. Any response proves the host
   * reachable. Connection failures count; so do timeouts while the host has never answered
   * (a firewall that drops packets looks like that), but not once it has (then it is slow).
   */
  #unreachable(url: string, outcome: Attempt): boolean {
    const network = outcome.network;
    if (!network) {
      this.#answered = true;
      this.#breaker.success();
      return false;
    }
    const counts = network.kind === "connect" || (network.kind === "timeout" && !this.#answered);
    return counts && this.#breaker.failure(url, network.detail);
  }

  /** How long to wait before retrying: the server's `Retry-After`, else jittered backoff. */
  #retryDelay(outcome: Attempt, attempt: number): number {
    if (outcome.retryAfterMs !== null) {
      const delayMs = Math.min(outcome.retryAfterMs, this.#options.retryAfterMaxMs ?? 60_000);
      this.#limiter.pauseUntil(this.#now() + delayMs);
      return delayMs;
    }
    return backoffDelay(
      attempt,
      this.#options.backoffBaseMs ?? 500,
      this.#options.backoffMaxMs ?? 30_000,
      this.#random,
    );
  }

  async #attempt(url: string, attempt: number): Promise<Attempt> {
    const headers = new Headers(this.#options.headers);
    headers.set("User-Agent", this.#options.userAgent);
    headers.set("Accept", this.#options.accept ?? "application/json");
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#options.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, { headers, signal: controller.signal });
      text = await response.text();
    } catch (error) {
      const timedOut = controller.signal.aborted;
      const detail = networkErrorDetail(error);
      const reason = timedOut
        ? `timed out after ${this.#options.timeoutMs} ms`
        : `network error: ${detail}`;
      return {
        verdict: "retry",
        retryAfterMs: null,
        result: failure(url, null, null, undefined, "", reason, attempt, true),
        network: {
          detail: timedOut ? reason : detail,
          kind: timedOut ? "timeout" : isConnectFailure(error) ? "connect" : "other",
        },
      };
    } finally {
      clearTimeout(timer);
    }

    const status = response.status;
    let body: unknown = undefined;
    let json = false;
    try {
      body = JSON.parse(text);
      json = true;
    } catch {
      // not JSON; decided below
    }
    const describe = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}`;
    if (status >= 200 && status < 300) {
      if (json) {
        return {
          verdict: "done",
          retryAfterMs: null,
          result: { ok: true, status, url, headers: response.headers, body, attempts: attempt },
        };
      }
      const what = text.trim() === ""
        ? "an empty body"
        : /^\s*</.test(text)
        ? "HTML/XML instead of JSON"
        : "a body that is not valid JSON (truncated?)";
      return {
        verdict: "retry",
        retryAfterMs: null,
        result: failure(
          url,
          status,
          response.headers,
          undefined,
          text,
          `${describe} with ${what}`,
          attempt,
          true,
        ),
      };
    }
    const transient = status === 408 || status === 429 || status >= 500;
    return {
      verdict: transient ? "retry" : "done",
      retryAfterMs: transient
        ? parseRetryAfter(response.headers.get("Retry-After"), this.#now())
        : null,
      result: failure(url, status, response.headers, body, text, describe, attempt, transient),
    };
  }
}

function failure(
  url: string,
  status: number | null,
  headers: Headers | null,
  body: unknown,
  text: string,
  reason: string,
  attempts: number,
  transient: boolean,
): HttpFailure {
  return {
    ok: false,
    status,
    url,
    headers,
    body,
    text: text.slice(0, 500),
    reason,
    attempts,
    transient,
    unreachable: false,
  };
}

/** What every request gets once the breaker is open. */
function unreachableFailure(url: string, message: string, attempts: number): HttpFailure {
  return {
    ...failure(url, null, null, undefined, "", message, attempts, true),
    unreachable: true,
  };
}
