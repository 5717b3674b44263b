/**
 * ETags on every GET. The read routes compute theirs from the data version and answer `304`
 * themselves (`markEtagged` in http.ts); any other GET answer gets a digest of its body here.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { etagMatches, isEtagged } from "./http.ts";

async function digest(body: ReadableStream<Uint8Array>): Promise<string> {
  const bytes = new Uint8Array(await new Response(body).arrayBuffer());
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
  return `"${Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/** Give successful GET answers without an ETag a strong one, and `304` on a match. */
export function ensureEtag(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (isEtagged(c) || (c.req.method !== "GET" && c.req.method !== "HEAD") || !c.res.ok) {
      return;
    }
    const res = c.res;
    let tag = res.headers.get("ETag");
    if (!tag) {
      if (!res.body) return;
      tag = await digest(res.clone().body!);
      res.headers.set("ETag", tag);
    }
    if (etagMatches(c.req.header("If-None-Match"), tag)) {
      await res.body?.cancel();
      c.res = new Response(null, { status: 304, headers: { ETag: tag } });
    }
  };
}
