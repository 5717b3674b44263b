import { deepEqual, equal } from "node:assert/strict";

Deno.test("buffered log lines reach stderr whole, in order, by exit, including very long ones", async () => {
  const script = `
    import { log, logRequest } from "${new URL("../lib/log.ts", import.meta.url).href}";
    for (let i = 0; i < 2000; i++) logRequest("GET", "/p/" + i, "/p/:n", 200, 0.5);
    log("info", "long", { text: "é".repeat(40000) });
    log("warn", "last");
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "null",
    stderr: "piped",
  }).output();
  equal(out.code, 0);
  const lines = new TextDecoder().decode(out.stderr).trimEnd().split("\n").map((l) =>
    JSON.parse(l)
  );
  equal(lines.length, 2002);
  deepEqual(
    lines.slice(0, 2000).map((l) => l.path),
    Array.from({ length: 2000 }, (_, i) => `/p/${i}`),
  );
  equal(lines[2000].text.length, 40000);
  equal(lines[2001].msg, "last");
});
