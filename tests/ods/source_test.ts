import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import type { OdsConfig } from "../../lib/config.ts";
import {
  createOdsSource,
  type FetchOutcome,
  OdsError,
  type SourceOptions,
} from "../../lib/ods/source.ts";

type Json = Record<string, unknown>;

interface Hit {
  path: string;
  params: URLSearchParams;
  headers: Headers;
}

/** A real HTTP server on a free port, recording every request. */
function serve(handler: (url: URL, hits: Hit[]) => Response | Promise<Response>) {
  const hits: Hit[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const url = new URL(req.url);
    hits.push({ path: url.pathname, params: url.searchParams, headers: req.headers });
    return handler(url, hits);
  });
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    hits,
    close: () => server.shutdown(),
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Fast, deterministic settings for tests. */
const FAST: SourceOptions = { backoffBaseMs: 1, backoffMaxMs: 4, retryAfterMaxMs: 10 };

function config(origin: string, over: Partial<OdsConfig> = {}): OdsConfig {
  return {
    source: "ord",
    ordBaseUrl: `${origin}/ORD/2-0-0`,
    odtBaseUrl: `${origin}/fhir`,
    odtApiKey: null,
    rateLimit: 1000,
    concurrency: 4,
    timeoutMs: 2000,
    retries: 2,
    pageSize: 1000,
    userAgent: "ods-source-test/1.0",
    ...over,
  };
}

const codes = (outcomes: FetchOutcome[]) => outcomes.map((o) => `${o.code}:${o.status}`);

// ---------------------------------------------------------------------------------------------
// ORD

/** A small valid ORD record. */
function ordRecord(code: string, roles: Json[] = [{ id: "RO198", primaryRole: true }]): Json {
  return {
    Organisation: {
      Name: `ORG ${code}`,
      Date: [{ Type: "Operational", Start: "2001-04-01" }],
      OrgId: { root: "2.16.840.1.113883.2.1.3.2.4.18.48", extension: code },
      Status: "Active",
      LastChangeDate: "2025-01-06",
      orgRecordClass: "RC2",
      Roles: {
        Role: roles.map((r) => ({
          uniqueRoleId: 1,
          Date: [{ Type: "Operational", Start: "2001-04-01" }],
          Status: "Active",
          ...r,
        })),
      },
      Rels: {
        Rel: [{
          Date: [{ Type: "Operational", Start: "2001-04-01" }],
          Status: "Active",
          Target: { OrgId: { extension: "RVV" }, PrimaryRoleId: { id: "RO197", uniqueRoleId: 2 } },
          id: "RE6",
          uniqueRelId: 3,
        }],
      },
    },
  };
}

/** An ORD server with `links` on /sync and `records` (a Response or a body) per code. */
function ordServer(
  sync: (params: URLSearchParams) => Response,
  records: Record<string, () => Response>,
) {
  return serve((url) => {
    if (url.pathname === "/ORD/2-0-0/sync") return sync(url.searchParams);
    const m = /^\/ORD\/2-0-0\/organisations\/([^/]+)$/.exec(url.pathname);
    if (m && records[m[1]]) return records[m[1]]();
    return json({ errorCode: 404, errorText: "Not Found" }, 404);
  });
}

const links = (origin: string, list: string[]) =>
  json({
    Organisations: list.map((c) => ({ OrgLink: `${origin}/ORD/2-0-0/organisations/${c}` })),
  });

