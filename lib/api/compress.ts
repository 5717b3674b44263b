/**
 * gzip for the unfiltered lists: their JSON is compressed once per data version (the first time
 * a client asks for it) and sent to clients whose `Accept-Encoding` takes gzip. The full
 * `/organisations/` list shrinks from about 400 KB to a tenth of that.
 *
 * The two encodings are two representations: each has its own strong ETag, and every answer of
 * a compressible list says `Vary: Accept-Encoding`, so caches keep them apart. Lists under
 * {@linkcode MIN_GZIP_BYTES} and every other response are sent as they are, without `Vary`.
 *
 * @module
 */
import type { Context } from "hono";
import { gzip, gzipSync } from "node:zlib";
import type { BuiltView } from "./snapshot.ts";

/** Lists shorter than this are not worth compressing. */
export const MIN_GZIP_BYTES = 1024;

/**
 * Does an `Accept-Encoding` header accept gzip? `gzip`, `x-gzip` or `*` with a non-zero weight
 * (RFC 9110 §12.5.3).
 *
 * @example
 * ```ts
 * acceptsGzip("gzip, deflate, br"); // true
 * acceptsGzip("gzip;q=0, br");      // false
 * ```
 */
export function acceptsGzip(header: string | null | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(",")) {
    const [name, ...params] = part.split(";");
    const coding = name.trim().toLowerCase();
    if (coding !== "gzip" && coding !== "x-gzip" && coding !== "*") continue;
    const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const ok = Number.isFinite(weight) && weight > 0;
    if (coding === "*") star = ok;
    else return ok; // an explicit gzip entry wins over `*`
  }
  return star;
}

/**
 * A response body sending `bytes` as they are: a stream of that one shared chunk, to be sent
 * with its `Content-Length` ({@linkcode sendGzip} does both). Deno copies a `Uint8Array` body
 * into a new buffer for every response, and under load that garbage is what the service spends
 * its time on: with `--optimize-for-size`, a 150 KB gzip answer went out 9,500 times a second
 * as a `Uint8Array` and 27,000 as this stream (44 KB: 31,000 and 52,000), at half the peak
 * memory. The chunk is only read, never transferred, so every response can share it.
 *
 * @example
 * ```ts
 * import { bytesBody } from "./compress.ts";
 * const bytes = new Uint8Array([1, 2, 3]);
 * const first = await new Response(bytesBody(bytes)).bytes();
 * const second = await new Response(bytesBody(bytes)).bytes();
 * first.length + second.length; // 6: the shared bytes, twice
 * ```
 */
export function bytesBody(bytes: Uint8Array<ArrayBuffer>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/**
 * A `200` of gzip-compressed JSON: `bytes` through {@linkcode bytesBody}, with its type,
 * encoding and `Content-Length` (and whatever headers `c` already has).
 */
export function sendGzip(c: Context, bytes: Uint8Array<ArrayBuffer>): Response {
  c.header("Content-Type", "application/json");
  c.header("Content-Encoding", "gzip");
  c.header("Content-Length", String(bytes.length));
  return c.body(bytesBody(bytes), 200);
}

/** Is this list long enough to be sent compressed? */
export function compressible(view: BuiltView): boolean {
  return view.json.length >= MIN_GZIP_BYTES;
}

/** The strong ETag of the gzip representation of the list tagged `etag`. */
export function gzipEtag(etag: string): string {
  return `${etag.slice(0, -1)}.gz"`;
}

const gzips = new WeakMap<BuiltView, Uint8Array<ArrayBuffer>>();

/** The list's JSON, gzip-compressed (made on first use, kept with the view). */
export function gzipped(view: BuiltView): Uint8Array<ArrayBuffer> {
  let bytes = gzips.get(view);
  if (!bytes) {
    const out = gzipSync(view.json, { level: 6 });
    bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength) as Uint8Array<ArrayBuffer>;
    gzips.set(view, bytes);
  }
  return bytes;
}

/**
 * `text` gzip-compressed on node:zlib's thread pool, off the request thread (for answers
 * compressed in the background).
 *
 * @example
 * ```ts
 * import { gunzipSync } from "node:zlib";
 * import { gzipInBackground } from "./compress.ts";
 * const bytes = await gzipInBackground("[1,2,3]");
 * new TextDecoder().decode(gunzipSync(bytes)); // "[1,2,3]"
 * ```
 */
export function gzipInBackground(text: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) =>
    gzip(text, { level: 6 }, (err, out) =>
      err ? reject(err) : resolve(
        new Uint8Array(out.buffer, out.byteOffset, out.byteLength) as Uint8Array<ArrayBuffer>,
      ))
  );
}
