/**
 * The OpenAPI description of the GP practice routes (`./practice_routes.ts`), published in
 * `/schema/` with the others (api.ts adds it unless `SYNC_GP_PRACTICES=false`).
 *
 * @module
 */
import type { JsonObject } from "./openapi.ts";
import { PRACTICE_PATH, PRACTICES_PATH } from "./practice_routes.ts";
import { PRACTICE_FIELDS } from "./practice_view.ts";

const TAGS = ["GP practices"];
const PRACTICE = { $ref: "#/components/schemas/GeneralPractice" };
const ERROR = {
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

const FILTERS: [string, JsonObject, string][] = [
  ["ods_code", { type: "string" }, "ODS code (any case)"],
  [
    "postcode",
    { type: "string" },
    "Postcode; case and spacing don't matter (`cb20qq` = `CB2 0QQ`)",
  ],
  ["name", { type: "string" }, "Part of the name, any case (as ORD's `Name` search)"],
  ["active", { type: "boolean" }, "Open (true) or closed (false) on the date answered"],
  ["integrated_care_board", { type: "string" }, "ICB code (through the commissioner)"],
];

const COMMON: JsonObject[] = [
  {
    name: "fields",
    in: "query",
    required: false,
    description: "Comma-separated top-level fields to keep (sparse fieldset). An unknown field " +
      `is a 400. One of: ${PRACTICE_FIELDS.join(", ")}`,
    schema: { type: "string" },
    style: "form",
    explode: false,
  },
  {
    name: "as_of",
    in: "query",
    required: false,
    description: "The practices on this UK date: not yet opened left out, `active` by their " +
      "dates, commissioner, ICB and network from ODS's dated relationships (a closed practice " +
      "keeps its last day's); names and addresses are today's. Empty: today. In `X-As-Of`.",
    schema: { type: "string", format: "date" },
    example: "2024-06-01",
  },
];

function responses(body: JsonObject, notFound: string): JsonObject {
  return {
    "200": {
      description: "OK. Carries a strong `ETag` and `X-Data-Version` (the GP practices' " +
        "version); a long list is sent gzip-compressed to clients that accept it.",
      content: { "application/json": { schema: body } },
    },
    "304": { description: "Not modified: the `If-None-Match` ETag is current. No body." },
    "400": { description: "A malformed code or date, or a bad filter or `fields` value", ...ERROR },
    "404": { description: notFound, ...ERROR },
    "405": { description: "Only GET (and HEAD) are allowed", ...ERROR },
  };
}

/**
 * The practice routes' path items.
 *
 * @example
 * ```ts
 * import { PRACTICE_PATHS } from "./practice_openapi.ts";
 * if (!("/general_practices/{ods_code}/" in PRACTICE_PATHS)) throw new Error();
 * ```
 */
export const PRACTICE_PATHS: Readonly<Record<string, JsonObject>> = {
  [PRACTICES_PATH]: {
    get: {
      operationId: "get_general_practices",
      tags: TAGS,
      summary: "List GP practices (NEW), England and Wales, active and closed",
      description: "By ODS code. The NPDA patient form's look-up of a patient's practice by " +
        "postcode is `?postcode=CB2 0QQ&active=true` (its first `ods_code`).",
      parameters: [
        ...FILTERS.map(([name, schema, description]) => ({
          name,
          in: "query",
          required: false,
          description,
          schema,
        })),
        ...COMMON,
      ],
      responses: responses(
        { type: "array", items: PRACTICE },
        "GP practices are not served (SYNC_GP_PRACTICES=false)",
      ),
    },
  },
  [PRACTICE_PATH]: {
    get: {
      operationId: "get_general_practice",
      tags: TAGS,
      summary: "One GP practice (NEW)",
      description: "404 when ODS has no GP practice of that code: the audit's check that a " +
        "code is a GP practice code.",
      parameters: [
        {
          name: "ods_code",
          in: "path",
          required: true,
          description: "ODS code of the GP practice (case-insensitive)",
          schema: { type: "string", pattern: "^[A-Z0-9]{3,10}$" },
          example: "G81086",
        },
        ...COMMON,
      ],
      responses: responses(PRACTICE, "No GP practice of that code"),
    },
  },
};
