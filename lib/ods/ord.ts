/**
 * Parsing of ORD 2-0-0 bodies (`/organisations/{code}` and `/sync`) into the domain shape.
 *
 * Pure functions; they never throw on bad input. The record schema is defensive about the shapes
 * seen in the wild: one-element lists as bare objects, `uniqueRoleId` as a string, optional
 * `Rels`/`Succs`/`Contacts`/`GeoLoc`, missing address lines, `"End": null`, UPRN as a number.
 *
 * @module
 */

import { z } from "zod";
import { isIsoDate } from "../dates.ts";
import {
  isOdsCode,
  normalizeCode,
  type OdsRecord,
  type OdsRelationship,
  type OdsRole,
  type OdsSuccession,
  type Period,
} from "./record.ts";

/** A parsed record, or why it is invalid (human-readable). */
export type ParseResult = { ok: true; record: OdsRecord } | { ok: false; reason: string };

/** The codes listed by `/sync`, or why the body is unusable. */
export type SyncParseResult = { ok: true; codes: string[] } | { ok: false; reason: string };

/**
 * Turn zod issues into one readable sentence, e.g.
 * `Organisation.Roles.Role[0].Date[0].Start: expected a YYYY-MM-DD date, got "1999/04/01"`.
 */
export function describeIssues(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, key) =>
        typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
      "",
    );
    const input = (issue as { input?: unknown }).input;
    let message = issue.message;
    if (issue.code === "invalid_type" && input === undefined) message = "is missing";
    else if (issue.code === "invalid_type") {
      message = `expected ${issue.expected}, got ${describeValue(input)}`;
    }
    return path ? `${path}: ${message}` : message;
  });
  const more = error.issues.length > max ? ` (and ${error.issues.length - max} more)` : "";
  return parts.join("; ") + more;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** A list that may arrive as a bare object (or be absent/null → empty). */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]),
    z.array(item),
  );

const isoDate = z.string().refine(isIsoDate, {
  error: (issue) => `expected a YYYY-MM-DD date, got ${describeValue(issue.input)}`,
});

/** A string read case-insensitively (and trimmed) as one of `values`' keys, mapped to its value. */
function oneOf<T>(values: Readonly<Record<string, T>>) {
  const expected = Object.keys(values).map((k) => JSON.stringify(k)).join(" or ");
  const byKey = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return z.string().transform((value, ctx) => {
    const hit = byKey.get(value.trim().toLowerCase());
    if (hit !== undefined) return hit;
    ctx.addIssue({
      code: "custom",
      message: `expected ${expected}, got ${describeValue(value)}`,
      input: value,
    });
    return z.NEVER;
  });
}

/** `"Active"`/`"Inactive"`, any case → boolean. */
const status = oneOf({ Active: true, Inactive: false });

/** Booleans sometimes arrive as the strings `"true"`/`"false"`. */
const flag = z.preprocess(
  (v) => (v === "true" ? true : v === "false" ? false : v),
  z.boolean().optional(),
);

/** Free text: trimmed; empty → null. */
const text = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? null : v.trim()) : v),
  z.string().nullish(),
);

const odsCode = z.string().transform((value, ctx) => {
  const code = normalizeCode(value);
  if (!isOdsCode(code)) {
    ctx.addIssue({
      code: "custom",
      message: `expected an ODS code, got ${describeValue(value)}`,
      input: value,
    });
    return z.NEVER;
  }
  return code;
});

/** `OrgId` is an object in full records but a bare string in search summaries. */
const orgId = z.preprocess(
  (v) => (typeof v === "string" ? { extension: v } : v),
  z.object({ extension: odsCode }),
);

const DateEntry = z.object({
  Type: z.string(),
  Start: isoDate.nullish(),
  End: isoDate.nullish(),
});
type DateEntry = z.output<typeof DateEntry>;

const Target = z.object({
  OrgId: orgId,
  PrimaryRoleId: z.object({ id: text }).nullish(),
});

const Role = z.object({
  id: odsRoleCode(),
  primaryRole: flag,
  Date: list(DateEntry),
  Status: status.optional(),
});

