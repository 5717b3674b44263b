/**
 * Parsing of FHIR R4 Organisation Data Terminology API resources into the domain shape:
 * `Organization` (+ its `OrganizationAffiliation`s), searchset `Bundle`s and `OperationOutcome`s.
 *
 * What the API does not carry, and how this module copes:
 * - **Primary role.** Primary-ness is a property of the role code in the `ODSOrganisationRole`
 *   CodeSystem, not flagged on the resource. {@linkcode pickPrimaryRole} uses a table of primary
 *   role codes ({@linkcode PRIMARY_ROLE_CODES}, from ORD `/roles`), overridable by the caller.
 * - **Target role of a relationship.** An `OrganizationAffiliation` names the target
 *   (`participatingOrganization`) but not its role; callers pass `targetRole(code)` (the source
 *   resolves it from the target's own `Organization` resource).
 * - **Successions** live only in the `ods-organization-code` CodeSystem (`$lookup`, see
 *   {@linkcode parseFhirSuccessions}), never on `Organization`; records parsed here have
 *   `successions: []` and `successionsKnown: false`.
 * - **County**: the FHIR address has none (only a `district`, when given); without one the
 *   record says `absent: ["county"]`, so the stored county is kept.
 *
 * Pure functions; they never throw on bad input.
 *
 * @module
 */

import { z } from "zod";
import {
  isOdsCode,
  normalizeCode,
  type OdsRecord,
  type OdsRelationship,
  type OdsRole,
  type OdsSuccession,
  type Period,
} from "./record.ts";
import { isIsoDate } from "../dates.ts";
import { describeIssues, type ParseResult } from "./ord.ts";

/** Identifier system of ODS codes. */
export const ODS_CODE_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";

/**
 * Role codes whose `primaryRole` is true in the ODS role reference data (ORD `/roles`, the
 * FHIR `ODSOrganisationRole` CodeSystem). Every ODS record has exactly one of these.
 */
// deno-fmt-ignore
export const PRIMARY_ROLE_CODES: ReadonlySet<string> = new Set([
  "RO92", "RO93", "RO94", "RO96", "RO98", "RO99", "RO101", "RO102", "RO103", "RO104", "RO105",
  "RO106", "RO107", "RO108", "RO109", "RO110", "RO111", "RO114", "RO116", "RO117", "RO119",
  "RO122", "RO123", "RO126", "RO128", "RO131", "RO132", "RO134", "RO136", "RO137", "RO138",
  "RO140", "RO141", "RO142", "RO144", "RO146", "RO147", "RO148", "RO149", "RO150", "RO153",
  "RO154", "RO155", "RO157", "RO158", "RO159", "RO161", "RO162", "RO166", "RO167", "RO168",
  "RO171", "RO172", "RO173", "RO175", "RO176", "RO177", "RO179", "RO180", "RO181", "RO182",
  "RO185", "RO189", "RO190", "RO191", "RO197", "RO198", "RO200", "RO209", "RO210", "RO212",
  "RO213", "RO214", "RO216", "RO217", "RO221", "RO222", "RO227", "RO228", "RO230", "RO231",
  "RO232", "RO233", "RO234", "RO235", "RO236", "RO261", "RO272", "RO280", "RO315", "RO89",
  "RO90", "RO91",
]);

