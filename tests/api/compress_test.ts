/**
 * gzip for the unfiltered lists: the right clients get it, it decompresses to the same JSON,
 * each encoding has its own ETag and `304`, and caches are told the answer varies.
 */
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { get } from "node:http";
import { gunzipSync } from "node:zlib";
import { createApp } from "../../api.ts";
import { acceptsGzip } from "../../lib/api/compress.ts";
import { appFor, captureLogs, seededStore, serve } from "./helpers.ts";

captureLogs();

Deno.test("acceptsGzip reads Accept-Encoding with its weights", () => {
  for (const yes of ["gzip", "GZIP", "deflate, gzip;q=0.5", "x-gzip", "*", "br;q=1, *;q=0.1"]) {
    ok(acceptsGzip(yes), yes);
  }
  for (const no of [null, "", "identity", "br, deflate", "gzip;q=0", "gzip; q=0.000", "*;q=0"]) {
    ok(!acceptsGzip(no), String(no));
  }
  ok(!acceptsGzip("gzip;q=0, *"), "an explicit refusal of gzip wins over *");
  ok(!acceptsGzip("gzip;q=abc"), "a malformed weight is no");
});

Deno.test("lists are sent gzip-compressed to clients that take it", async (t) => {
  const s = await seededStore();
  try {
    const apps = {
      "fast path": appFor(s.store),
      "through the app": createApp({
        store: s.store,
        config: { apiKeys: [], adminToken: null },
        fastPath: false,
      }),
    };
    for (const [name, a] of Object.entries(apps)) {
      await t.step(name, async () => {
        const plain = await a.request("/organisations/");
        const identity = await plain.text();
        equal(plain.headers.get("content-encoding"), null);
        equal(plain.headers.get("vary"), "Accept-Encoding");

        const zipped = await a.request("/organisations/", {
          headers: { "Accept-Encoding": "gzip, deflate, br" },
        });
        equal(zipped.status, 200);
        equal(zipped.headers.get("content-encoding"), "gzip");
        equal(zipped.headers.get("vary"), "Accept-Encoding");
        equal(zipped.headers.get("content-type"), "application/json");
        const bytes = new Uint8Array(await zipped.arrayBuffer());
        ok(bytes.length * 5 < identity.length, `${bytes.length} vs ${identity.length} bytes`);
        equal(new TextDecoder().decode(gunzipSync(bytes)), identity);

        const tag = zipped.headers.get("etag")!;
        notEqual(tag, plain.headers.get("etag"), "each encoding has its own strong ETag");
        const again = await a.request("/organisations/", {
          headers: { "Accept-Encoding": "gzip", "If-None-Match": tag },
        });
        equal(again.status, 304);
        equal(await again.text(), "");
        equal(again.headers.get("etag"), tag);
        equal(again.headers.get("content-encoding"), null);
        const other = await a.request("/organisations/", { headers: { "If-None-Match": tag } });
        equal(other.status, 200, "the gzip ETag does not validate the identity body");
        await other.body?.cancel();

        for (const path of ["/organisations/RGT01/", "/countries/", "/countries/?active=true"]) {
          const res = await a.request(path, { headers: { "Accept-Encoding": "gzip" } });
          equal(res.status, 200, path);
          equal(res.headers.get("content-encoding"), null, `${path} is sent as it is`);
          equal(res.headers.get("vary"), null, path);
          await res.body?.cancel();
        }
      });
    }

    await t.step("a large queried answer is sent gzip once it is compressed", async () => {
      const a = appFor(s.store);
      const path = "/trusts/?active=true";
      const gzip = { headers: { "Accept-Encoding": "gzip" } };
      const first = await a.request(path, gzip);
      equal(first.headers.get("vary"), "Accept-Encoding", "the answer may vary from the start");
      equal(first.headers.get("content-encoding"), null, "the first is sent before compressing");
      const identity = await first.text();
      let zipped = first;
      for (let i = 0; i < 1000 && zipped.headers.get("content-encoding") !== "gzip"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1)); // let the compression run
        zipped = await a.request(path, gzip);
        if (zipped.headers.get("content-encoding") !== "gzip") await zipped.body?.cancel();
      }
      equal(zipped.headers.get("content-encoding"), "gzip");
      const bytes = new Uint8Array(await zipped.arrayBuffer());
      equal(new TextDecoder().decode(gunzipSync(bytes)), identity);
      notEqual(zipped.headers.get("etag"), first.headers.get("etag"));
    });

    await t.step("every response shares the one gzip body, whole, with its length", async () => {
      const served = serve(appFor(s.store));
      try {
        const identity = await (await fetch(`${served.url}/organisations/`, {
          headers: { "Accept-Encoding": "identity" },
        })).text();
        const raw = await Promise.all(
          Array.from({ length: 20 }, () => rawGzipGet(`${served.url}/organisations/`)),
        );
        for (const { length, bytes } of raw) {
          equal(length, String(bytes.length));
          equal(new TextDecoder().decode(gunzipSync(bytes)), identity);
        }
      } finally {
        await served.close();
      }
    });

    await t.step("an HTTP client that asks for gzip reads the same JSON", async () => {
      const served = serve(appFor(s.store));
      try {
        const viaGzip = await fetch(`${served.url}/trusts/`); // fetch asks for gzip itself
        equal(viaGzip.headers.get("content-encoding"), "gzip");
        const viaIdentity = await fetch(`${served.url}/trusts/`, {
          headers: { "Accept-Encoding": "identity" },
        });
        deepEqual(await viaGzip.json(), await viaIdentity.json());
      } finally {
        await served.close();
      }
    });
  } finally {
    await s.close();
  }
});

/** GET `url` asking for gzip, its body as sent (fetch would decompress it) and Content-Length. */
function rawGzipGet(url: string): Promise<{ length: string | undefined; bytes: Uint8Array }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { "Accept-Encoding": "gzip" } }, (res) => {
      const chunks: Uint8Array[] = [];
      res.on("data", (c: Uint8Array) => chunks.push(c));
      res.on("end", () => {
        const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) (bytes.set(c, at), at += c.length);
        resolve({ length: res.headers["content-length"], bytes });
      });
    }).on("error", reject);
  });
}
