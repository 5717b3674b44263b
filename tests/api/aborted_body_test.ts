import { ok } from "node:assert/strict";
import { appFor, captureLogs, serve, tempStore } from "./helpers.ts";

const logs = captureLogs();

Deno.test("a client that stops sending its request body is no error and no 500", async () => {
  const kv = await tempStore();
  const served = serve(appFor(kv.store, ["a-read-key-0123456789"]));
  try {
    const port = Number(new URL(served.url).port);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    // Same origin, so the sign-in form's cross-site check lets it through to reading the body.
    const head = `POST /ui/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Origin: http://127.0.0.1:${port}\r\n` +
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nkey=abc";
    await conn.write(new TextEncoder().encode(head));
    conn.close(); // 7 of the 100 bytes promised
    // The server notices the missing bytes when it reads the body: wait for its request line.
    for (let i = 0; i < 200 && !logs.some((l) => l.includes('"path":"/ui/login"')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const lines = logs.filter((l) => l.includes("/ui/login")).map((l) => JSON.parse(l));
    ok(lines.length > 0, "the request was logged");
    ok(lines.every((l) => l.level !== "error"), JSON.stringify(lines));
    ok(lines.every((l) => l.status === undefined || l.status < 500), JSON.stringify(lines));
  } finally {
    await served.close();
    await kv.close();
  }
});
