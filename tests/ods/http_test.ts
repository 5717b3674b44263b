import { deepEqual, equal, ok } from "node:assert/strict";
import {
  backoffDelay,
  HttpClient,
  type HttpClientOptions,
  parseRetryAfter,
  RateLimiter,
  type RetryEvent,
} from "../../lib/ods/http.ts";

interface Hit {
  at: number;
  path: string;
  headers: Headers;
}

interface TestServer {
  url: string;
  hits: Hit[];
  close(): Promise<void>;
}

/** A real HTTP server on a free port; `handler` gets the 0-based hit number. */
function serve(handler: (req: Request, n: number) => Response | Promise<Response>): TestServer {
  const hits: Hit[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const u = new URL(req.url);
    hits.push({ at: performance.now(), path: u.pathname + u.search, headers: req.headers });
    return handler(req, hits.length - 1);
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    hits,
    close: () => server.shutdown(),
  };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

/** Client with fast settings; sleeps are recorded and skipped unless `realSleep`. */
function client(overrides: Partial<HttpClientOptions> = {}, realSleep = false) {
  const sleeps: number[] = [];
  const retries: RetryEvent[] = [];
  let clock = 1_000_000; // fake time, advanced by the (skipped) sleeps
  const http = new HttpClient({
    rateLimit: 1000,
    concurrency: 4,
    timeoutMs: 2000,
    retries: 3,
    userAgent: "ods-test/1.0 (+https://example.org)",
    backoffBaseMs: 10,
    backoffMaxMs: 100,
    retryAfterMaxMs: 60_000,
    random: () => 1,
    onRetry: (e) => retries.push(e),
    now: realSleep ? undefined : () => clock,
    sleep: realSleep ? undefined : (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    ...overrides,
  });
  return { http, sleeps, retries };
}

Deno.test("http client: headers and success", async (t) => {
  await t.step("sends a descriptive User-Agent, Accept and configured extra headers", async () => {
    const s = serve(() => json({ ok: 1 }));
    try {
      const { http } = client({ accept: "application/fhir+json", headers: { apikey: "k-123" } });
      const res = await http.getJson(`${s.url}/Organization?_id=RR8`);
      ok(res.ok);
      deepEqual(res.body, { ok: 1 });
      equal(s.hits[0].headers.get("user-agent"), "ods-test/1.0 (+https://example.org)");
      equal(s.hits[0].headers.get("accept"), "application/fhir+json");
      equal(s.hits[0].headers.get("apikey"), "k-123");
      deepEqual(http.stats(), { requests: 1, retries: 0 });
    } finally {
      await s.close();
    }
  });

  await t.step("defaults Accept to application/json and sends no apikey", async () => {
    const s = serve(() => json({}));
    try {
      const { http } = client();
      await http.getJson(`${s.url}/sync`);
      equal(s.hits[0].headers.get("accept"), "application/json");
      equal(s.hits[0].headers.get("apikey"), null);
    } finally {
      await s.close();
    }
  });
});

Deno.test("http client: retries transient failures", async (t) => {
  await t.step("retries 5xx with exponential full-jitter backoff, then succeeds", async () => {
    const s = serve((_r, n) => n < 2 ? json({ err: 1 }, n === 0 ? 500 : 503) : json({ fine: 1 }));
    try {
      const { http, sleeps, retries } = client({ random: () => 0.5 });
      const res = await http.getJson(`${s.url}/x`);
      ok(res.ok);
      equal(res.attempts, 3);
      deepEqual(retries.map((r) => r.status), [500, 503]);
      deepEqual(sleeps, [5, 10]); // 0.5 × 10, 0.5 × 20
      deepEqual(http.stats(), { requests: 3, retries: 2 });
    } finally {
      await s.close();
    }
  });

  await t.step("caps backoff at backoffMaxMs", async () => {
    const s = serve(() => json({}, 502));
    try {
      const { http, sleeps } = client({ retries: 5, backoffBaseMs: 30, backoffMaxMs: 70 });
      const res = await http.getJson(`${s.url}/x`);
      equal(res.ok, false);
      deepEqual(sleeps, [30, 60, 70, 70, 70]);
    } finally {
      await s.close();
    }
  });

  await t.step("gives up after `retries` extra attempts with a transient failure", async () => {
    const s = serve(() => json({ err: 1 }, 500));
    try {
      const { http } = client({ retries: 2 });
      const res = await http.getJson(`${s.url}/x`);
      ok(!res.ok);
      equal(res.status, 500);
      equal(res.transient, true);
      equal(res.attempts, 3);
      equal(s.hits.length, 3);
      deepEqual(http.stats(), { requests: 3, retries: 2 });
    } finally {
      await s.close();
    }
  });

  await t.step("honours Retry-After in seconds on 429", async () => {
    const s = serve((_r, n) => n === 0 ? json({}, 429, { "Retry-After": "2" }) : json({ a: 1 }));
    try {
      const { http, sleeps, retries } = client();
      const res = await http.getJson(`${s.url}/x`);
      ok(res.ok);
      deepEqual(sleeps, [2000]);
      equal(retries[0].status, 429);
      equal(retries[0].delayMs, 2000);
    } finally {
      await s.close();
    }
  });

  await t.step("honours Retry-After as an HTTP date", async () => {
    const now = Date.parse("2025-03-04T10:00:00Z");
    const s = serve((_r, n) =>
      n === 0 ? json({}, 429, { "Retry-After": "Tue, 04 Mar 2025 10:00:07 GMT" }) : json({ a: 1 })
    );
    try {
      const { http, retries } = client({ now: () => now });
      ok((await http.getJson(`${s.url}/x`)).ok);
      equal(retries[0].delayMs, 7000);
    } finally {
      await s.close();
    }
  });

  await t.step("caps a huge Retry-After at retryAfterMaxMs", async () => {
    const s = serve((_r, n) => n === 0 ? json({}, 503, { "Retry-After": "86400" }) : json({}));
    try {
      const { http, retries } = client({ retryAfterMaxMs: 1500 });
      ok((await http.getJson(`${s.url}/x`)).ok);
      equal(retries[0].delayMs, 1500);
    } finally {
      await s.close();
    }
  });

  await t.step("falls back to backoff on 429 without Retry-After", async () => {
    const s = serve((_r, n) => n === 0 ? json({}, 429) : json({}));
    try {
      const { http, retries } = client();
      ok((await http.getJson(`${s.url}/x`)).ok);
      equal(retries[0].delayMs, 10);
    } finally {
      await s.close();
    }
  });

  await t.step("retries a truncated JSON body", async () => {
    const s = serve((_r, n) =>
      n === 0
        ? new Response('{"Organisation":{"Name":"KENT', {
          headers: { "content-type": "application/json" },
        })
        : json({ whole: true })
    );
    try {
      const { http, retries } = client();
      const res = await http.getJson(`${s.url}/x`);
      ok(res.ok);
      deepEqual(res.body, { whole: true });
      ok(retries[0].reason.includes("not valid JSON"), retries[0].reason);
    } finally {
      await s.close();
    }
  });

  await t.step("retries an HTML page served with 200 and with 502", async () => {
    const html = "<html><body>Service unavailable</body></html>";
    const s = serve((_r, n) =>
      n === 0
        ? new Response(html, { headers: { "content-type": "text/html" } })
        : n === 1
        ? new Response(html, { status: 502, headers: { "content-type": "text/html" } })
        : json({ fine: 1 })
    );
    try {
      const { http, retries } = client();
      ok((await http.getJson(`${s.url}/x`)).ok);
      deepEqual(retries.map((r) => r.status), [200, 502]);
      ok(retries[0].reason.includes("HTML"), retries[0].reason);
    } finally {
      await s.close();
    }
  });

  await t.step(
    "a body that stays non-JSON ends as a transient failure with status 200",
    async () => {
      const s = serve(() => new Response("<html>oops</html>"));
      try {
        const { http } = client({ retries: 1 });
        const res = await http.getJson(`${s.url}/x`);
        ok(!res.ok);
        equal(res.status, 200);
        equal(res.transient, true);
        equal(res.text, "<html>oops</html>");
        equal(s.hits.length, 2);
      } finally {
        await s.close();
      }
    },
  );
});

Deno.test("http client: no retry on definitive client errors", async (t) => {
  for (const status of [400, 401, 404, 406, 422]) {
    await t.step(`returns ${status} at once, with its parsed body`, async () => {
      const s = serve(() => json({ errorCode: status, errorText: "nope" }, status));
      try {
        const { http, retries } = client();
        const res = await http.getJson(`${s.url}/organisations/ZZZ`);
        ok(!res.ok);
        equal(res.status, status);
        equal(res.transient, false);
        deepEqual(res.body, { errorCode: status, errorText: "nope" });
        equal(s.hits.length, 1);
        equal(retries.length, 0);
        deepEqual(http.stats(), { requests: 1, retries: 0 });
      } finally {
        await s.close();
      }
    });
  }

  await t.step("a 401 with an empty body has body undefined", async () => {
    const s = serve(() => new Response(null, { status: 401, statusText: "Access Denied" }));
    try {
      const { http } = client();
      const res = await http.getJson(`${s.url}/x`);
      ok(!res.ok);
      equal(res.body, undefined);
      ok(res.reason.startsWith("HTTP 401"), res.reason);
    } finally {
      await s.close();
    }
  });
});

Deno.test("http client: timeouts and network errors", async (t) => {
  await t.step("aborts a slow response after timeoutMs and retries it", async () => {
    const gate = Promise.withResolvers<void>(); // released at the end: the client gave up
    const s = serve(async (_req, n) => {
      if (n === 0) await gate.promise;
      return json({ n });
    });
    try {
      const { http, retries } = client({ timeoutMs: 100 });
      const res = await http.getJson(`${s.url}/slow`);
      ok(res.ok);
      deepEqual(res.body, { n: 1 });
      equal(retries.length, 1);
      equal(retries[0].status, null);
      ok(retries[0].reason.includes("timed out after 100 ms"), retries[0].reason);
    } finally {
      gate.resolve();
      await s.close();
    }
  });

  await t.step("a response that never comes fails after all retries", async () => {
    const gate = Promise.withResolvers<void>();
    const s = serve(async () => {
      await gate.promise;
      return json({});
    });
    try {
      const { http } = client({ timeoutMs: 50, retries: 2 });
      const res = await http.getJson(`${s.url}/slow`);
      ok(!res.ok);
      equal(res.status, null);
      equal(res.transient, true);
      equal(res.attempts, 3);
      ok(res.reason.includes("timed out"));
    } finally {
      gate.resolve();
      await s.close();
    }
  });

  await t.step("retries when the connection is dropped", async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    let connections = 0;
    const accepting = (async () => {
      for await (const conn of listener) {
        connections++;
        if (connections === 1) {
          conn.close(); // reset before any response
          continue;
        }
        const buf = new Uint8Array(4096);
        await conn.read(buf);
        const body = '{"second":true}';
        await conn.write(
          new TextEncoder().encode(
            `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}` +
              `\r\nconnection: close\r\n\r\n${body}`,
          ),
        );
        conn.close();
      }
    })();
    try {
      const { http, retries } = client();
      const res = await http.getJson(`http://127.0.0.1:${listener.addr.port}/x`);
      ok(res.ok);
      deepEqual(res.body, { second: true });
      equal(retries.length, 1);
      ok(retries[0].reason.startsWith("network error"), retries[0].reason);
    } finally {
      listener.close();
      await accepting.catch(() => {});
    }
  });

  await t.step("connection refused ends as a transient failure with status null", async () => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = l.addr.port;
    l.close();
    const { http } = client({ retries: 2 });
    const res = await http.getJson(`http://127.0.0.1:${port}/x`);
    ok(!res.ok);
    equal(res.status, null);
    equal(res.transient, true);
    deepEqual(http.stats(), { requests: 3, retries: 2 });
  });
});