/** Role codes known to be non-primary (e.g. RO318 ICB, RO319 sub-ICB, RO76 GP, RO57 FT). */
// deno-fmt-ignore
export const NON_PRIMARY_ROLE_CODES: ReadonlySet<string> = new Set([
  "RO7", "RO11", "RO12", "RO15", "RO21", "RO22", "RO24", "RO25", "RO29", "RO30", "RO31", "RO33",
  "RO34", "RO35", "RO36", "RO37", "RO38", "RO39", "RO40", "RO57", "RO65", "RO67", "RO69", "RO71",
  "RO72", "RO76", "RO80", "RO82", "RO83", "RO87", "RO211", "RO215", "RO218", "RO220", "RO223",
  "RO229", "RO246", "RO247", "RO249", "RO250", "RO251", "RO252", "RO255", "RO256", "RO257",
  "RO258", "RO259", "RO260", "RO262", "RO266", "RO267", "RO268", "RO269", "RO270", "RO273",
  "RO274", "RO275", "RO276", "RO277", "RO279", "RO281", "RO282", "RO283", "RO284", "RO285",
  "RO286", "RO287", "RO288", "RO289", "RO290", "RO291", "RO292", "RO293", "RO294", "RO296",
  "RO297", "RO298", "RO299", "RO300", "RO301", "RO302", "RO303", "RO304", "RO305", "RO306",
  "RO307", "RO308", "RO309", "RO310", "RO311", "RO312", "RO313", "RO314", "RO316", "RO317",
  "RO318", "RO319",
]);

/** Options for {@linkcode parseFhirOrganization}. */
export interface FhirParseOptions {
  /** Primary role of a relationship target; `null`/`undefined` when unknown. */
  targetRole?: (code: string) => string | null | undefined;
  /**
   * Whether a role code is primary (e.g. from the `ODSOrganisationRole` CodeSystem);
   * `undefined` falls back to the built-in tables.
   */
  isPrimaryRole?: (roleCode: string) => boolean | undefined;
}

// ---------------------------------------------------------------------------------------------
// Schemas (loose: unknown keys are ignored)

const Coding = z.object({
  system: z.string().nullish(),
  code: z.string().nullish(),
  display: z.string().nullish(),
});
const CodeableConcept = z.object({ coding: z.array(Coding).nullish(), text: z.string().nullish() });
const FhirPeriod = z.object({ start: z.string().nullish(), end: z.string().nullish() });
const Identifier = z.object({ system: z.string().nullish(), value: z.string().nullish() });
const Reference = z.object({ reference: z.string().nullish(), identifier: Identifier.nullish() });

interface Extension {
  url: string;
  extension?: Extension[] | null;
  valueInteger?: number | null;
  valueBoolean?: boolean | null;
  valueString?: string | null;
  valueDateTime?: string | null;
  valueCoding?: z.output<typeof Coding> | null;
  valueCodeableConcept?: z.output<typeof CodeableConcept> | null;
  valuePeriod?: z.output<typeof FhirPeriod> | null;
}
const Extension: z.ZodType<Extension> = z.lazy(() =>
  z.object({
    url: z.string(),
    extension: z.array(Extension).nullish(),
    valueInteger: z.number().nullish(),
    valueBoolean: z.boolean().nullish(),
    valueString: z.string().nullish(),
    valueDateTime: z.string().nullish(),
    valueCoding: Coding.nullish(),
    valueCodeableConcept: CodeableConcept.nullish(),
    valuePeriod: FhirPeriod.nullish(),
  })
);

const Organization = z.object({
  resourceType: z.literal("Organization"),
  id: z.string().nullish(),
  identifier: z.array(Identifier).nullish(),
  active: z.boolean(),
  name: z.string().trim().min(1, { error: "is empty" }),
  type: z.array(CodeableConcept).nullish(),
  telecom: z.array(z.object({ system: z.string().nullish(), value: z.string().nullish() }))
    .nullish(),
  address: z.array(z.object({
    line: z.array(z.string()).nullish(),
    city: z.string().nullish(),
    district: z.string().nullish(),
    postalCode: z.string().nullish(),
    country: z.string().nullish(),
    extension: z.array(Extension).nullish(),
  })).nullish(),
  extension: z.array(Extension).nullish(),
});

const Affiliation = z.object({
  resourceType: z.literal("OrganizationAffiliation"),
  id: z.string().nullish(),
  active: z.boolean().nullish(),
  period: FhirPeriod.nullish(),
  organization: Reference,
  participatingOrganization: Reference,
  code: z.array(CodeableConcept).min(1, { error: "is empty" }),
  extension: z.array(Extension).nullish(),
});

