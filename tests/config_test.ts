import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { ConfigError, DEFAULT_KV_PATH, loadConfig } from "../lib/config.ts";

Deno.test("configuration defaults work on a fresh machine", () => {
  const c = loadConfig({});
  equal(c.port, 8000);
  equal(c.kvPath, DEFAULT_KV_PATH);
  deepEqual(c.apiKeys, []);
  equal(c.adminToken, null);
  equal(c.ods.source, "ord");
  equal(c.ods.ordBaseUrl, "https://directory.spineservices.nhs.uk/ORD/2-0-0");
  equal(c.ods.rateLimit, 5);
  equal(c.cron, true);
});

Deno.test("on Deno Deploy the managed KV is used unless KV_PATH says otherwise", () => {
  equal(loadConfig({ DENO_DEPLOYMENT_ID: "abc" }).kvPath, undefined);
  equal(loadConfig({ DENO_DEPLOYMENT_ID: "abc", KV_PATH: ":memory:" }).kvPath, ":memory:");
});

Deno.test("every bad value is named in one clear error", () => {
  const err = (() => {
    try {
      loadConfig({
        PORT: "eighty",
        ODS_SOURCE: "xml",
        ORD_BASE_URL: "ftp://nope",
        API_KEYS: "short",
        ODS_RATE_LIMIT: "0",
        SYNC_CRON: "perhaps",
      });
    } catch (e) {
      return e;
    }
  })();
  ok(err instanceof ConfigError);
  const text = err.message;
  for (
    const name of ["PORT", "ODS_SOURCE", "ORD_BASE_URL", "API_KEYS", "ODS_RATE_LIMIT", "SYNC_CRON"]
  ) {
    ok(text.includes(name), `${name} named in: ${text}`);
  }
  equal(err.problems.length, 6);
});

Deno.test("a KV Connect URL needs an access token", () => {
  throws(
    () => loadConfig({ KV_PATH: "https://api.deno.com/databases/x/connect" }),
    /DENO_KV_ACCESS_TOKEN/,
  );
  equal(
    loadConfig({
      KV_PATH: "https://api.deno.com/databases/x/connect",
      DENO_KV_ACCESS_TOKEN: "t",
    }).kvPath,
    "https://api.deno.com/databases/x/connect",
  );
});

Deno.test("API keys and the admin token are trimmed and de-duplicated", () => {
  const c = loadConfig({
    API_KEYS: " key-aaaaaaaaaaaaaaaa , key-bbbbbbbbbbbbbbbb,key-aaaaaaaaaaaaaaaa ",
    ADMIN_TOKEN: " admin-cccccccccccccc ",
  });
  deepEqual(c.apiKeys, ["key-aaaaaaaaaaaaaaaa", "key-bbbbbbbbbbbbbbbb"]);
  equal(c.adminToken, "admin-cccccccccccccc");
});

Deno.test("the service listens on 127.0.0.1 unless HOST says otherwise", () => {
  equal(loadConfig({}).host, "127.0.0.1");
  equal(loadConfig({ HOST: "0.0.0.0" }).host, "0.0.0.0");
  equal(loadConfig({ HOST: "[::1]" }).host, "::1");
});

Deno.test("a HOST that is no host name or address is named in the error", () => {
  throws(() => loadConfig({ HOST: "http://0.0.0.0/" }), /HOST must be a host name/);
});

Deno.test("a bad URL's user name and password are not echoed in the error", () => {
  throws(
    () => loadConfig({ ORD_BASE_URL: "ftp://someone:hunter2@ods.example/ORD" }),
    (err: unknown) =>
      err instanceof ConfigError && !err.message.includes("hunter2") &&
      !err.message.includes("someone") && err.message.includes("ORD_BASE_URL"),
  );
});

Deno.test("GP practices are synced and served unless SYNC_GP_PRACTICES=false", () => {
  equal(loadConfig({ KV_PATH: ":memory:" }).syncGpPractices, true);
  equal(loadConfig({ KV_PATH: ":memory:", SYNC_GP_PRACTICES: "false" }).syncGpPractices, false);
  throws(
    () => loadConfig({ KV_PATH: ":memory:", SYNC_GP_PRACTICES: "sometimes" }),
    /SYNC_GP_PRACTICES must be true or false/,
  );
});

Deno.test("SYNC_POSTCODE_LOOKUPS: 1000 look-ups a run by default, 0 for none, a bad value named", () => {
  equal(loadConfig({ KV_PATH: ":memory:" }).syncPostcodeLookups, 1000);
  equal(loadConfig({ KV_PATH: ":memory:", SYNC_POSTCODE_LOOKUPS: "0" }).syncPostcodeLookups, 0);
  for (const bad of ["-1", "ten", "1.5", "100001"]) {
    throws(
      () => loadConfig({ KV_PATH: ":memory:", SYNC_POSTCODE_LOOKUPS: bad }),
      /SYNC_POSTCODE_LOOKUPS must be a whole number from 0 to 100000/,
      bad,
    );
  }
});

Deno.test("API_BUILD_CPU_PERCENT: a quarter of a core by default, 100 for no limit, a bad value named", () => {
  equal(loadConfig({ KV_PATH: ":memory:" }).buildCpuShare, 0.25);
  equal(loadConfig({ KV_PATH: ":memory:", API_BUILD_CPU_PERCENT: "100" }).buildCpuShare, 1);
  for (const bad of ["0", "101", "half"]) {
    throws(
      () => loadConfig({ KV_PATH: ":memory:", API_BUILD_CPU_PERCENT: bad }),
      /API_BUILD_CPU_PERCENT must be a whole number from 1 to 100/,
      bad,
    );
  }
});
