/**
 * The throughput ceiling: a bare `Deno.serve` answering each path with the exact response the
 * service gave for it (fetched once at start): same status, same headers, same body. No
 * framework, no store, no conditional requests, no logging. Bodies are kept in the fastest form
 * Deno sends: a string when the bytes are ASCII (as the service's JSON is), else a `Uint8Array`.
 *
 * With `--body-only` it sends only the body and its `Content-Type` instead, which Deno serves
 * on a faster path than any response with more headers: the bench reports that ratio too.
 *
 * With `--gzip` it records (and replays) the gzip-compressed answers the service sends to a
 * client that accepts them, bytes as sent (`Content-Encoding` and all).
 *
 * `deno run -A bench/baseline_server.ts PORT SOURCE_ORIGIN PATHS_JSON_FILE [--body-only] [--gzip]`
 *
 * @module
 */

/** One recorded response. */
export interface Recorded {
  body: string | Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
}

import { get } from "node:http";

/** Headers Deno writes itself for every response. */
const OWN_HEADERS = new Set(["content-length", "date", "transfer-encoding", "connection"]);

/**
 * Pure ASCII bytes as a string (what Deno sends fastest); other bytes as they are.
 *
 * @example
 * ```ts
 * import { fastestBody } from "./baseline_server.ts";
 * import { equal } from "node:assert/strict";
 * equal(fastestBody(new TextEncoder().encode("{}")), "{}");
 * ```
 */
export function fastestBody(bytes: Uint8Array<ArrayBuffer>): string | Uint8Array<ArrayBuffer> {
  return bytes.every((b) => b < 0x80) ? new TextDecoder().decode(bytes) : bytes;
}

/**
 * Record `res` for replay: its body and the headers the application set.
 *
 * @example
 * ```ts
 * import { record } from "./baseline_server.ts";
 * import { deepEqual } from "node:assert/strict";
 * const res = new Response("{}", { headers: { "content-type": "application/json", etag: '"1"' } });
 * deepEqual((await record(res, true)).headers, { "content-type": "application/json" });
 * ```
 */
export async function record(res: Response, bodyOnly: boolean): Promise<Recorded> {
  const headers: Record<string, string> = {};
  for (const [name, value] of res.headers) {
    if (bodyOnly ? name === "content-type" : !OWN_HEADERS.has(name)) headers[name] = value;
  }
  return { body: fastestBody(await res.bytes()), headers };
}

/**
 * Build the bare handler over a fixed path → response table.
 *
 * @example
 * ```ts
 * import { bareHandler } from "./baseline_server.ts";
 * import { equal } from "node:assert/strict";
 * const handler = bareHandler(new Map([["/trusts/", { body: "[]", headers: {} }]]));
 * equal(await handler(new Request("http://127.0.0.1:1/trusts/")).text(), "[]");
 * equal(handler(new Request("http://127.0.0.1:1/nope")).status, 404);
 * ```
 */
export function bareHandler(
  responses: ReadonlyMap<string, Recorded>,
): (req: Request) => Response {
  return (req) => {
    const url = req.url;
    const hit = responses.get(url.slice(url.indexOf("/", 8)));
    return hit
      ? new Response(hit.body, { headers: hit.headers })
      : new Response(null, { status: 404 });
  };
}

/** The answer to `url` as sent, compressed or not (fetch would decompress it). */
function rawGet(url: string, encoding: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { "Accept-Encoding": encoding } }, (res) => {
      const chunks: Uint8Array[] = [];
      res.on("data", (c: Uint8Array) => chunks.push(c));
      res.on("end", () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v) headers.set(k, String(v));
        const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) (body.set(c, at), at += c.length);
        resolve(new Response(body, { status: res.statusCode, headers }));
      });
    }).on("error", reject);
  });
}

if (import.meta.main) {
  const [port, origin, file, ...modes] = Deno.args;
  const paths: string[] = JSON.parse(await Deno.readTextFile(file));
  const responses = new Map<string, Recorded>();
  const gzip = modes.includes("--gzip");
  for (const path of paths) {
    // As wrk asks: without Accept-Encoding (uncompressed), or with gzip (`--gzip`).
    const res = await rawGet(`${origin}${path}`, gzip ? "gzip" : "identity");
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    if (gzip && res.headers.get("content-encoding") !== "gzip") throw new Error(`${path}: no gzip`);
    const bodyOnly = modes.includes("--body-only");
    const recorded = await record(res, bodyOnly);
    if (bodyOnly && gzip) recorded.headers["content-encoding"] = "gzip";
    responses.set(path, recorded);
  }
  Deno.serve({
    port: Number(port),
    hostname: "127.0.0.1",
    onListen: () => console.error(`{"msg":"listening","paths":${responses.size}}`),
  }, bareHandler(responses));
}