const Rel = z.object({
  id: odsRoleCode(),
  Status: status.optional(),
  Date: list(DateEntry),
  Target,
});

const Succ = z.object({
  Type: z.string().transform((value, ctx) => {
    const v = value.trim().toLowerCase();
    if (v === "predecessor") return "Predecessor" as const;
    if (v === "successor") return "Successor" as const;
    ctx.addIssue({
      code: "custom",
      message: `expected "Predecessor" or "Successor", got ${describeValue(value)}`,
      input: value,
    });
    return z.NEVER;
  }),
  Date: list(DateEntry),
  Target,
});

const Location = z.object({
  AddrLn1: text,
  AddrLn2: text,
  AddrLn3: text,
  Town: text,
  County: text,
  PostCode: text,
  Country: text,
  UPRN: z.preprocess(
    (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v),
    text,
  ),
});

const Contact = z.object({ type: z.string(), value: text });

const recordClass = oneOf({ RC1: "RC1", RC2: "RC2" } as const);

const Organisation = z.preprocess(
  // Summaries capitalise the record class; accept either spelling.
  (v) =>
    v !== null && typeof v === "object" && !("orgRecordClass" in v) && "OrgRecordClass" in v
      ? { ...v, orgRecordClass: (v as Record<string, unknown>).OrgRecordClass }
      : v,
  z.object({
    Name: z.string().trim().min(1, { error: "is empty" }),
    Date: list(DateEntry),
    OrgId: orgId,
    Status: status,
    LastChangeDate: isoDate,
    orgRecordClass: recordClass,
    refOnly: flag,
    GeoLoc: z.object({ Location: Location.nullish() }).nullish(),
    Contacts: z.object({ Contact: list(Contact) }).nullish(),
    Roles: z.object({ Role: list(Role) }),
    Rels: z.object({ Rel: list(Rel) }).nullish(),
    Succs: z.object({ Succ: list(Succ) }).nullish(),
  }),
);

const Body = z.object({ Organisation });

function odsRoleCode() {
  return z.string().transform((value, ctx) => {
    const v = value.trim().toUpperCase();
    if (v === "") {
      ctx.addIssue({ code: "custom", message: "is empty", input: value });
      return z.NEVER;
    }
    return v;
  });
}

function period(dates: readonly DateEntry[], type: "operational" | "legal"): Period {
  const d = dates.find((x) => x.Type.trim().toLowerCase() === type);
  return { start: d?.Start ?? null, end: d?.End ?? null };
}

function errorBody(body: unknown): string | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
  const o = body as Record<string, unknown>;
  if (!("errorCode" in o) && !("errorText" in o)) return null;
  return `ODS returned an error: ${String(o.errorCode ?? "?")} ${String(o.errorText ?? "")}`
    .trim();
}

function decode(body: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (typeof body !== "string") return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false, reason: "body is not valid JSON" };
  }
}

/** A list answer's body as a JSON object: not an ODS error body, nor another JSON value. */
function jsonObject(
  body: unknown,
): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  const decoded = decode(body);
  if (!decoded.ok) return decoded;
  const value = decoded.value;
  const err = errorBody(value);
  if (err) return { ok: false, reason: err };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: `expected a JSON object, got ${describeValue(value)}` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * Parse a full ORD record body `{"Organisation":{…}}` (already-parsed JSON, or its text).
 *
 * Invalid (with a reason) when: the shape is wrong, `Name`/`OrgId`/`LastChangeDate`/`Status`/
 * `orgRecordClass`/`Roles` is missing, a date is not `YYYY-MM-DD`, or the record does not have
 * exactly one primary role.
 *
 * @example
 * ```ts
 * import { parseOrdOrganisation } from "./ord.ts";
 *
 * const r = parseOrdOrganisation({
 *   Organisation: {
 *     Name: "ADDENBROOKE'S HOSPITAL",
 *     OrgId: { extension: "RGT01" },
 *     Status: "Active",
 *     LastChangeDate: "2024-06-03",
 *     orgRecordClass: "RC2",
 *     Roles: { Role: [{ id: "RO198", primaryRole: true, Date: [] }] },
 *   },
 * });
 * r.ok && r.record.primaryRole; // "RO198"
 * ```
 */
