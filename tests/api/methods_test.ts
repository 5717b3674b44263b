import { equal, match } from "node:assert/strict";
import { appFor, captureLogs, seededStore, serve } from "./helpers.ts";

captureLogs();

const KEY = "methods-test-key-0123456789";

/** One raw HTTP/1.1 exchange (fetch refuses methods such as TRACE); the response head. */
async function rawHead(url: string, method: string, path: string, headers = ""): Promise<string> {
  const { port } = new URL(url);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
  try {
    const request = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}` +
      "Connection: close\r\n\r\n";
    await conn.write(new TextEncoder().encode(request));
    let text = "";
    const buf = new Uint8Array(65536);
    for (let n; (n = await conn.read(buf)) !== null;) {
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    return text.split("\r\n\r\n")[0];
  } finally {
    conn.close();
  }
}

Deno.test("HEAD answers the GET's Content-Length, on the fast path and through the app", async () => {
  const kv = await seededStore();
  try {
    for (const keys of [[], [KEY]]) {
      const served = serve(appFor(kv.store, keys));
      try {
        const auth = keys.length ? { "Ocp-Apim-Subscription-Key": KEY } : undefined;
        for (const path of ["/organisations/RGT01/", "/trusts/RGT/", "/health"]) {
          const get = await fetch(served.url + path, { headers: auth });
          const length = (await get.arrayBuffer()).byteLength;
          const head = await fetch(served.url + path, { method: "HEAD", headers: auth });
          await head.body?.cancel();
          equal(head.status, 200, path);
          equal(head.headers.get("content-length"), String(length), `${path} keys=${keys.length}`);
        }
      } finally {
        await served.close();
      }
    }
  } finally {
    await kv.close();
  }
});

Deno.test("HEAD without a key is a 401 when keys are required", async () => {
  const kv = await seededStore();
  const served = serve(appFor(kv.store, [KEY]));
  try {
    const res = await fetch(`${served.url}/organisations/RGT01/`, { method: "HEAD" });
    await res.body?.cancel();
    equal(res.status, 401);
  } finally {
    await served.close();
    await kv.close();
  }
});

Deno.test("TRACE, PROPFIND and other methods on a read route are a 405 naming GET, HEAD, OPTIONS", async () => {
  const kv = await seededStore();
  const served = serve(appFor(kv.store));
  try {
    for (const method of ["TRACE", "PROPFIND", "POST", "DELETE", "PATCH"]) {
      const head = await rawHead(served.url, method, "/organisations/", "Content-Length: 0\r\n");
      match(head, /^HTTP\/1\.1 405 /, method);
      match(head, /\r\nallow: GET, HEAD, OPTIONS/i, method);
    }
  } finally {
    await served.close();
    await kv.close();
  }
});