const Bundle = z.object({
  resourceType: z.literal("Bundle"),
  type: z.string().nullish(),
  total: z.number().int().nonnegative().nullish(),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).nullish(),
  entry: z.array(z.object({
    fullUrl: z.string().nullish(),
    resource: z.unknown(),
    search: z.object({ mode: z.string().nullish() }).nullish(),
  })).nullish(),
});

const Outcome = z.object({
  resourceType: z.literal("OperationOutcome"),
  issue: z.array(z.object({
    severity: z.string().nullish(),
    code: z.string().nullish(),
    diagnostics: z.string().nullish(),
    details: z.object({ text: z.string().nullish() }).nullish(),
  })).nullish(),
});

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Does an extension/system URL end with `name` (as its last path segment)? */
function named(url: string | null | undefined, name: string): boolean {
  if (!url) return false;
  return url === name || url.endsWith(`/${name}`);
}

function sub(ext: Extension, url: string): Extension | undefined {
  return ext.extension?.find((e) => e.url === url);
}

function firstCode(concept: z.output<typeof CodeableConcept> | null | undefined, system?: string) {
  const codings = concept?.coding ?? [];
  const c = system ? codings.find((x) => named(x.system, system)) : codings[0];
  return c?.code?.trim() || null;
}

/** `YYYY-MM-DD` from a FHIR date/dateTime, `null` when absent; `undefined` when malformed. */
function day(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined || value.trim() === "") return null;
  const d = value.trim().slice(0, 10);
  if (!isIsoDate(d) || (value.trim().length > 10 && value.trim()[10] !== "T")) return undefined;
  return d;
}

class Invalid extends Error {}

function mustDay(value: string | null | undefined, where: string): string | null {
  const d = day(value);
  if (d === undefined) throw new Invalid(`${where}: expected a date, got ${JSON.stringify(value)}`);
  return d;
}

function fhirPeriod(p: z.output<typeof FhirPeriod> | null | undefined, where: string): Period {
  return { start: mustDay(p?.start, `${where}.start`), end: mustDay(p?.end, `${where}.end`) };
}

/** Operational/Legal periods from `Extension-England-TypedPeriod` children of `exts`. */
function typedPeriods(exts: readonly Extension[] | null | undefined, where: string) {
  const out: { operational?: Period; legal?: Period } = {};
  for (const e of exts ?? []) {
    if (!named(e.url, "Extension-England-TypedPeriod")) continue;
    const type = sub(e, "dateType")?.valueCoding?.code?.trim().toLowerCase();
    const p = fhirPeriod(sub(e, "period")?.valuePeriod, `${where}.TypedPeriod(${type})`);
    if (type === "operational" && !out.operational) out.operational = p;
    if (type === "legal" && !out.legal) out.legal = p;
  }
  return out;
}

const NO_PERIOD: Period = { start: null, end: null };

