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