Deno.test("ORD source: changesSince", async (t) => {
  await t.step("fetches only tracked codes: 1 sync + 1 request per tracked code", async () => {
    const all = Array.from({ length: 500 }, (_, i) => `X${String(i).padStart(4, "0")}`);
    const tracked = new Set(["X0007", "X0123", "X0499"]);
    const s = ordServer(
      () => links(s.origin, [...all, "X0007", "x0123?_format=xml"]),
      Object.fromEntries([...tracked].map((c) => [c, () => json(ordRecord(c))])),
    );
    try {
      const source = createOdsSource(config(s.origin), FAST);
      const progress: [number, number][] = [];
      const set = await source.changesSince(
        "2025-01-06",
        (c) => tracked.has(c),
        (d, n) => progress.push([d, n]),
      );
      equal(set.seen, 500);
      deepEqual(codes(set.outcomes), ["X0007:ok", "X0123:ok", "X0499:ok"]);
      const first = set.outcomes[0];
      ok(first.status === "ok" && first.record.relationships[0].target === "RVV");
      equal(s.hits.length, 4);
      equal(s.hits[0].params.get("LastChangeDate"), "2025-01-06");
      equal(s.hits[0].headers.get("user-agent"), "ods-source-test/1.0");
      equal(s.hits[0].headers.get("accept"), "application/json");
      deepEqual(progress.at(-1), [3, 3]);
      deepEqual(source.stats(), { requests: 4, retries: 0 });
      equal(source.name, "ord");
    } finally {
      await s.close();
    }
  });

  await t.step(
    "per-record outcomes: ok, not_found (404), invalid, error after retries",
    async () => {
      const s = ordServer(() => links(s.origin, ["AA1", "BB2", "CC3", "DD4"]), {
        AA1: () => json(ordRecord("AA1")),
        CC3: () =>
          json(
            ordRecord("CC3", [{ id: "RO197", primaryRole: true }, {
              id: "RO198",
              primaryRole: true,
            }]),
          ),
        DD4: () => json({ errorCode: 500 }, 500),
      });
      try {
        const source = createOdsSource(config(s.origin), FAST);
        const set = await source.changesSince("2025-01-06", () => true);
        deepEqual(codes(set.outcomes), ["AA1:ok", "BB2:not_found", "CC3:invalid", "DD4:error"]);
        const invalid = set.outcomes[2];
        ok(invalid.status === "invalid" && invalid.reason.includes("2 primary roles"));
        const error = set.outcomes[3];
        ok(error.status === "error" && error.reason.includes("HTTP 500"), JSON.stringify(error));
        equal(s.hits.filter((h) => h.path.endsWith("/DD4")).length, 3);
        deepEqual(source.stats(), { requests: 1 + 1 + 1 + 1 + 3, retries: 2 });
      } finally {
        await s.close();
      }
    },
  );

  await t.step("an empty change list ({}) fetches nothing", async () => {
    const s = ordServer(() => json({}), {});
    try {
      const set = await createOdsSource(config(s.origin), FAST).changesSince(
        "2025-01-06",
        () => true,
      );
      deepEqual(set, { seen: 0, outcomes: [] });
      equal(s.hits.length, 1);
    } finally {
      await s.close();
    }
  });

  const syncFailures: [string, () => Response, OdsError["kind"], number][] = [
    ["406 (date outside the window) → window", () => json({ errorCode: 406 }, 406), "window", 1],
    ["503 every time → unavailable", () => json({}, 503), "unavailable", 3],
    [
      "an HTML page every time → bad_response",
      () => new Response("<html>maintenance</html>"),
      "bad_response",
      3,
    ],
    [
      "a JSON error body with 200 → bad_response",
      () => json({ errorCode: 1, errorText: "x" }),
      "bad_response",
      1,
    ],
    ["404 (wrong base URL) → bad_response", () => json({}, 404), "bad_response", 1],
  ];
  for (const [name, respond, kind, requests] of syncFailures) {
    await t.step(`sync failure: ${name}`, async () => {
      const s = ordServer(respond, {});
      try {
        const source = createOdsSource(config(s.origin), FAST);
        await rejects(source.changesSince("2025-01-06", () => true), (e: unknown) => {
          ok(e instanceof OdsError, String(e));
          equal(e.kind, kind);
          return true;
        });
        equal(s.hits.length, requests);
      } finally {
        await s.close();
      }
    });
  }

  await t.step("rejects a malformed since date before sending anything", async () => {
    const source = createOdsSource(config("http://127.0.0.1:9"), FAST);
    await rejects(source.changesSince("06/01/2025", () => true), RangeError);
    deepEqual(source.stats(), { requests: 0, retries: 0 });
  });
});

