import { deepEqual, equal } from "node:assert/strict";

const LOG_MODULE = new URL("../lib/log.ts", import.meta.url).href;

/** Run `script` in its own process (real stderr, real exit); its stderr lines. */
async function stderrLines(script: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "null",
    stderr: "piped",
  }).output();
  equal(out.code, 0);
  return new TextDecoder().decode(out.stderr).trimEnd().split("\n");
}

Deno.test("buffered log lines reach stderr whole, in order, by exit, including very long ones", async () => {
  const script = `
    import { log, logRequest } from "${LOG_MODULE}";
    for (let i = 0; i < 2000; i++) logRequest("GET", "/p/" + i, "/p/:n", 200, 0.5);
    log("info", "long", { text: "é".repeat(40000) });
    log("warn", "last");
  `;
  const lines = (await stderrLines(script)).map((l) => JSON.parse(l));
  equal(lines.length, 2002);
  deepEqual(
    lines.slice(0, 2000).map((l) => l.path),
    Array.from({ length: 2000 }, (_, i) => `/p/${i}`),
  );
  equal(lines[2000].text.length, 40000);
  equal(lines[2001].msg, "last");
});

Deno.test("prepared request lines written as bytes read the same as the text lines", async () => {
  const durations = [0, 0.004, 0.05, 0.1, 0.126, 1, 1.2, 12.345, 999.999, 123456.7];
  const script = `
    import { logPrepared, logRequest, RequestLine } from "${LOG_MODULE}";
    const line = new RequestLine("GET", "/organisations/RGT01/", "/organisations/:ods_code", 304);
    for (const ms of ${JSON.stringify(durations)}) logPrepared(line, ms);
    logRequest("GET", "/x/" + "é".repeat(30000), "/x/:y", 200, 0.5);
    logRequest("GET", "/boom", undefined, 500, 2);
  `;
  const text = await stderrLines(script);
  const lines = text.map((l) => JSON.parse(l));
  equal(lines.length, durations.length + 2);
  deepEqual(
    lines.slice(0, durations.length).map((l) => l.ms),
    durations.map((ms) => Math.round(ms * 100) / 100),
  );
  for (const [i, ms] of durations.entries()) {
    // Byte for byte what JSON.stringify would write for the same fields.
    const { time } = lines[i];
    equal(
      text[i],
      JSON.stringify({
        time,
        level: "info",
        msg: "request",
        method: "GET",
        path: "/organisations/RGT01/",
        route: "/organisations/:ods_code",
        status: 304,
        ms: Math.round(ms * 100) / 100,
      }),
    );
  }
  equal(lines[durations.length].path.length, 30003);
  deepEqual(
    [lines[durations.length + 1].level, lines[durations.length + 1].route],
    ["error", null],
  );
});
