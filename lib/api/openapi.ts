/**
 * The OpenAPI 3.1 document of the read API, generated from the route table, the views'
 * filters and the zod response schemas, so it cannot drift from what is served.
 *
 * @module
 */
import type { Hono } from "hono";
import { z } from "zod";
import { CODE_PARAMS } from "./codes.ts";
import type { FilterType } from "./filters.ts";
import { etagMatches, hashText } from "./http.ts";
import { pathParams, type RouteDef } from "./routes.ts";
import { type ComponentName, COMPONENTS } from "./schemas.ts";
import { VIEWS } from "./views.ts";

/** A JSON value of the document. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** An OpenAPI object (kept loose: the document is plain JSON). */
export type JsonObject = { [key: string]: Json };

/** Options of {@linkcode buildOpenApi}. */
export interface OpenApiOptions {
  /** API keys are required: document the security schemes. */
  auth: boolean;
  /** More paths to publish (routes added by other modules), keyed by OpenAPI path. */
  extraPaths?: Readonly<Record<string, JsonObject>>;
}

const ref = (name: ComponentName): JsonObject => ({ $ref: `#/components/schemas/${name}` });

const FILTER_SCHEMAS: Readonly<Record<FilterType, JsonObject>> = {
  string: { type: "string" },
  boolean: { type: "boolean" },
  number: { type: "number" },
  date: { type: "string", format: "date" },
};

const errorResponse = (description: string): JsonObject => ({
  description,
  content: { "application/json": { schema: ref("Error") } },
});

const NOT_MODIFIED: JsonObject = {
  description: "Not modified: the `If-None-Match` ETag is current. No body.",
};

/** The component schemas, as JSON Schema 2020-12 (OpenAPI 3.1's dialect). */
export function componentSchemas(): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: "any",
  });
  const out: JsonObject = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, Json>;
    out[name] = rest;
  }
  return out;
}

function operationId(path: string): string {
  const words = path.replace(/[{}]/g, "").split(/[^A-Za-z0-9]+/).filter(Boolean);
  return ["get", ...words].join("_");
}

function responseSchema(route: RouteDef): JsonObject {
  if (route.mode === "history") return ref("History");
  if (route.mode === "snapshot") return ref("OrganisationSnapshot");
  const item = ref(VIEWS[route.view!].component);
  return route.mode === "list" || route.mode === "siblings" ? { type: "array", items: item } : item;
}

function parameters(route: RouteDef): JsonObject[] {
  const out: JsonObject[] = [];
  for (const name of pathParams(route.path)) {
    const param = CODE_PARAMS[route.entity!];
    out.push({
      name,
      in: "path",
      required: true,
      description: `${param.description} (case-insensitive)`,
      schema: { type: "string", pattern: param.pattern.source },
      example: param.example,
    });
  }
  if (route.mode === "list") {
    for (const [name, type] of Object.entries(VIEWS[route.view!].filters)) {
      out.push({
        name,
        in: "query",
        required: false,
        description: `Exact match on \`${name}\``,
        schema: FILTER_SCHEMAS[type],
      });
    }
  }
  if (route.ordering) {
    out.push({
      name: "ordering",
      in: "query",
      required: false,
      description: "Sort by a field; prefix `-` for descending",
      schema: { type: "string", enum: route.ordering.flatMap((f) => [f, `-${f}`]) },
    });
  }
  if (route.mode === "list" || route.mode === "detail") {
    const fields = Object.keys(COMPONENTS[VIEWS[route.view!].component].shape);
    out.push({
      name: "fields",
      in: "query",
      required: false,
      description: "Comma-separated top-level fields to keep (sparse fieldset). An unknown " +
        `field is a 400. One of: ${fields.join(", ")}`,
      schema: { type: "string" },
      style: "form",
      explode: false,
    });
  }
  if (route.mode === "snapshot") out.push(DATE_PARAMETER);
  else if (route.mode === "history") out.push(HISTORY_AS_OF_PARAMETER);
  else out.push(AS_OF_PARAMETER);
  return out;
}

const DATE_PARAMETER: JsonObject = {
  name: "date",
  in: "query",
  required: false,
  description: "The UK date (YYYY-MM-DD) to answer for; absent or empty: today. A malformed " +
    "date is a 400.",
  schema: { type: "string", format: "date" },
  example: "2024-06-01",
};

