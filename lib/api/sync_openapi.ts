/**
 * The OpenAPI description of the `/sync/…` routes (lib/api/sync_routes.ts), for the service's
 * `/schema/` (main.ts passes it as `extraPaths`).
 *
 * @module
 */
import type { JsonObject } from "./openapi.ts";

const json = (description: string): JsonObject => ({
  description,
  content: { "application/json": { schema: { type: "object" } } },
});

const list = (description: string): JsonObject => ({
  description,
  content: { "application/json": { schema: { type: "array", items: { type: "object" } } } },
});

const TAGS = ["Sync"];

/**
 * The `/sync/…` operations.
 *
 * @example
 * ```ts
 * import { SYNC_PATHS } from "./sync_openapi.ts";
 * if (!("/sync/run" in SYNC_PATHS) || !("post" in SYNC_PATHS["/sync/run"])) throw new Error();
 * ```
 */
export const SYNC_PATHS: Readonly<Record<string, JsonObject>> = {
  "/sync/status": {
    get: {
      operationId: "get_sync_status",
      tags: TAGS,
      summary: "The sync's cursor, NHS England's defensive algorithm state and the last run",
      responses: { "200": json("The sync summary") },
    },
  },
  "/sync/runs": {
    get: {
      operationId: "list_sync_runs",
      tags: TAGS,
      summary: "Recent sync runs, newest first",
      parameters: [{
        name: "limit",
        in: "query",
        schema: { type: "integer", minimum: 1, maximum: 1000, default: 50 },
      }],
      responses: { "200": list("Run records"), "400": json("A bad limit") },
    },
  },
  "/sync/runs/{id}": {
    get: {
      operationId: "get_sync_run",
      tags: TAGS,
      summary: "One run with its field-level changes",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": json("The run and its changes"), "404": json("No such run") },
    },
  },
  "/sync/review": {
    get: {
      operationId: "list_sync_review",
      tags: TAGS,
      summary: "The review list: what the sync saw that a maintainer should act on",
      parameters: [{
        name: "status",
        in: "query",
        schema: { type: "string", enum: ["open", "done"] },
      }],
      responses: { "200": list("Review items"), "400": json("A bad status") },
    },
  },
  "/sync/run": {
    post: {
      operationId: "start_sync_run",
      tags: TAGS,
      summary: "Start a sync run now (needs the admin token as Authorization: Bearer)",
      description: "Needs `ADMIN_TOKEN` (an API key doesn't open it). `?wait=true` waits for " +
        "the run and returns its record; `?full=true` re-baselines.",
      security: [],
      parameters: [
        { name: "wait", in: "query", schema: { type: "boolean" } },
        { name: "full", in: "query", schema: { type: "boolean" } },
      ],
      responses: {
        "202": json("Started"),
        "200": json("The finished run (with wait=true)"),
        "401": json("No or a wrong admin token"),
        "403": json("No admin token is configured"),
        "409": json("Another run holds the lease"),
      },
    },
  },
};
