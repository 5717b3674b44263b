/**
 * A circuit breaker for one run's HTTP client: when ODS can't be reached at all (DNS failure,
 * connection refused, TLS failure: no connection made), a few failures in a row are enough to
 * know, and every later request fails at once with one message naming the host, instead of each
 * request retrying for minutes.
 *
 * The client decides what counts (connection failures; timeouts while the host has never answered)
 * and any answer resets the count. Once open, the breaker stays open for the client's life (one
 * run).
 *
 * @module
 */
import { redactText, redactUrl } from "./redact.ts";

/** Network-level failures in a row after which the breaker opens. */
export const DEFAULT_BREAKER_THRESHOLD = 3;

/**
 * Did this `fetch` rejection happen before a connection was made (DNS, refused, unreachable
 * network, TLS handshake, a port `fetch` refuses to use)? Deno reports most of those as
 * `client error (Connect)`.
 *
 * @example
 * ```ts
 * import { isConnectFailure } from "./breaker.ts";
 *
 * const cause = new Error("error sending request for url (http://x/): client error (Connect): " +
 *   "dns error: failed to lookup address information");
 * isConnectFailure(new TypeError("fetch failed", { cause })); // true
 * ```
 */
export function isConnectFailure(error: unknown): boolean {
  return CONNECT_FAILURE.test(errorChain(error));
}

const CONNECT_FAILURE =
  /client error \(Connect\)|dns error|tcp connect error|certificate|handshake|Requests to port \d+ are blocked/i;

/**
 * The useful part of a `fetch` rejection, credentials redacted: Deno's `fetch failed` hides the
 * reason in `cause` (`… client error (Connect): tcp connect error: Connection refused`).
 *
 * @example
 * ```ts
 * import { networkErrorDetail } from "./breaker.ts";
 *
 * const cause = new Error("error sending request for url (http://x/): client error (Connect): " +
 *   "tcp connect error: Connection refused (os error 111)");
 * networkErrorDetail(new TypeError("fetch failed", { cause }));
 * // "tcp connect error: Connection refused (os error 111)"
 * ```
 */
export function networkErrorDetail(error: unknown): string {
  const text = errorChain(error);
  const m = /client error \([^)]*\): (.*)$/s.exec(text);
  return redactText(m ? m[1] : text);
}

function errorChain(error: unknown): string {
  const parts: string[] = [];
  let at: unknown = error;
  for (let depth = 0; at !== undefined && at !== null && depth < 5; depth++) {
    parts.push(at instanceof Error ? at.message : String(at));
    at = at instanceof Error ? at.cause : undefined;
  }
  // The innermost message carries the detail.
  return parts.filter((p) => p && p !== "fetch failed").at(-1) ?? parts[0] ?? "";
}

/**
 * The one message for an unreachable host: the host, the URL (credentials redacted) and why.
 *
 * @example
 * ```ts
 * import { unreachableMessage } from "./breaker.ts";
 *
 * unreachableMessage("https://ods.example/ORD/2-0-0/sync?apikey=k", "dns error", 3);
 * // "cannot reach ods.example (https://ods.example/ORD/2-0-0/sync?apikey=***): dns error;
 * //  gave up after 3 network failures in a row"
 * ```
 */
export function unreachableMessage(url: string, detail: string, failures: number): string {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // not a URL: name it as given
  }
  return `cannot reach ${host} (${redactUrl(url)}): ${detail}; ` +
    `gave up after ${failures} network failure${failures === 1 ? "" : "s"} in a row`;
}

/**
 * Counts network-level failures in a row; opens at `threshold`.
 *
 * @example
 * ```ts
 * import { CircuitBreaker } from "./breaker.ts";
 *
 * const breaker = new CircuitBreaker(2);
 * breaker.failure("http://x.example/a", "dns error");
 * breaker.failure("http://x.example/b", "dns error");
 * breaker.openMessage; // "cannot reach x.example (http://x.example/b): dns error; gave up …"
 * ```
 */
export class CircuitBreaker {
  readonly #threshold: number;
  #failures = 0;
  #message: string | null = null;
  readonly #opened = Promise.withResolvers<void>();

  constructor(threshold = DEFAULT_BREAKER_THRESHOLD) {
    this.#threshold = Math.max(1, Math.floor(threshold));
  }

  /** The message once open, else `null`. */
  get openMessage(): string | null {
    return this.#message;
  }

  /** Resolves when the breaker opens (never, if it doesn't). */
  get opened(): Promise<void> {
    return this.#opened.promise;
  }

  /** A connection could not be made to `url`; returns whether the breaker is now open. */
  failure(url: string, detail: string): boolean {
    if (this.#message !== null) return true;
    this.#failures++;
    if (this.#failures < this.#threshold) return false;
    this.#message = unreachableMessage(url, detail, this.#failures);
    this.#opened.resolve();
    return true;
  }

  /** The server answered: the host is reachable. */
  success(): void {
    if (this.#message === null) this.#failures = 0;
  }
}