export function parseOrdOrganisation(body: unknown): ParseResult {
  const decoded = decode(body);
  if (!decoded.ok) return decoded;
  const value = decoded.value;
  const err = errorBody(value);
  if (err) return { ok: false, reason: err };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: `expected a JSON object, got ${describeValue(value)}` };
  }
  const parsed = Body.safeParse(value, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const o = parsed.data.Organisation;
  const roles = readRoles(o.Roles.Role);
  const primary = onePrimary(roles);
  if (!primary.ok) return primary;
  const contact = (type: string): string | null =>
    o.Contacts?.Contact.find((c) => c.type.trim().toLowerCase() === type && c.value)?.value ??
      null;
  return {
    ok: true,
    record: {
      code: o.OrgId.extension,
      name: o.Name,
      active: o.Status,
      lastChangeDate: o.LastChangeDate,
      recordClass: o.orgRecordClass,
      refOnly: o.refOnly === true,
      primaryRole: primary.role,
      roles,
      operational: period(o.Date, "operational"),
      legal: period(o.Date, "legal"),
      address: readAddress(o.GeoLoc?.Location),
      telephone: contact("tel"),
      website: contact("http"),
      email: contact("email"),
      relationships: readRels(o.Rels?.Rel ?? []),
      successions: readSuccs(o.Succs?.Succ ?? []),
    },
  };
}

type OrgBody = z.output<typeof Organisation>;

function readRoles(list: OrgBody["Roles"]["Role"]): OdsRole[] {
  return list.map((r) => {
    const operational = period(r.Date, "operational");
    return {
      id: r.id,
      primary: r.primaryRole === true,
      active: r.Status ?? operational.end === null,
      operational,
      legal: period(r.Date, "legal"),
    };
  });
}

/** The one primary role, or why there isn't exactly one. */
function onePrimary(roles: readonly OdsRole[]):
  | { ok: true; role: string }
  | { ok: false; reason: string } {
  const primaries = roles.filter((r) => r.primary);
  if (primaries.length === 1) return { ok: true, role: primaries[0].id };
  return {
    ok: false,
    reason: primaries.length === 0
      ? `no primary role among ${roles.map((r) => r.id).join(", ") || "no roles"}`
      : `${primaries.length} primary roles (${primaries.map((r) => r.id).join(", ")}); ` +
        "expected exactly one",
  };
}

function readRels(list: NonNullable<OrgBody["Rels"]>["Rel"]): OdsRelationship[] {
  return list.map((r) => {
    const operational = period(r.Date, "operational");
    return {
      id: r.id,
      target: r.Target.OrgId.extension,
      targetRole: r.Target.PrimaryRoleId?.id?.toUpperCase() ?? null,
      active: r.Status ?? operational.end === null,
      operational,
      legal: period(r.Date, "legal"),
    };
  });
}

function readSuccs(list: NonNullable<OrgBody["Succs"]>["Succ"]): OdsSuccession[] {
  return list.map((s) => ({
    type: s.Type,
    target: s.Target.OrgId.extension,
    targetRole: s.Target.PrimaryRoleId?.id?.toUpperCase() ?? null,
    date: period(s.Date, "legal").start ?? s.Date.find((d) => d.Start)?.Start ?? null,
  }));
}

function readAddress(loc: z.output<typeof Location> | null | undefined): OdsRecord["address"] {
  return {
    line1: loc?.AddrLn1 ?? null,
    line2: loc?.AddrLn2 ?? null,
    line3: loc?.AddrLn3 ?? null,
    town: loc?.Town ?? null,
    county: loc?.County ?? null,
    postcode: loc?.PostCode ?? null,
    country: loc?.Country ?? null,
    uprn: loc?.UPRN ?? null,
  };
}

/**
 * The ODS code at the end of an `OrgLink` (query and fragment stripped, upper-cased), or `null`
 * when the link does not end in a plausible code.
 *
 * @example
 * ```ts
 * import { codeFromOrgLink } from "./ord.ts";
 *
 * codeFromOrgLink("https://x/ORD/2-0-0/organisations/rvvkc?_format=xml"); // "RVVKC"
 * ```
 */