const AS_OF_PARAMETER: JsonObject = {
  name: "as_of",
  in: "query",
  required: false,
  description: "NEW. Answer with the state on this UK date, past or (as ODS has published it) " +
    "future: parents from ODS's dated relationships, which organisations existed (not yet " +
    "opened: left out; closed: `active: false`; deleted by a merge: present before its " +
    "deletion). Empty: today. The answer's date is in `X-As-Of`. A malformed date is a 400.",
  schema: { type: "string", format: "date" },
  example: "2024-06-01",
};

const HISTORY_AS_OF_PARAMETER: JsonObject = {
  ...AS_OF_PARAMETER,
  description: "NEW. `record` as it was on this UK date (null when it did not exist then) and " +
    "only the `changes` committed up to that day; `parents` is the whole dated timeline. " +
    "Empty: today. The date is in `X-As-Of`. A malformed date is a 400.",
};

function operation(route: RouteDef, auth: boolean): JsonObject {
  const responses: JsonObject = {
    "200": {
      description: "OK. Carries a strong `ETag`.",
      headers: { ETag: { schema: { type: "string" }, description: "Strong validator" } },
      content: { "application/json": { schema: responseSchema(route) } },
    },
    "304": NOT_MODIFIED,
    "400": errorResponse(
      "Malformed code or `as_of` date, or a filter, `fields` or `ordering` value not allowed",
    ),
  };
  if (route.mode !== "list") responses["404"] = errorResponse("No such code");
  if (auth) responses["401"] = errorResponse("Missing or wrong API key");
  responses["405"] = errorResponse("Only GET (and HEAD) are allowed");
  const op: JsonObject = {
    operationId: operationId(route.path),
    tags: [route.tag],
    summary: route.summary,
    parameters: parameters(route),
    responses,
  };
  if (route.description) op.description = route.description;
  return op;
}

const PUBLIC = { security: [] as Json[] };

function fixedPaths(): Record<string, JsonObject> {
  return {
    "/health/": {
      get: {
        operationId: "get_health",
        tags: ["Service"],
        summary: "Health: KV reachable and last sync state",
        description: "`ok`, or `degraded` when the sync is in alert mode, its last run " +
          "failed, or the last write to the store failed (`write_error` says why); 503 when KV " +
          "cannot be read. `answer_cache`: the prepared answers of queried routes (entries, " +
          "keys, bytes, budget_bytes, hits, misses = answers built, evictions). Needs no API key.",
        ...PUBLIC,
        responses: {
          "200": { description: "Reachable", content: { "application/json": {} } },
          "503": { description: "KV unreachable", content: { "application/json": {} } },
        },
      },
    },
    "/schema/": {
      get: {
        operationId: "get_schema",
        tags: ["Service"],
        summary: "This OpenAPI document",
        ...PUBLIC,
        responses: { "200": { description: "OK", content: { "application/json": {} } } },
      },
    },
    "/docs/": {
      get: {
        operationId: "get_docs",
        tags: ["Service"],
        summary: "Interactive documentation (Swagger UI, served by this service)",
        ...PUBLIC,
        responses: { "200": { description: "OK", content: { "text/html": {} } } },
      },
    },
    "/swagger-ui/": {
      get: {
        operationId: "get_swagger_ui",
        tags: ["Service"],
        summary: "The same interactive documentation, at the original's path",
        ...PUBLIC,
        responses: { "200": { description: "OK", content: { "text/html": {} } } },
      },
    },
    "/": {
      get: {
        operationId: "get_api_root",
        tags: ["Service"],
        summary: "API root: route names to absolute URLs (for `Accept: application/json`)",
        description: "As Django REST framework's DefaultRouter: each list route's name with " +
          "its absolute URL. Served to requests that prefer JSON (`Accept: application/json`, " +
          "`/.json` or `?format=json`); browsers get the status page.",
        responses: {
          "200": {
            description: "OK",
            content: {
              "application/json": {
                schema: { type: "object", additionalProperties: { type: "string" } },
              },
              "text/html": {},
            },
          },
        },
      },
    },
  };
}