function refCode(ref: z.output<typeof Reference>): string | null {
  const id = ref.identifier;
  if (id?.value && (!id.system || id.system === ODS_CODE_SYSTEM)) {
    return normalizeCode(id.value) || null;
  }
  const m = /(?:^|\/)Organization\/([^/?#]+)/.exec(ref.reference ?? "");
  return m ? normalizeCode(decodeURIComponent(m[1])) || null : null;
}

function asObject(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? v as Record<string, unknown>
    : null;
}

// ---------------------------------------------------------------------------------------------
// Roles

/** One role instance as read from an `Extension-England-OrganisationRole`. */
export interface FhirRole extends OdsRole {
  legal: Period;
  /** An explicit `primaryRole` flag, if the resource ever carries one. */
  flagged: boolean | null;
}

function readRoles(exts: readonly Extension[] | null | undefined): FhirRole[] {
  const roles: FhirRole[] = [];
  for (const [i, e] of (exts ?? []).entries()) {
    if (!named(e.url, "Extension-England-OrganisationRole")) continue;
    const id = firstCode(sub(e, "roleCode")?.valueCodeableConcept)?.toUpperCase();
    if (!id) throw new Invalid(`extension[${i}] (OrganisationRole): roleCode is missing`);
    const periods = typedPeriods(e.extension, `role ${id}`);
    const operational = periods.operational ?? NO_PERIOD;
    const activeFlag = sub(e, "active")?.valueBoolean;
    const primaryFlag = sub(e, "primaryRole")?.valueBoolean;
    roles.push({
      id,
      primary: false,
      active: typeof activeFlag === "boolean" ? activeFlag : operational.end === null,
      operational,
      legal: periods.legal ?? NO_PERIOD,
      flagged: typeof primaryFlag === "boolean" ? primaryFlag : null,
    });
  }
  return roles;
}

/**
 * Choose the primary role among `roles`:
 * 1. roles explicitly flagged `primaryRole` (if the resource carries the flag);
 * 2. else roles that `isPrimaryRole` or {@linkcode PRIMARY_ROLE_CODES} says are primary;
 * 3. else, if no known primary code is present, the one role code not known to be non-primary.
 *
 * Several distinct candidate codes are narrowed to the active ones; anything but exactly one
 * code left is an error (the string says why). Repeated instances of one code count once.
 *
 * @example
 * ```ts
 * import { pickPrimaryRole } from "./fhir.ts";
 *
 * pickPrimaryRole([{ id: "RO57", active: true }, { id: "RO197", active: true }]);
 * // { ok: true, role: "RO197" }
 * ```
 */
export function pickPrimaryRole(
  roles: readonly { id: string; active: boolean; flagged?: boolean | null }[],
  isPrimaryRole?: (roleCode: string) => boolean | undefined,
): { ok: true; role: string } | { ok: false; reason: string } {
  if (roles.length === 0) return { ok: false, reason: "no roles" };
  const isPrimary = (id: string) => isPrimaryRole?.(id) ?? PRIMARY_ROLE_CODES.has(id);
  const isNonPrimary = (id: string) =>
    isPrimaryRole?.(id) === false || NON_PRIMARY_ROLE_CODES.has(id);
  const distinct = (list: readonly { id: string }[]) => [...new Set(list.map((r) => r.id))];

  let candidates = roles.filter((r) => r.flagged === true);
  if (candidates.length === 0) candidates = roles.filter((r) => isPrimary(r.id));
  if (candidates.length === 0) candidates = roles.filter((r) => !isNonPrimary(r.id));
  let codes = distinct(candidates);
  if (codes.length > 1) {
    const active = distinct(candidates.filter((r) => r.active));
    if (active.length === 1) codes = active;
  }
  if (codes.length === 1) return { ok: true, role: codes[0] };
  const all = distinct(roles).join(", ");
  return {
    ok: false,
    reason: codes.length === 0
      ? `no primary role among ${all}`
      : `cannot tell the primary role: ${codes.join(", ")} all look primary`,
  };
}

// ---------------------------------------------------------------------------------------------
// Organization

/**
 * The ODS code of an `Organization` resource (official identifier, else `id`), upper-cased;
 * `null` when it has none.
 */
export function fhirOrganizationCode(resource: unknown): string | null {
  const o = asObject(resource);
  if (!o) return null;
  const ids = Array.isArray(o.identifier) ? o.identifier : [];
  for (const raw of ids) {
    const id = asObject(raw);
    if (id?.system === ODS_CODE_SYSTEM && typeof id.value === "string" && id.value.trim()) {
      return normalizeCode(id.value);
    }
  }
  return typeof o.id === "string" && o.id.trim() ? normalizeCode(o.id) : null;
}

/** The primary role of an `Organization` resource, or `null` if it can't be told. */
export function fhirPrimaryRole(
  resource: unknown,
  isPrimaryRole?: (roleCode: string) => boolean | undefined,
): string | null {
  const exts = z.array(Extension).safeParse(asObject(resource)?.extension ?? []);
  if (!exts.success) return null;
  try {
    const picked = pickPrimaryRole(readRoles(exts.data), isPrimaryRole);
    return picked.ok ? picked.role : null;
  } catch {
    return null;
  }
}

/** The source (`organization`) ODS code of an `OrganizationAffiliation`, or `null`. */
export function affiliationSource(resource: unknown): string | null {
  const o = asObject(resource);
  const ref = Reference.safeParse(o?.organization);
  return ref.success ? refCode(ref.data) : null;
}

function readAffiliation(
  raw: unknown,
  index: number,
  targetRole: FhirParseOptions["targetRole"],
): OdsRelationship {
  const parsed = Affiliation.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    throw new Invalid(`OrganizationAffiliation[${index}]: ${describeIssues(parsed.error)}`);
  }
  const a = parsed.data;
  const where = `OrganizationAffiliation ${a.id ?? `[${index}]`}`;
  const target = refCode(a.participatingOrganization);
  if (!target) throw new Invalid(`${where}: participatingOrganization has no ODS code`);
  const id = (firstCode(a.code[0], "ODSRelationship") ?? firstCode(a.code[0]))?.toUpperCase();
  if (!id) throw new Invalid(`${where}: code is missing`);
  const periods = typedPeriods(a.extension, where);
  const operational = periods.operational ?? fhirPeriod(a.period, `${where}.period`);
  return {
    id,
    target,
    targetRole: targetRole?.(target) ?? null,
    active: typeof a.active === "boolean" ? a.active : operational.end === null,
    operational,
    legal: periods.legal ?? NO_PERIOD,
  };
}

/**
 * Parse an `Organization` resource and the `OrganizationAffiliation`s it is the source of
 * (others are ignored) into an `OdsRecord`.
 *
 * Invalid (with a reason) when: not an Organization, no ODS code, `name`/`active`/the
 * LastChangeDate extension/the record class is missing, a date is malformed, the primary role
 * can't be told, or one of its affiliations is malformed.
 *
 * The organisation's own operational/legal periods come from top-level TypedPeriod extensions
 * when present, else from its primary role (the API puts dates on role extensions).
 *
 * @example
 * ```ts
 * import { parseFhirOrganization } from "./fhir.ts";
 *
 * const roles = new Map([["RGT", "RO197"]]);
 * const r = parseFhirOrganization({ resourceType: "Organization" }, [], {
 *   targetRole: (code) => roles.get(code),
 * });
 * r.ok; // false: no name, no active flag, no LastChangeDate
 * ```
 */
export function parseFhirOrganization(
  resource: unknown,
  affiliations: readonly unknown[] = [],
  options: FhirParseOptions = {},
): ParseResult {
  const parsed = Organization.safeParse(resource, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const o = parsed.data;
  const code = fhirOrganizationCode(resource);
  if (!code || !isOdsCode(code)) {
    return { ok: false, reason: `no usable ODS code (${JSON.stringify(code)})` };
  }
  try {
    const exts = o.extension ?? [];
    const lastChangeDate = readLastChangeDate(exts);
    const { recordClass, refOnly } = readRecordType(o.type);
    const roles = readRoles(exts);
    const picked = pickPrimaryRole(roles, options.isPrimaryRole);
    if (!picked.ok) throw new Invalid(picked.reason);
    const primaryRole = picked.role;
    const own = typedPeriods(exts, "Organization");
    const main = mainRole(roles, primaryRole);
    const relationships: OdsRelationship[] = [];
    for (const [i, raw] of affiliations.entries()) {
      if (affiliationSource(raw) !== code) continue;
      relationships.push(readAffiliation(raw, i, options.targetRole));
    }
    const telecom = (system: string) =>
      o.telecom?.find((t) => t.system?.toLowerCase() === system && t.value?.trim())?.value
        ?.trim() ?? null;
    return {
      ok: true,
      record: {
        code,
        name: o.name,
        active: o.active,
        lastChangeDate,
        recordClass,
        refOnly,
        primaryRole,
        roles: roles.map(({ id, active, operational, legal }) => ({
          id,
          primary: id === primaryRole,
          active,
          operational,
          legal,
        })),
        operational: own.operational ?? main.operational,
        legal: own.legal ?? main.legal,
        address: readAddress(o.address?.[0]),
        telephone: telecom("phone"),
        website: telecom("url"),
        email: telecom("email"),
        relationships,
        successions: [],
        successionsKnown: false,
        absent: absentFields(o.address?.[0]),
      },
    };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.message };
    throw error;
  }
}

type FhirOrganization = z.output<typeof Organization>;

/** The `LastChangeDate` typed-date extension; throws {@linkcode Invalid} when missing. */
function readLastChangeDate(exts: readonly Extension[]): string {
  const lcd = exts.find((e) =>
    named(e.url, "Extension-England-TypedDateTime") &&
    sub(e, "type")?.valueCoding?.code?.trim().toLowerCase() === "lastchangedate"
  );
  const lastChangeDate = mustDay(
    sub(lcd ?? { url: "" }, "dateTime")?.valueDateTime,
    "LastChangeDate",
  );
  if (!lastChangeDate) throw new Invalid("LastChangeDate extension is missing");
  return lastChangeDate;
}

/** Record class and use type from `type`; throws {@linkcode Invalid} without a record class. */
function readRecordType(
  type: FhirOrganization["type"],
): { recordClass: "RC1" | "RC2"; refOnly: boolean } {
  const rc = type?.map((t) => firstCode(t, "ODSRecordClass")).find((c) => c)?.toUpperCase();
  if (rc !== "RC1" && rc !== "RC2") {
    throw new Invalid(`record class (type ODSRecordClass) is ${rc ? `"${rc}"` : "missing"}`);
  }
  const useType = type?.map((t) => firstCode(t, "England-ODSRecordUseType")).find((c) => c);
  return { recordClass: rc, refOnly: useType?.toLowerCase() === "refonly" };
}

/** The instance of the primary role whose dates stand for the organisation's own. */
function mainRole(roles: readonly FhirRole[], primaryRole: string): FhirRole {
  const instances = roles.filter((r) => r.id === primaryRole);
  return instances.find((r) => r.active) ??
    instances.toSorted((a, b) =>
      (b.operational.start ?? "").localeCompare(a.operational.start ?? "")
    )[0];
}

/**
 * What the FHIR address can't say: the county, unless it carries a `district`; and which line is
 * which, unless it has all three.
 */
function absentFields(
  addr: NonNullable<FhirOrganization["address"]>[number] | undefined,
): ("county" | "line_positions")[] {
  const out: ("county" | "line_positions")[] = [];
  if (!addr?.district?.trim()) out.push("county");
  if ((addr?.line ?? []).filter((l) => l.trim()).length < 3) out.push("line_positions");
  return out;
}

function readAddress(
  addr: NonNullable<FhirOrganization["address"]>[number] | undefined,
): OdsRecord["address"] {
  const line = (n: number) => addr?.line?.[n]?.trim() || null;
  const uprnExt = addr?.extension?.find((e) =>
    named(e.url, "Extension-UKCore-AddressKey") &&
    firstCode(sub(e, "type")?.valueCodeableConcept)?.toUpperCase() === "UPRN"
  );
  const uprnValue = uprnExt ? sub(uprnExt, "value") : undefined;
  const uprn = uprnValue?.valueString?.trim() ||
    (typeof uprnValue?.valueInteger === "number" ? String(uprnValue.valueInteger) : null);
  return {
    line1: line(0),
    line2: line(1),
    line3: line(2),
    town: addr?.city?.trim() || null,
    county: addr?.district?.trim() || null,
    postcode: addr?.postalCode?.trim() || null,
    country: addr?.country?.trim() || null,
    uprn,
  };
}

// ---------------------------------------------------------------------------------------------
// Bundles and errors

/** One entry of a searchset Bundle. */
export interface FhirEntry {
  resourceType: string | null;
  /** `match`, `include`, `outcome`, or `null` when absent. */
  mode: string | null;
  resource: unknown;
}

/** A searchset page. */
export interface FhirBundle {
  /** `null` when the server didn't say. */
  total: number | null;
  /** The `next` link as given (may be relative), or `null` on the last page. */
  next: string | null;
  entries: FhirEntry[];
}

/**
 * Parse a searchset `Bundle`. An `OperationOutcome` (or anything else) is an error with a
 * reason; individual resources are not validated here.
 *
 * @example
 * ```ts
 * import { parseFhirBundle } from "./fhir.ts";
 *
 * const page = parseFhirBundle({
 *   resourceType: "Bundle",
 *   type: "searchset",
 *   total: 0,
 *   link: [{ relation: "next", url: "Organization?_count=20&page=2" }],
 * });
 * page.ok && page.bundle.next; // "Organization?_count=20&page=2"
 * ```
 */
export function parseFhirBundle(
  body: unknown,
): { ok: true; bundle: FhirBundle } | { ok: false; reason: string } {
  const outcome = describeOperationOutcome(body);
  if (outcome !== null) return { ok: false, reason: outcome };
  const parsed = Bundle.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, reason: `not a Bundle: ${describeIssues(parsed.error)}` };
  }
  const b = parsed.data;
  return {
    ok: true,
    bundle: {
      total: b.total ?? null,
      next: b.link?.find((l) => l.relation === "next")?.url ?? null,
      entries: (b.entry ?? []).map((e) => {
        const rt = asObject(e.resource)?.resourceType;
        return {
          resourceType: typeof rt === "string" ? rt : null,
          mode: e.search?.mode ?? null,
          resource: e.resource,
        };
      }),
    },
  };
}

