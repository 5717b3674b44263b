/**
 * Bad input: seeded, generated requests over every route, path segment and query parameter —
 * random bytes, huge values, unicode, wrong types, traversal, odd methods and headers — sent to
 * the real service process over loopback. Zero 5xx; every error is a JSON `{"error": ...}` body.
 *
 * @module
 */
import { ROUTES } from "../lib/api/routes.ts";
import { VIEWS } from "../lib/api/views.ts";
import { startService } from "../testing/proc.ts";
import type { StoreTemplate } from "../testing/world.ts";
import { type Check, type PartResult, rng } from "./common.ts";

const EXTRA_PATHS = [
  "/health",
  "/schema/",
  "/docs",
  "/sync/status",
  "/sync/runs",
  "/sync/runs/{id}",
  "/sync/review",
  "/sync/run",
  "/{junk}",
  "/{junk}/{junk}/",
];

const PARAM_NAMES = [
  ...new Set([
    ...Object.values(VIEWS).flatMap((v) => Object.keys(v.filters)),
    "fields",
    "ordering",
    "pz_code",
    "status",
    "limit",
    "full",
    "wait",
    "since",
    "page",
    "format",
  ]),
];

const REAL_CODES = ["RGT01", "RGT", "QUE", "Y61", "PZ041", "PN06", "EPEN", "E92000001", "7A4"];

/**
 * A generator of hostile strings, seeded.
 *
 * @example
 * ```ts
 * import { rng } from "./common.ts";
 * import { hostile } from "./bad_input.ts";
 * import { equal } from "node:assert/strict";
 * equal(hostile(rng(1))(), hostile(rng(1))());
 * ```
 */
export function hostile(rand: () => number): () => string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const bytes = (n: number) =>
    Array.from({ length: n }, () => Math.floor(rand() * 256).toString(16).padStart(2, "0"))
      .map((h) => `%${h}`).join("");
  const ascii = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(33 + Math.floor(rand() * 94))).join("");
  const kinds: (() => string)[] = [
    () => pick(REAL_CODES),
    () => pick(REAL_CODES).toLowerCase(),
    () => bytes(1 + Math.floor(rand() * 40)),
    () => encodeURIComponent(ascii(1 + Math.floor(rand() * 30))),
    () => "A".repeat(1000 + Math.floor(rand() * 7000)),
    () =>
      encodeURIComponent(
        pick(["😀", "Ω", "ñ", "\u200b", "\u202e", "e\u0301", "中文", "\ufeff"])
          .repeat(1 + Math.floor(rand() * 20)),
      ),
    () => pick(["..", "%2e%2e", "%2F", "%5C", "%00", "%0d%0a", "%25", "%", "%zz", "%C0%AF"]),
    () => pick(["-1", "0", "1e309", "NaN", "Infinity", "1.5", "99999999999999999999", "0x1F"]),
    () => pick(["true", "false", "True", "null", "undefined", "[]", "{}", "maybe", "yes"]),
    () => pick(["2024-13-45", "2024-02-30", "0000-00-00", "20240101", "9999-12-31T99:99"]),
    () =>
      pick(["' OR 1=1 --", "<script>alert(1)</script>", "${jndi:x}", "{{7*7}}", "\\x00"])
        .split("").map((c) => encodeURIComponent(c)).join(""),
    () => "",
  ];
  return () => pick(kinds)();
}

/** One generated request. */
export interface BadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

/**
 * Generate `n` requests from `seed`.
 *
 * @example
 * ```ts
 * import { badRequests } from "./bad_input.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 * equal(badRequests(10, 7).length, 10);
 * deepEqual(badRequests(10, 7), badRequests(10, 7));
 * ```
 */