Deno.test("ORD source: fetchOne and fetchMany", async (t) => {
  await t.step("a record for another code is invalid", async () => {
    const s = ordServer(() => json({}), { AA1: () => json(ordRecord("ZZ9")) });
    try {
      const r = await createOdsSource(config(s.origin), FAST).fetchOne("aa1");
      ok(r.status === "invalid" && r.reason.includes("asked for AA1 but ODS returned ZZ9"));
    } finally {
      await s.close();
    }
  });

  await t.step("406 on a record is an error, not a retry", async () => {
    const s = ordServer(() => json({}), { AA1: () => json({}, 406) });
    try {
      const r = await createOdsSource(config(s.origin), FAST).fetchOne("AA1");
      equal(r.status, "error");
      equal(s.hits.length, 1);
    } finally {
      await s.close();
    }
  });

  await t.step("fetchMany: one outcome per code, in order; duplicates fetched once", async () => {
    const s = ordServer(() => json({}), {
      AA1: () => json(ordRecord("AA1")),
      CC3: () => json(ordRecord("CC3")),
    });
    try {
      const source = createOdsSource(config(s.origin), FAST);
      const progress: [number, number][] = [];
      const out = await source.fetchMany(
        ["CC3", "BB2", "aa1", "CC3"],
        (d, n) => progress.push([d, n]),
      );
      deepEqual(codes(out), ["CC3:ok", "BB2:not_found", "AA1:ok", "CC3:ok"]);
      equal(s.hits.length, 3);
      deepEqual(progress.at(-1), [3, 3]);
    } finally {
      await s.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// FHIR

const ENG = "https://fhir.nhs.uk/England/StructureDefinition";
const ODS = "https://digital.nhs.uk/services/organisation-data-service/CodeSystem";
const ODS_CODE = "https://fhir.nhs.uk/Id/ods-organization-code";

function fhirOrg(code: string, roleCode: string, lcd = "2025-01-06"): Json {
  return {
    resourceType: "Organization",
    id: code,
    extension: [
      {
        url: `${ENG}/Extension-England-OrganisationRole`,
        extension: [
          {
            url: "roleCode",
            valueCodeableConcept: {
              coding: [{ system: `${ODS}/ODSOrganisationRole`, code: roleCode }],
            },
          },
          { url: "active", valueBoolean: true },
        ],
      },
      {
        url: `${ENG}/Extension-England-TypedDateTime`,
        extension: [
          { url: "type", valueCoding: { code: "LastChangeDate" } },
          { url: "dateTime", valueDateTime: lcd },
        ],
      },
    ],
    identifier: [{ system: ODS_CODE, value: code }],
    active: true,
    type: [{ coding: [{ system: `${ODS}/ODSRecordClass`, code: "RC2" }] }],
    name: `ORG ${code}`,
  };
}

function fhirAff(id: string, source: string, target: string, rel: string): Json {
  return {
    resourceType: "OrganizationAffiliation",
    id,
    active: true,
    period: { start: "2001-04-01" },
    organization: {
      reference: `Organization/${source}`,
      identifier: { system: ODS_CODE, value: source },
    },
    participatingOrganization: {
      reference: `Organization/${target}`,
      identifier: { system: ODS_CODE, value: target },
    },
    code: [{ coding: [{ system: `${ODS}/ODSRelationship`, code: rel }] }],
  };
}

interface FhirData {
  orgs: Json[];
  affs: Json[];
}

/**
 * A tiny ODT: `Organization` search by `_id` OR-list or `lastChangeDate=gt…`, `_count`/`_offset`
 * paging, `_revinclude` of affiliations. `nextLink` decides how `next` links are written.
 */
function fhirServer(
  data: FhirData,
  opts: {
    nextLink?: (url: URL, offset: number, page: number) => string;
    intercept?: (url: URL, hits: Hit[]) => Response | null;
  } = {},
) {
  let pageNo = 0;
  return serve((url, hits) => {
    const early = opts.intercept?.(url, hits);
    if (early) return early;
    if (url.pathname !== "/fhir/Organization") {
      return json({ resourceType: "OperationOutcome", issue: [] }, 404);
    }
    const p = url.searchParams;
    const code = (o: Json) => String(o.id);
    let matches = data.orgs;
    const ids = p.get("_id");
    if (ids) {
      const want = ids.split(",");
      matches = matches.filter((o) => want.includes(code(o)));
    }
    const lcd = p.get("lastChangeDate");
    if (lcd) {
      ok(lcd.startsWith("gt"), `unexpected prefix in ${lcd}`);
      const after = lcd.slice(2);
      matches = matches.filter((o) => {
        const ext = (o.extension as Json[])[1].extension as Json[];
        return String(ext[1].valueDateTime) > after;
      });
    }
    const count = Number(p.get("_count") ?? "20");
    const offset = Number(p.get("_offset") ?? "0");
    const page = matches.slice(offset, offset + count);
    const entry: Json[] = page.map((o) => ({ resource: o, search: { mode: "match" } }));
    if (p.get("_revinclude") === "OrganizationAffiliation:primary-organization") {
      for (const o of page) {
        for (const a of data.affs) {
          if ((a.organization as Json & { identifier: Json }).identifier.value === code(o)) {
            entry.push({ resource: a, search: { mode: "include" } });
          }
        }
      }
    }
    const link: Json[] = [{ relation: "self", url: url.href }];
    if (offset + count < matches.length) {
      const next = new URL(url);
      next.searchParams.set("_offset", String(offset + count));
      link.push({
        relation: "next",
        url: opts.nextLink?.(next, offset + count, pageNo++) ?? next.href,
      });
    }
    return json({ resourceType: "Bundle", type: "searchset", link, entry });
  });
}

const fhirConfig = (origin: string, over: Partial<OdsConfig> = {}) =>
  config(origin, { source: "fhir", odtApiKey: "test-key", ...over });

Deno.test("FHIR source: changesSince", async (t) => {
  // Five changed records; two tracked sites (RVVKC → RVV, RWF01 → RWF); RWF is itself changed
  // (so its role comes free from the pages), RVV is not (one batched look-up).
  const data: FhirData = {
    orgs: [
      fhirOrg("AAA", "RO177"),
      fhirOrg("RVVKC", "RO198"),
      fhirOrg("RWF", "RO197"),
      fhirOrg("BBB", "RO177"),
      fhirOrg("RWF01", "RO198"),
      fhirOrg("OLD", "RO198", "2025-01-05"),
      fhirOrg("RVV", "RO197", "2020-01-01"),
    ],
    affs: [
      fhirAff("1", "RVVKC", "RVV", "RE6"),
      fhirAff("2", "RWF01", "RWF", "RE6"),
      fhirAff("3", "AAA", "QQQ", "RE4"),
    ],
  };
  const tracked = new Set(["RVVKC", "RWF01", "OLD"]);

  await t.step(
    "pages through link.next (foreign host rebased, relative links resolved), no per-record fetch",
    async () => {
      const s = fhirServer(data, {
        nextLink: (next, _offset, page) =>
          page === 0
            ? `https://hscorganisationdata.nhs.uk/fhir/Organization${next.search}` // not rewritten
            : `Organization${next.search}`, // relative
      });
      try {
        const source = createOdsSource(fhirConfig(s.origin, { pageSize: 2 }), FAST);
        const progress: [number, number][] = [];
        const set = await source.changesSince(
          "2025-01-06",
          (c) => tracked.has(c),
          (d, n) => progress.push([d, n]),
        );
        equal(set.seen, 5);
        deepEqual(codes(set.outcomes), ["RVVKC:ok", "RWF01:ok"]);
        const [a, b] = set.outcomes;
        ok(a.status === "ok" && b.status === "ok");
        deepEqual(a.record.relationships.map((r) => [r.id, r.target, r.targetRole]), [
          ["RE6", "RVV", "RO197"],
        ]);
        deepEqual(b.record.relationships.map((r) => [r.id, r.target, r.targetRole]), [
          ["RE6", "RWF", "RO197"],
        ]);
        // ceil(5 / 2) = 3 pages + 1 look-up of RVV.
        equal(s.hits.length, 4);
        const q = s.hits[0].params;
        equal(q.get("lastChangeDate"), "gt2025-01-05");
        equal(q.get("_count"), "2");
        equal(q.get("_revinclude"), "OrganizationAffiliation:primary-organization");
        deepEqual(s.hits.slice(1, 3).map((h) => h.params.get("_offset")), ["2", "4"]);
        equal(s.hits[3].params.get("_id"), "RVV");
        ok(s.hits.every((h) => h.headers.get("apikey") === "test-key"));
        ok(s.hits.every((h) => h.headers.get("accept") === "application/fhir+json"));
        deepEqual(progress.at(-1), [5, 5]);
        equal(source.name, "fhir");
        deepEqual(source.stats(), { requests: 4, retries: 0 });
      } finally {
        await s.close();
      }
    },
  );

  await t.step("relationship target roles are remembered between calls", async () => {
    const s = fhirServer(data);
    try {
      const source = createOdsSource(fhirConfig(s.origin), FAST);
      await source.changesSince("2025-01-06", (c) => tracked.has(c));
      const before = s.hits.length;
      await source.changesSince("2025-01-06", (c) => tracked.has(c));
      equal(s.hits.length - before, 1); // the page only; RVV already known
    } finally {
      await s.close();
    }
  });

  await t.step("401 → OdsError auth", async () => {
    const s = fhirServer(data, { intercept: () => new Response(null, { status: 401 }) });
    try {
      const source = createOdsSource(fhirConfig(s.origin), FAST);
      await rejects(
        source.changesSince("2025-01-06", () => true),
        (e: unknown) => e instanceof OdsError && e.kind === "auth" && e.status === 401,
      );
      await rejects(
        source.fetchOne("RVVKC"),
        (e: unknown) => e instanceof OdsError && e.kind === "auth",
      );
      equal(s.hits.length, 2);
    } finally {
      await s.close();
    }
  });

  await t.step("422 too-costly → the same page again with half the _count", async () => {
    const tooCostly = {
      resourceType: "OperationOutcome",
      issue: [{
        severity: "error",
        code: "too-costly",
        diagnostics: "Response exceeds APIM size limit",
      }],
    };
    const s = fhirServer(data, {
      intercept: (url) => Number(url.searchParams.get("_count")) > 2 ? json(tooCostly, 422) : null,
    });
    try {
      const source = createOdsSource(fhirConfig(s.origin, { pageSize: 8 }), FAST);
      const set = await source.changesSince("2025-01-06", (c) => tracked.has(c));
      deepEqual(codes(set.outcomes), ["RVVKC:ok", "RWF01:ok"]);
      deepEqual(s.hits.map((h) => h.params.get("_count")), ["8", "4", "2", "2", "2", "1"]);
      deepEqual(s.hits.map((h) => h.params.get("_offset")), [null, null, null, "2", "4", null]);
    } finally {
      await s.close();
    }
  });

  await t.step("400 with an OperationOutcome → bad_response carrying the diagnostics", async () => {
    const s = fhirServer(data, {
      intercept: () =>
        json({
          resourceType: "OperationOutcome",
          issue: [{
            severity: "error",
            code: "invalid",
            diagnostics: "HAPI-1940: Invalid date/time",
          }],
        }, 400),
    });
    try {
      await rejects(
        createOdsSource(fhirConfig(s.origin), FAST).changesSince("2025-01-06", () => true),
        (e: unknown) =>
          e instanceof OdsError && e.kind === "bad_response" && e.message.includes("HAPI-1940"),
      );
      equal(s.hits.length, 1);
    } finally {
      await s.close();
    }
  });

  await t.step("5xx on every attempt → unavailable", async () => {
    const s = fhirServer(data, { intercept: () => json({}, 502) });
    try {
      await rejects(
        createOdsSource(fhirConfig(s.origin), FAST).changesSince("2025-01-06", () => true),
        (e: unknown) => e instanceof OdsError && e.kind === "unavailable" && e.status === 502,
      );
      equal(s.hits.length, 3);
    } finally {
      await s.close();
    }
  });

  await t.step(
    "a next link pointing back at the same page → bad_response, not a loop",
    async () => {
      const s = fhirServer(data, { nextLink: (next) => next.href.replace(/&?_offset=\d+/, "") });
      try {
        await rejects(
          createOdsSource(fhirConfig(s.origin, { pageSize: 2 })).changesSince(
            "2025-01-06",
            () => true,
          ),
          (e: unknown) =>
            e instanceof OdsError && e.kind === "bad_response" && e.message.includes("loops"),
        );
      } finally {
        await s.close();
      }
    },
  );
});

Deno.test("FHIR source: fetchOne and fetchMany", async (t) => {
  const broken = fhirOrg("BAD", "RO198");
  delete broken.name;
  const data: FhirData = {
    orgs: [fhirOrg("RVVKC", "RO198"), fhirOrg("RVV", "RO197"), fhirOrg("RWF01", "RO198"), broken],
    affs: [fhirAff("1", "RVVKC", "RVV", "RE6"), fhirAff("2", "RWF01", "GONE", "RE6")],
  };

  await t.step("batches codes into one _id OR-list search with _revinclude", async () => {
    const s = fhirServer(data);
    try {
      const source = createOdsSource(fhirConfig(s.origin), FAST);
      const out = await source.fetchMany(["rvvkc", "NOPE", "BAD", "RWF01", "RVVKC"]);
      deepEqual(codes(out), ["RVVKC:ok", "NOPE:not_found", "BAD:invalid", "RWF01:ok", "RVVKC:ok"]);
      const bad = out[2];
      ok(bad.status === "invalid" && bad.reason.includes("name: is missing"));
      const rwf = out[3];
      // GONE is unknown to ODS: its role stays null rather than failing the record.
      ok(rwf.status === "ok" && rwf.record.relationships[0].targetRole === null);
      const rvvkc = out[0];
      ok(rvvkc.status === "ok" && rvvkc.record.relationships[0].targetRole === "RO197");
      equal(s.hits[0].params.get("_id"), "RVVKC,NOPE,BAD,RWF01");
      equal(s.hits[0].params.get("_revinclude"), "OrganizationAffiliation:primary-organization");
      // 1 batch + 1 look-up of the targets (RVV, GONE).
      equal(s.hits.length, 2);
      equal(s.hits[1].params.get("_id"), "RVV,GONE");
    } finally {
      await s.close();
    }
  });

  await t.step("splits large requests into batches of at most min(pageSize, 100)", async () => {
    const s = fhirServer({ orgs: [], affs: [] });
    try {
      const many = Array.from({ length: 7 }, (_, i) => `C${i}`);
      const out = await createOdsSource(fhirConfig(s.origin, { pageSize: 3 }), FAST).fetchMany(
        many,
      );
      equal(out.length, 7);
      ok(out.every((o) => o.status === "not_found"));
      deepEqual(s.hits.map((h) => h.params.get("_id")).sort(), ["C0,C1,C2", "C3,C4,C5", "C6"]);
    } finally {
      await s.close();
    }
  });

  await t.step(
    "a failed batch gives error outcomes; a failed target look-up fails only those records",
    async () => {
      const s = fhirServer(data, {
        // The records' own batch answers; the look-up of their relationship targets fails.
        intercept: (url) =>
          (url.searchParams.get("_id") ?? "").includes("RVVKC") ? null : json({}, 503),
      });
      try {
        const out = await createOdsSource(fhirConfig(s.origin), FAST).fetchMany(["RVVKC", "BAD"]);
        deepEqual(codes(out), ["RVVKC:error", "BAD:invalid"]);
      } finally {
        await s.close();
      }
    },
  );

  await t.step("fetchOne: not_found when the search comes back empty", async () => {
    const s = fhirServer(data);
    try {
      deepEqual(await createOdsSource(fhirConfig(s.origin), FAST).fetchOne("ZZZ"), {
        status: "not_found",
        code: "ZZZ",
      });
    } finally {
      await s.close();
    }
  });

  await t.step("no apikey header when none is configured", async () => {
    const s = fhirServer(data);
    try {
      await createOdsSource(fhirConfig(s.origin, { odtApiKey: null }), FAST).fetchOne("RVV");
      equal(s.hits[0].headers.get("apikey"), null);
    } finally {
      await s.close();
    }
  });
});

Deno.test("countChangedOn: records whose LastChangeDate is exactly that day", async (t) => {
  await t.step("ORD: X-Total-Count of ≥ day minus ≥ day+1, two small searches", async () => {
    const totals: Record<string, string> = { "2025-01-06": "12", "2025-01-07": "5" };
    const s = serve((url) =>
      new Response(JSON.stringify({ Organisations: [] }), {
        headers: { "x-total-count": totals[url.searchParams.get("LastChangeDate") ?? ""] ?? "0" },
      })
    );
    try {
      const source = createOdsSource(config(s.origin), FAST);
      equal(await source.countChangedOn!("2025-01-06"), 7);
      ok(s.hits.every((h) => h.path === "/ORD/2-0-0/organisations"));
      ok(s.hits.every((h) => h.params.get("Limit") === "1"));
      deepEqual(s.hits.map((h) => h.params.get("LastChangeDate")).sort(), [
        "2025-01-06",
        "2025-01-07",
      ]);
    } finally {
      await s.close();
    }
  });

  await t.step("ORD: no X-Total-Count → bad_response", async () => {
    const s = serve(() => json({ Organisations: [] }));
    try {
      await rejects(
        createOdsSource(config(s.origin), FAST).countChangedOn!("2025-01-06"),
        (e: unknown) => e instanceof OdsError && e.kind === "bad_response",
      );
    } finally {
      await s.close();
    }
  });

  await t.step("FHIR: one _summary=count search with a plain (equal) date", async () => {
    const s = serve(() => json({ resourceType: "Bundle", type: "searchset", total: 42 }));
    try {
      equal(await createOdsSource(fhirConfig(s.origin), FAST).countChangedOn!("2025-01-06"), 42);
      equal(s.hits.length, 1);
      equal(s.hits[0].params.get("lastChangeDate"), "2025-01-06");
      equal(s.hits[0].params.get("_summary"), "count");
    } finally {
      await s.close();
    }
  });
});