/**
 * A one-line summary of an `OperationOutcome` (`"too-costly: Response exceeds APIM size
 * limit"`), or `null` when `body` is not one.
 */
export function describeOperationOutcome(body: unknown): string | null {
  const parsed = Outcome.safeParse(body);
  if (!parsed.success) return null;
  const issues = parsed.data.issue ?? [];
  if (issues.length === 0) return "OperationOutcome without issues";
  return issues.map((i) =>
    [i.code, i.diagnostics ?? i.details?.text].filter((x) => x).join(": ") || "unknown issue"
  ).join("; ");
}

/** Whether an `OperationOutcome` reports `too-costly` (the 10 MB response cap). */
export function isTooCostly(body: unknown): boolean {
  const parsed = Outcome.safeParse(body);
  return parsed.success && (parsed.data.issue ?? []).some((i) => i.code === "too-costly");
}

/**
 * Parse the FHIR `List/Organization-deletion` resource (every Organization ODS has deleted) into
 * codes and dates. Fails closed: an `OperationOutcome`, another resource, or an entry without an
 * ODS code is an error.
 *
 * @example
 * ```ts
 * import { parseFhirDeletionList } from "./fhir.ts";
 *
 * parseFhirDeletionList({
 *   resourceType: "List",
 *   id: "Organization-deletion",
 *   entry: [{
 *     date: "2024-01-17T00:00:00+00:00",
 *     item: {
 *       type: "Organization",
 *       identifier: { system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "FVG57" },
 *     },
 *   }],
 * });
 * // { ok: true, deleted: [{ code: "FVG57", date: "2024-01-17" }] }
 * ```
 */