const DESCRIPTION = `
A replacement for RCPCH's NHS Organisations API: the same paths, JSON field names and nesting,
natural-key lookups, exact-match filters and unpaginated arrays that NPDA and Epilepsy12 use.

- **Paths** are served with and without a trailing slash, and with Django REST framework's
  \`.json\` suffix (\`/organisations.json\`, \`/organisations/RGT01.json\`) or \`?format=json\`.
  Codes in paths are case-insensitive.
- **Field sets** of the original-shaped routes are exactly the original's, so consumers see what
  they know. Fields this service keeps beyond them (\`source\`, \`updated_at\`,
  \`last_change_date\`, operational/legal dates, successors, predecessors) are served only by the
  NEW \`…/{code}/history/\` routes, with every change ever applied.
- **Boundaries** carry the ONS names and attributes the original served (\`welsh_name\`,
  \`bng_e\`, \`bng_n\`, \`long\`, \`lat\`, \`globalid\`, London borough areas); the shapes are
  not held, so \`geom\` is always null. \`geocode_coordinates\` is the organisation's point in
  EWKT, \`SRID=4326;POINT (longitude latitude)\`.
- **Filters** are exact matches (\`?ods_code=RGT01&active=true\`); a value of the wrong type is
  a 400, unknown parameters are ignored. \`?fields=a,b\` keeps only those fields.
- **As of a date** (NEW): \`?as_of=YYYY-MM-DD\` on every list and detail route answers with
  the state on that date (parents from ODS's dated relationships, which organisations existed),
  named in the \`X-As-Of\` header; see the API documentation for what is exact and what is not.
- **Caching**: every response has a strong \`ETag\` (changes with the data); send
  \`If-None-Match\` to get \`304 Not Modified\`.
- **Errors** are JSON in Django REST framework's shape: \`{"detail": "Not found."}\`, with
  \`error\` naming the error and other keys explaining it.
`.trim();

/**
 * Build the OpenAPI document for `routes`.
 *
 * @example
 * ```ts
 * import { buildOpenApi } from "./openapi.ts";
 * import { ROUTES } from "./routes.ts";
 * const doc = buildOpenApi(ROUTES, { auth: false });
 * if (!Object.keys(doc.paths as object).includes("/organisations/{ods_code}/")) throw new Error();
 * ```
 */
export function buildOpenApi(routes: readonly RouteDef[], options: OpenApiOptions): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) paths[route.path] = { get: operation(route, options.auth) };
  Object.assign(paths, fixedPaths(), options.extraPaths ?? {});
  const tags = [...new Set(routes.map((r) => r.tag)), "Service"].map((name) => ({ name }));
  const components: JsonObject = { schemas: componentSchemas() };
  const doc: JsonObject = {
    openapi: "3.1.0",
    info: {
      title: "RCPCH NHS Organisations",
      version: "1.0.0",
      description: DESCRIPTION,
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/" }],
    tags,
    paths,
    components,
  };
  if (options.auth) {
    components.securitySchemes = {
      subscriptionKey: { type: "apiKey", in: "header", name: "Ocp-Apim-Subscription-Key" },
      bearer: { type: "http", scheme: "bearer" },
    };
    doc.security = [{ subscriptionKey: [] }, { bearer: [] }];
  }
  return doc;
}

/**
 * A path prefix a proxy says it serves us under (`X-Forwarded-Prefix`), if well formed and the
 * proxy is trusted (`TRUST_PROXY=true`); otherwise `""`: any client can send the header.
 *
 * @example
 * ```ts
 * import { forwardedPrefix } from "./openapi.ts";
 * if (forwardedPrefix("/nhs-orgs", true) !== "/nhs-orgs") throw new Error("trusted");
 * if (forwardedPrefix("/nhs-orgs", false) !== "") throw new Error("untrusted");
 * ```
 */
export function forwardedPrefix(header: string | undefined, trusted: boolean): string {
  if (!trusted) return "";
  const prefix = (header ?? "").trim().replace(/\/+$/, "");
  return /^(?:\/[A-Za-z0-9._~-]+){1,8}$/.test(prefix) ? prefix : "";
}

/**
 * Add `GET /schema` (and `/schema/`) to `app`, serving `doc()` (built on first use) with
 * `servers` set to the `X-Forwarded-Prefix` a proxy sends, so "try it out" works behind it.
 */
export function registerSchema(
  app: Hono,
  doc: () => JsonObject,
  options: { trustProxy?: boolean } = {},
): void {
  const bodies = new Map<string, { json: string; etag: string }>();
  app.get("/schema", (c) => {
    const prefix = forwardedPrefix(c.req.header("X-Forwarded-Prefix"), !!options.trustProxy);
    if (options.trustProxy) c.header("Vary", "X-Forwarded-Prefix");
    let body = bodies.get(prefix);
    if (!body) {
      const json = JSON.stringify({ ...doc(), servers: [{ url: prefix || "/" }] });
      body = { json, etag: `"schema.${hashText(json)}"` };
      if (bodies.size < 16) bodies.set(prefix, body);
    }
    c.header("ETag", body.etag);
    if (etagMatches(c.req.header("If-None-Match"), body.etag)) return c.body(null, 304);
    c.header("Content-Type", "application/json");
    return c.body(body.json, 200);
  });
}