/** A clock that moves only when every pending task has run: each step wakes the earliest sleeper. */
function fakeClock() {
  let now = 1_000_000;
  let running = true;
  const timers: { at: number; resolve: () => void }[] = [];
  const pump = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (next) {
        now = Math.max(now, next.at);
        next.resolve();
      }
    }
  })();
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    stop: async () => {
      running = false;
      await pump;
    },
  };
}

Deno.test("http client: politeness", async (t) => {
  await t.step("spaces requests at 1/rateLimit, in the order asked", async () => {
    const s = serve(() => json({}));
    // A fake clock: sleeps wait for the clock, and the clock jumps to the earliest sleeper only
    // once everything else has run, so gaps are exact and scheduling noise can't shrink them.
    const clock = fakeClock();
    try {
      const sent: { at: number; path: string }[] = [];
      const { http } = client({
        rateLimit: 20,
        concurrency: 8,
        now: clock.now,
        sleep: clock.sleep,
        fetch: (input, init) => {
          sent.push({ at: clock.now(), path: new URL(String(input)).pathname });
          return fetch(input, init);
        },
      });
      await Promise.all(Array.from({ length: 6 }, (_, i) => http.getJson(`${s.url}/r/${i}`)));
      equal(s.hits.length, 6);
      // 20 req/s → 50 ms apart.
      for (let i = 1; i < sent.length; i++) {
        ok(sent[i].at - sent[i - 1].at >= 50, `gap ${sent[i].at - sent[i - 1].at} ms`);
      }
      deepEqual(sent.map((h) => h.path), [0, 1, 2, 3, 4, 5].map((i) => `/r/${i}`));
    } finally {
      await clock.stop();
      await s.close();
    }
  });

  await t.step("never has more than `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const s = serve(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return json({});
    });
    try {
      const { http } = client({ concurrency: 2 }, true);
      const all = await Promise.all(Array.from({ length: 7 }, () => http.getJson(`${s.url}/c`)));
      ok(all.every((r) => r.ok));
      equal(peak, 2);
      equal(s.hits.length, 7);
    } finally {
      await s.close();
    }
  });

  await t.step("every attempt, retries included, waits for the rate limiter", async () => {
    let clock = 0;
    const sleeps: number[] = [];
    const fetchTimes: number[] = [];
    const s = serve((_r, n) => n === 1 ? json({}, 500) : json({}));
    try {
      const http = new HttpClient({
        rateLimit: 10,
        concurrency: 1,
        timeoutMs: 2000,
        retries: 2,
        userAgent: "t",
        backoffBaseMs: 0,
        now: () => clock,
        sleep: (ms) => {
          sleeps.push(ms);
          clock += ms;
          return Promise.resolve();
        },
        fetch: (input, init) => {
          fetchTimes.push(clock);
          return fetch(input, init);
        },
      });
      await http.getJson(`${s.url}/a`);
      await http.getJson(`${s.url}/b`); // 500, then retried
      deepEqual(fetchTimes, [0, 100, 200]);
      deepEqual(http.stats(), { requests: 3, retries: 1 });
    } finally {
      await s.close();
    }
  });

  await t.step("a Retry-After holds back every later request, not just the retry", () => {
    let clock = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter(10, 1, () => clock, (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });
    limiter.acquire(); // t=0, no wait
    limiter.pauseUntil(5000);
    limiter.acquire();
    clock = 1000;
    limiter.acquire();
    deepEqual(waits, [5000, 4100]);
  });

  await t.step("a burst > 1 lets that many through at once, then refills at the rate", () => {
    const waits: number[] = [];
    const limiter = new RateLimiter(4, 3, () => 0, (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });
    for (let i = 0; i < 5; i++) limiter.acquire();
    deepEqual(waits, [250, 500]);
  });
});