export function parseFhirDeletionList(
  body: unknown,
): { ok: true; deleted: { code: string; date: string | null }[] } | { ok: false; reason: string } {
  const outcome = describeOperationOutcome(body);
  if (outcome !== null) return { ok: false, reason: outcome };
  const o = asObject(body);
  if (o?.resourceType !== "List") return { ok: false, reason: "not a List resource" };
  const entries = Array.isArray(o.entry) ? o.entry : [];
  const deleted: { code: string; date: string | null }[] = [];
  for (const [i, raw] of entries.entries()) {
    const entry = asObject(raw);
    const item = asObject(entry?.item);
    const id = asObject(item?.identifier);
    const code = typeof id?.value === "string" ? normalizeCode(id.value) : "";
    if (!isOdsCode(code) || (id?.system && id.system !== ODS_CODE_SYSTEM)) {
      return { ok: false, reason: `entry[${i}] has no ODS code` };
    }
    const date = typeof entry?.date === "string" ? day(entry.date) : null;
    deleted.push({ code, date: date ?? null });
  }
  return { ok: true, deleted };
}

/**
 * The successions of an organisation from the `ods-organization-code` CodeSystem `$lookup`
 * (`CodeSystem/$lookup?system=https://fhir.nhs.uk/Id/ods-organization-code&code=X&property=*`,
 * a `Parameters` resource): each `property` whose code is `successor` or `predecessor` (any
 * case), its value the other record's code (`valueCode`, `valueString`, `valueCoding` or
 * `valueIdentifier`). The CodeSystem gives no succession date or target role: both are `null`.
 * An `OperationOutcome` (a code ODS doesn't know) or another resource is an error.
 *
 * @example
 * ```ts
 * import { parseFhirSuccessions } from "./fhir.ts";
 *
 * parseFhirSuccessions({
 *   resourceType: "Parameters",
 *   parameter: [
 *     { name: "code", valueCode: "RVVKC" },
 *     {
 *       name: "property",
 *       part: [{ name: "code", valueCode: "predecessor" }, { name: "value", valueCode: "RGWKC" }],
 *     },
 *   ],
 * });
 * // { ok: true, successions: [
 * //   { type: "Predecessor", target: "RGWKC", targetRole: null, date: null },
 * // ] }
 * ```
 */
