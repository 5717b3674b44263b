/**
 * The HTTP client's circuit breaker, against a real closed port on loopback (connection
 * refused) and a real server; waiting goes through an injected sleep.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { HttpClient, type HttpClientOptions } from "../../lib/ods/http.ts";
import { closedPort } from "./closed_port.ts";

function client(overrides: Partial<HttpClientOptions> = {}) {
  const sleeps: number[] = [];
  const http = new HttpClient({
    rateLimit: 1000,
    concurrency: 1,
    timeoutMs: 2000,
    retries: 4,
    userAgent: "breaker-test/1.0",
    backoffBaseMs: 10,
    backoffMaxMs: 100,
    random: () => 1,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...overrides,
  });
  return { http, sleeps };
}

// Bug caught: without a breaker, 5 requests × 5 attempts = 25 connection attempts.
Deno.test("after 3 refused connections the client sends nothing more", async () => {
  const url = `http://127.0.0.1:${closedPort()}/ORD/2-0-0/organisations/RGT`;
  const { http } = client();
  const results = [];
  for (let i = 0; i < 5; i++) results.push(await http.getJson(url));
  equal(http.stats().requests, 3);
  ok(results.every((r) => !r.ok && r.unreachable), JSON.stringify(results.map((r) => r.ok)));
});

// Bug caught: a request already sleeping out its backoff would wait the whole delay (up to 30 s
// each, for every queued request) before noticing the host is gone.
Deno.test("an open breaker ends the backoff waits of requests already retrying", async () => {
  const url = `http://127.0.0.1:${closedPort()}/sync`;
  // A sleep that never ends by itself: only the breaker can release a waiting request.
  const { http } = client({ concurrency: 3, burst: 3, sleep: () => new Promise<void>(() => {}) });
  const all = Promise.all([http.getJson(url), http.getJson(url), http.getJson(url)]);
  let guard: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"stuck">((resolve) => {
    guard = setTimeout(() => resolve("stuck"), 10_000);
  });
  try {
    const results = await Promise.race([all, timeout]);
    ok(results !== "stuck", "requests still waiting after the breaker opened");
    ok(results.every((r) => !r.ok && r.unreachable));
    equal(http.stats().requests, 3);
  } finally {
    clearTimeout(guard);
  }
});

// Bug caught: counting HTTP errors as network failures would stop a run on a flaky but
// reachable server instead of retrying it.
Deno.test("a server that answers, even with 503, never opens the breaker", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response("{}", { status: 503 }),
  );
  try {
    const { http } = client({ retries: 4 });
    const res = await http.getJson(`http://127.0.0.1:${server.addr.port}/sync`);
    ok(!res.ok);
    equal(res.unreachable, false);
    equal(res.status, 503);
    deepEqual(http.stats(), { requests: 5, retries: 4 });
    equal(http.unreachable(), null);
  } finally {
    await server.shutdown();
  }
});

// Bug caught: the 634 "network error" lines named neither the host nor the URL.
Deno.test("the unreachable message names the host and URL, credentials redacted", async () => {
  const port = closedPort();
  const { http } = client({ retries: 2 });
  const res = await http.getJson(
    `http://ods-user:pa55word@127.0.0.1:${port}/fhir/Organization?apikey=k-123&_count=5`,
  );
  ok(!res.ok && res.unreachable);
  ok(res.reason.includes(`cannot reach 127.0.0.1:${port}`), res.reason);
  ok(res.reason.includes(`/fhir/Organization?apikey=***&_count=5`), res.reason);
  ok(res.reason.includes("Connection refused"), res.reason);
  ok(!res.reason.includes("pa55word") && !res.reason.includes("ods-user"), res.reason);
  ok(!res.reason.includes("k-123"), res.reason);
});

/** A server that answers the first `answered` requests, then never answers again. */
function hangingAfter(answered: number) {
  const gate = Promise.withResolvers<void>();
  let n = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async () => {
    if (n++ >= answered) await gate.promise;
    return new Response("{}", { headers: { "content-type": "application/json" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/sync`,
    async close() {
      gate.resolve();
      await server.shutdown();
    },
  };
}

// Bug caught: a firewall that drops packets (every attempt times out) retried for hours.
Deno.test("a host that has never answered opens the breaker after 3 timeouts", async () => {
  const s = hangingAfter(0);
  try {
    const { http } = client({ timeoutMs: 50 });
    const first = await http.getJson(s.url);
    const second = await http.getJson(s.url);
    equal(http.stats().requests, 3);
    ok(!first.ok && first.unreachable && !second.ok && second.unreachable);
    ok(first.reason.includes("timed out after 50 ms"), first.reason);
  } finally {
    await s.close();
  }
});

// Bug caught: a slow but working ODS failing the whole run instead of being retried.
Deno.test("timeouts from a host that has answered are retried, never counted", async () => {
  const s = hangingAfter(1);
  try {
    const { http } = client({ timeoutMs: 50, retries: 4 });
    ok((await http.getJson(s.url)).ok);
    const slow = await http.getJson(s.url);
    ok(!slow.ok);
    equal(slow.unreachable, false);
    equal(slow.attempts, 5);
  } finally {
    await s.close();
  }
});