Deno.test("http helpers", async (t) => {
  await t.step("parseRetryAfter reads delta-seconds and HTTP dates, never negative", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    equal(parseRetryAfter("3", now), 3000);
    equal(parseRetryAfter(" 0 ", now), 0);
    equal(parseRetryAfter("1.5", now), 1500);
    equal(parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now), 10_000);
    equal(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now), 0);
    equal(parseRetryAfter("soon", now), null);
    equal(parseRetryAfter("", now), null);
    equal(parseRetryAfter(null, now), null);
  });

  await t.step("backoffDelay is uniform below min(max, base × 2^(attempt-1))", () => {
    equal(backoffDelay(1, 100, 10_000, () => 0.999), 99);
    equal(backoffDelay(4, 100, 10_000, () => 0.5), 400);
    equal(backoffDelay(20, 100, 10_000, () => 0.5), 5000);
    equal(backoffDelay(3, 100, 10_000, () => 0), 0);
  });
});

Deno.test("http client: a body that stalls after its headers is timed out, not waited for", async () => {
  const gate = Promise.withResolvers<void>(); // released at the end: the client gave up
  const s = serve(() => {
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"partial": '));
        await gate.promise; // the rest never comes while the client waits
        controller.close();
      },
    });
    return new Response(body, { headers: { "Content-Type": "application/json" } });
  });
  try {
    const { http } = client({ timeoutMs: 100, retries: 0 });
    const res = await http.getJson(`${s.url}/stall`);
    ok(!res.ok);
    equal(res.transient, true);
    ok(res.reason.includes("timed out"), res.reason);
  } finally {
    gate.resolve();
    await s.close();
  }
});