export function parseFhirSuccessions(
  body: unknown,
): { ok: true; successions: OdsSuccession[] } | { ok: false; reason: string } {
  const outcome = describeOperationOutcome(body);
  if (outcome !== null) return { ok: false, reason: outcome };
  const o = asObject(body);
  if (o?.resourceType !== "Parameters") return { ok: false, reason: "not a Parameters resource" };
  const successions: OdsSuccession[] = [];
  for (const raw of Array.isArray(o.parameter) ? o.parameter : []) {
    const p = asObject(raw);
    if (p?.name !== "property" || !Array.isArray(p.part)) continue;
    const parts = p.part.map(asObject);
    const code = parts.find((x) => x?.name === "code")?.valueCode;
    const type = typeof code === "string" ? code.trim().toLowerCase() : "";
    if (type !== "successor" && type !== "predecessor") continue;
    const target = propertyCode(parts.find((x) => x?.name === "value") ?? null);
    if (!target) return { ok: false, reason: `a ${type} property has no ODS code` };
    successions.push({
      type: type === "successor" ? "Successor" : "Predecessor",
      target,
      targetRole: null,
      date: null,
    });
  }
  return { ok: true, successions };
}

/** The ODS code a `$lookup` property value names, or `null`. */
function propertyCode(value: Record<string, unknown> | null): string | null {
  if (!value) return null;
  const raw = value.valueCode ?? value.valueString ?? asObject(value.valueCoding)?.code ??
    asObject(value.valueIdentifier)?.value;
  const code = typeof raw === "string" ? normalizeCode(raw) : "";
  return isOdsCode(code) ? code : null;
}