export function codeFromOrgLink(link: string): string | null {
  const path = link.trim().split(/[?#]/, 1)[0];
  const last = path.slice(path.lastIndexOf("/") + 1);
  let code: string;
  try {
    code = normalizeCode(decodeURIComponent(last));
  } catch {
    return null;
  }
  return isOdsCode(code) ? code : null;
}

/**
 * Parse a `/sync` body: `{"Organisations":[{"OrgLink":…}]}` or `{}` (no changes) → codes,
 * de-duplicated in first-seen order. HTML, truncated JSON, `{errorCode,errorText}`, or any item
 * without a usable `OrgLink` is an error (fail closed: a dropped link would be a missed change).
 *
 * @example
 * ```ts
 * import { parseOrdSync } from "./ord.ts";
 *
 * parseOrdSync({ Organisations: [{ OrgLink: "https://x/organisations/RR8" }] });
 * // { ok: true, codes: ["RR8"] }
 * ```
 */
export function parseOrdSync(body: unknown): SyncParseResult {
  const decoded = jsonObject(body);
  if (!decoded.ok) return decoded;
  const o = decoded.value;
  const keys = Object.keys(o);
  if (keys.length > 0 && !("Organisations" in o)) {
    return { ok: false, reason: `unexpected sync body with keys ${keys.slice(0, 5).join(", ")}` };
  }
  const raw = o.Organisations;
  const items = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const link = item !== null && typeof item === "object"
      ? (item as Record<string, unknown>).OrgLink
      : undefined;
    if (typeof link !== "string") {
      return { ok: false, reason: `Organisations[${i}].OrgLink is missing or not a string` };
    }
    const code = codeFromOrgLink(link);
    if (code === null) {
      return {
        ok: false,
        reason: `Organisations[${i}].OrgLink does not end in an ODS code: ${
          JSON.stringify(link.slice(0, 120))
        }`,
      };
    }
    seen.add(code);
  }
  return { ok: true, codes: [...seen] };
}

/** A record ODS has deleted: its code and the date of the deletion (`null` when not given). */
export interface DeletedRecord {
  code: string;
  date: string | null;
}

/**
 * Parse ORD `/notifications` (deletions of the last 185 days:
 * `{"DeletedOrganisations":[{"OrgID":…,"time":"2023-09-01 00:00:00"}]}`) into codes and dates. Fails closed: an item without a usable
 * code, or a body of another shape, is an error (a dropped item would be a missed deletion).
 *
 * @example
 * ```ts
 * import { parseOrdNotifications } from "./ord.ts";
 *
 * parseOrdNotifications({
 *   DeletedOrganisations: [{ OrgID: "I8M8X", PrimaryRoleId: "RO96", time: "2023-09-01 00:00:00" }],
 * });
 * // { ok: true, deleted: [{ code: "I8M8X", date: "2023-09-01" }] }
 * ```
 */
export function parseOrdNotifications(
  body: unknown,
): { ok: true; deleted: DeletedRecord[] } | { ok: false; reason: string } {
  const decoded = jsonObject(body);
  if (!decoded.ok) return decoded;
  const o = decoded.value;
  if (Object.keys(o).length > 0 && !("DeletedOrganisations" in o)) {
    return { ok: false, reason: "no DeletedOrganisations in the notifications body" };
  }
  const raw = o.DeletedOrganisations;
  const items = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const deleted: DeletedRecord[] = [];
  for (const [i, item] of items.entries()) {
    const fields = item !== null && typeof item === "object" ? item as Record<string, unknown> : {};
    const id = fields.OrgID ?? fields.OrgId;
    const code = typeof id === "string" ? normalizeCode(id) : "";
    if (!isOdsCode(code)) {
      return { ok: false, reason: `DeletedOrganisations[${i}].OrgID is not an ODS code` };
    }
    const day = typeof fields.time === "string" ? fields.time.trim().slice(0, 10) : "";
    deleted.push({ code, date: isIsoDate(day) ? day : null });
  }
  return { ok: true, deleted };
}