export function badRequests(n: number, seed: number): BadRequest[] {
  const rand = rng(seed);
  const value = hostile(rand);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const templates = [...ROUTES.map((r) => r.path), ...EXTRA_PATHS];
  const out: BadRequest[] = [];
  for (let i = 0; i < n; i++) {
    let path = pick(templates).replace(/\{[^}]+\}/g, () => value());
    if (rand() < 0.3) path = path.replace(/\/$/, "");
    if (rand() < 0.05) path = path.replace("/", "//");
    const params: string[] = [];
    const count = rand() < 0.4 ? 0 : 1 + Math.floor(rand() * 4);
    for (let j = 0; j < count; j++) {
      const name = rand() < 0.85 ? pick(PARAM_NAMES) : value();
      params.push(`${name}=${value()}`);
    }
    if (params.length) path += `?${params.join("&")}`;
    const method = rand() < 0.85
      ? "GET"
      : pick(["HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"]);
    const headers: Record<string, string> = {};
    if (rand() < 0.1) headers["If-None-Match"] = pick(['"x"', "*", "W/", '"', value()]);
    if (rand() < 0.1) headers["Authorization"] = pick(["Bearer", "Bearer x", "Basic Og==", "x"]);
    if (rand() < 0.05) headers["Accept"] = pick(["text/html", "*/*;q=x", "application/xml"]);
    if (rand() < 0.1) {
      headers["Accept-Encoding"] = pick(["gzip;q=x", "*;q=0", "gzip;q=0, *", ";;,", value()]);
    }
    out.push({ method, path, headers });
  }
  return out;
}

/** What the answers to the bad requests were. */
interface Tally {
  failures: string[];
  statuses: Map<number, number>;
  fivexx: number;
  nonJsonErrors: number;
}

/** Is `text` a JSON `{"error": ...}` body served as JSON? */
function isJsonError(res: Response, text: string): boolean {
  try {
    const body = JSON.parse(text);
    return typeof body?.error === "string" &&
      (res.headers.get("content-type") ?? "").includes("application/json");
  } catch {
    return false;
  }
}

/** Sends one request and records what is wrong with its answer. */
async function sendOne(origin: string, r: BadRequest, tally: Tally): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${origin}${r.path}`, { method: r.method, headers: r.headers });
  } catch (err) {
    tally.failures.push(`${r.method} ${r.path.slice(0, 80)}: ${(err as Error).message}`);
    return;
  }
  const text = await res.text();
  tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
  if (res.status >= 500) {
    tally.fivexx++;
    tally.failures.push(
      `${r.method} ${r.path.slice(0, 120)} → ${res.status} ${text.slice(0, 120)}`,
    );
  }
  if (res.status >= 400 && r.method !== "HEAD" && !isJsonError(res, text)) {
    tally.nonJsonErrors++;
    tally.failures.push(
      `${r.method} ${r.path.slice(0, 120)} → ${res.status} not a JSON error: ` +
        text.slice(0, 80),
    );
  }
}

/**
 * Send `n` generated requests to a fresh service and check every answer.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: it starts the service (tests/reliability/short_test.ts runs it).
 * import { StoreTemplate } from "../testing/world.ts";
 * import { badInput } from "./bad_input.ts";
 * const part = await badInput(new StoreTemplate(await Deno.makeTempDir()), 1000);
 * ```
 */
export async function badInput(
  template: StoreTemplate,
  n: number,
  seed = 424242,
): Promise<PartResult> {
  const started = performance.now();
  const service = await startService({
    kvPath: await template.copy("bad-input"),
    env: {
      ADMIN_TOKEN: crypto.randomUUID(),
      // Never used (no request has the token), and never the internet either.
      ORD_BASE_URL: "http://127.0.0.1:9/ORD/2-0-0",
    },
  });
  const requests = badRequests(n, seed);
  const tally: Tally = { failures: [], statuses: new Map(), fivexx: 0, nonJsonErrors: 0 };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) await sendOne(service.url, requests[next++], tally);
  };
  try {
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    await service.stop();
  }
  const { failures, statuses, fivexx, nonJsonErrors } = tally;
  const unhandled = service.stderr.filter((l) => l.includes('"unhandled error"')).length;
  const checks: Check[] = [
    { name: "no 5xx", ok: fivexx === 0, detail: `${fivexx} responses ≥ 500` },
    {
      name: "every error is a JSON body",
      ok: nonJsonErrors === 0,
      detail: `${nonJsonErrors} error responses without a JSON {"error": ...} body`,
    },
    {
      name: "every request answered",
      ok: failures.length === fivexx + nonJsonErrors,
      detail: `${n} requests sent`,
    },
    { name: "no unhandled error logged", ok: unhandled === 0, detail: `${unhandled} logged` },
  ];
  const byStatus = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}: ${c}`);
  return {
    part: "Bad input",
    summary: `${n} seeded requests over ${ROUTES.length + EXTRA_PATHS.length} route templates ` +
      `with hostile path segments, ${PARAM_NAMES.length} query parameters and odd methods and ` +
      `headers; statuses ${byStatus.join(", ")}`,
    checks,
    ms: performance.now() - started,
    data: { statuses: Object.fromEntries(statuses), failures: failures.slice(0, 20) },
  };
}
