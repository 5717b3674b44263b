/**
 * Postcode geography from the FHIR API's `postcode` CodeSystem:
 * `GET {ODT_BASE_URL}/CodeSystem/$lookup?system=https://digital.nhs.uk/services/organisation-data-service/CodeSystem/postcode&code=CB2 0QQ&property=*`
 * answers a `Parameters` resource whose `property` parts carry the postcode's primary care
 * organisation (`PCO`), ICB, NHS England region (`NHSER`), local authority (`LA`), 2011 LSOA
 * (`LSOA11`) and government office region (`GOR`), each as a `valueCoding`; a postcode ODS
 * doesn't know is a 404 `OperationOutcome`.
 *
 * Pure pieces (normalising a postcode, reading the `Parameters`, deciding whether FHIR is
 * configured) and one thin I/O edge, {@linkcode PostcodeLookup}, over the sources' polite
 * {@linkcode HttpClient} with settings for a request path: at most one retry and a 10 s timeout
 * per attempt, so a caller waiting on an API answer never waits for the sync's long backoffs.
 *
 * @module
 */
import type { LocalAuthority } from "../model.ts";
import { DEFAULT_ODT_BASE_URL, type OdsConfig } from "../config.ts";
import type { HttpClient } from "./http.ts";
import { redactText } from "./redact.ts";
import {
  changeListError,
  type OdsErrorKind,
  sourceHttpClient,
  type SourceOptions,
} from "./source_base.ts";

/** The FHIR `postcode` CodeSystem. */
export const POSTCODE_SYSTEM =
  "https://digital.nhs.uk/services/organisation-data-service/CodeSystem/postcode";

/** A postcode's geography as ODS gives it: codes only (names are the caller's business). */
export interface PostcodeGeography {
  /** Canonical form: upper case, one space before the inward code (`CB2 0QQ`). */
  postcode: string;
  /** Primary care organisation: the sub-ICB location (England) or health board (Wales). */
  pco: string | null;
  /** Integrated care board (England only). */
  icb: string | null;
  /** NHS England region (England only). */
  nhser: string | null;
  /** Local authority (ODS code in England, ONS code in Wales). */
  la: string | null;
  /** 2011 lower layer super output area. */
  lsoa11: string | null;
  /** Government office region. */
  gor: string | null;
}

/** Outward code (`CB2`, `SW1A`, `M1`) and inward code (`0QQ`). */
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;
/** A postcode already in its canonical form (most stored ones): returned as it is. */
const CANONICAL = /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/;

/**
 * The canonical form of a UK postcode (upper case, one space before the inward code), whatever
 * its case and spacing; `null` when it doesn't have a postcode's shape.
 *
 * @example
 * ```ts
 * import { canonicalPostcode } from "./postcode_lookup.ts";
 * import { equal } from "node:assert/strict";
 * equal(canonicalPostcode(" cb20qq "), "CB2 0QQ");
 * equal(canonicalPostcode("sw1a  1aa"), "SW1A 1AA");
 * equal(canonicalPostcode("CB2"), null);
 * equal(canonicalPostcode("12345"), null);
 * ```
 */
export function canonicalPostcode(raw: string): string | null {
  if (raw.length > 16) return null;
  if (CANONICAL.test(raw)) return raw;
  const m = POSTCODE.exec(raw.replace(/\s+/g, "").toUpperCase());
  return m ? `${m[1]} ${m[2]}` : null;
}

/**
 * The local authority a record rewritten from ODS keeps: the stored one while its postcode stays
 * the same (case and spacing aside), `null` once the postcode changes, until the sync's local
 * authority step gives the new postcode's.
 *
 * @example
 * ```ts
 * import { keptLocalAuthority } from "./postcode_lookup.ts";
 *
 * keptLocalAuthority({ postcode: "CB2 0QQ", local_authority: "623" }, "cb2 0qq"); // "623"
 * keptLocalAuthority({ postcode: "CB2 0QQ", local_authority: "623" }, "CB1 2AB"); // null
 * keptLocalAuthority({ postcode: "CB2 0QQ" }, "CB2 0QQ"); // null: never given one
 * keptLocalAuthority(null, "CB2 0QQ"); // null: a new record
 * ```
 */
export function keptLocalAuthority(
  current: { postcode: string | null; local_authority?: LocalAuthority } | null,
  postcode: string | null,
): LocalAuthority {
  if (!current || current.postcode === null || postcode === null) return null;
  const same = (canonicalPostcode(current.postcode) ?? current.postcode) ===
    (canonicalPostcode(postcode) ?? postcode);
  return same ? current.local_authority ?? null : null;
}

/**
 * Is the FHIR API configured for look-ups? Yes with an `ODT_API_KEY`, or with an `ODT_BASE_URL`
 * other than the production API (the sandbox and the simulator need no key); the production
 * API without a key would only answer 401.
 *
 * @example
 * ```ts
 * import { loadConfig } from "../config.ts";
 * import { fhirConfigured } from "./postcode_lookup.ts";
 * import { equal } from "node:assert/strict";
 * equal(fhirConfigured(loadConfig({ KV_PATH: ":memory:" }).ods), false);
 * equal(fhirConfigured(loadConfig({ KV_PATH: ":memory:", ODT_API_KEY: "k" }).ods), true);
 * equal(fhirConfigured(loadConfig({ KV_PATH: ":memory:", ODT_BASE_URL: "http://sim/fhir" }).ods), true);
 * ```
 */
export function fhirConfigured(config: Pick<OdsConfig, "odtApiKey" | "odtBaseUrl">): boolean {
  return config.odtApiKey !== null ||
    config.odtBaseUrl.replace(/\/+$/, "") !== DEFAULT_ODT_BASE_URL;
}

type Json = Record<string, unknown>;

function asObject(v: unknown): Json | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? v as Json : null;
}

/** The code a property's value part carries (`valueCoding`, `valueCode` or `valueString`). */
function valueOf(part: Json | null): string | null {
  if (!part) return null;
  const raw = asObject(part.valueCoding)?.code ?? part.valueCode ?? part.valueString;
  return typeof raw === "string" && raw.trim() !== "" ? raw.trim() : null;
}

/** `{PCO: "06H", ...}` from the `property` parameters of a `Parameters` resource. */
function propertiesOf(parameters: readonly unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of parameters) {
    const p = asObject(raw);
    if (p?.name !== "property" || !Array.isArray(p.part)) continue;
    const parts = p.part.map(asObject);
    const code = parts.find((x) => x?.name === "code")?.valueCode;
    if (typeof code !== "string") continue;
    const value = valueOf(parts.find((x) => x?.name === "value") ?? null) ??
      valueOf(parts.find((x) => x?.name === "valueCoding") ?? null);
    if (value !== null) out.set(code.trim().toUpperCase(), value);
  }
  return out;
}

/**
 * Read a `$lookup` answer of the `postcode` CodeSystem for `postcode` (canonical). Fails on
 * another resource, or on one that names no geography at all.
 *
 * @example
 * ```ts
 * import { parsePostcodeParameters } from "./postcode_lookup.ts";
 * import { equal } from "node:assert/strict";
 * const coding = (code: string) => ({ valueCoding: { code } });
 * const prop = (name: string, code: string) => ({
 *   name: "property",
 *   part: [{ name: "code", valueCode: name }, { name: "value", ...coding(code) }],
 * });
 * const parsed = parsePostcodeParameters({
 *   resourceType: "Parameters",
 *   parameter: [{ name: "code", valueCode: "CB2 0QQ" }, prop("ICB", "QUE"), prop("LA", "623")],
 * }, "CB2 0QQ");
 * equal(parsed.ok && parsed.geography.icb, "QUE");
 * equal(parsed.ok && parsed.geography.nhser, null);
 * ```
 */
export function parsePostcodeParameters(
  body: unknown,
  postcode: string,
): { ok: true; geography: PostcodeGeography } | { ok: false; reason: string } {
  const o = asObject(body);
  if (o?.resourceType !== "Parameters") return { ok: false, reason: "not a Parameters resource" };
  const props = propertiesOf(Array.isArray(o.parameter) ? o.parameter : []);
  const get = (code: string) => props.get(code) ?? null;
  const geography: PostcodeGeography = {
    postcode,
    pco: get("PCO"),
    icb: get("ICB"),
    nhser: get("NHSER"),
    la: get("LA"),
    lsoa11: get("LSOA11"),
    gor: get("GOR"),
  };
  const { postcode: _, ...codes } = geography;
  if (Object.values(codes).every((v) => v === null)) {
    return { ok: false, reason: "the Parameters name no geography" };
  }
  return { ok: true, geography };
}

/** What one look-up found: the geography, "ODS doesn't know it", or why it failed. */
export type PostcodeLookupResult =
  | { status: "found"; geography: PostcodeGeography }
  | { status: "not_found" }
  | { status: "error"; kind: OdsErrorKind; reason: string };

/** How long a client that found the host unreachable is kept before a new one tries again. */
export const UNREACHABLE_COOLDOWN_MS = 60_000;

/** Settings of a look-up client: the sources' test hooks, and a clock for the cool-down. */
export type PostcodeLookupOptions = SourceOptions;

/**
 * Looks postcodes up in the FHIR API. The HTTP client's circuit breaker gives up on a host for
 * good; a service lives longer than a sync run, so once the host was found unreachable a new
 * client is made after {@linkcode UNREACHABLE_COOLDOWN_MS}.
 *
 * @example
 * ```ts
 * import { loadConfig } from "../config.ts";
 * import { PostcodeLookup } from "./postcode_lookup.ts";
 * const config = loadConfig({ KV_PATH: ":memory:", ODT_API_KEY: "k" }).ods;
 * const lookup = new PostcodeLookup(config, {
 *   // A stand-in for the network; production uses the global fetch.
 *   fetch: () => Promise.resolve(Response.json({ resourceType: "OperationOutcome" }, { status: 404 })),
 * });
 * const result = await lookup.lookup("ZZ9 9ZZ");
 * if (result.status !== "not_found") throw new Error(result.status);
 * ```
 */
export class PostcodeLookup {
  readonly #config: OdsConfig;
  readonly #options: PostcodeLookupOptions;
  readonly #base: URL;
  #http: HttpClient;
  #unreachableSince: number | null = null;

  constructor(config: OdsConfig, options: PostcodeLookupOptions = {}) {
    this.#config = config;
    this.#options = options;
    this.#base = new URL(config.odtBaseUrl.replace(/\/+$/, "") + "/");
    this.#http = this.#client();
  }

  #client(): HttpClient {
    const c = this.#config;
    const onRequestPath = {
      ...c,
      retries: Math.min(c.retries, 1),
      timeoutMs: Math.min(c.timeoutMs, 10_000),
    };
    const headers = c.odtApiKey ? { apikey: c.odtApiKey } : undefined;
    return sourceHttpClient(onRequestPath, this.#options, "application/fhir+json", headers);
  }

  /** Requests sent (every attempt) and retries among them, by the current client. */
  stats(): { requests: number; retries: number } {
    return this.#http.stats();
  }

  /** The URL of the look-up of `postcode` (canonical). */
  urlOf(postcode: string): URL {
    const system = encodeURIComponent(POSTCODE_SYSTEM);
    const code = encodeURIComponent(postcode);
    return new URL(`CodeSystem/$lookup?system=${system}&code=${code}&property=*`, this.#base);
  }

  /** Look `postcode` (canonical) up. Never rejects. */
  async lookup(postcode: string): Promise<PostcodeLookupResult> {
    this.#renewIfCooled();
    const res = await this.#http.getJson(this.urlOf(postcode));
    if (res.ok) {
      const parsed = parsePostcodeParameters(res.body, postcode);
      if (parsed.ok) return { status: "found", geography: parsed.geography };
      return { status: "error", kind: "bad_response", reason: `FHIR $lookup: ${parsed.reason}` };
    }
    if (res.status === 404) return { status: "not_found" };
    const error = changeListError(res, "FHIR postcode $lookup");
    if (error.kind === "unreachable") this.#unreachableSince ??= this.#now();
    // Messages naming the URL leave the postcode out: it may be a patient's.
    const reason = redactText(error.message).replace(/([?&]code=)[^&\s]*/g, "$1…");
    return { status: "error", kind: error.kind, reason };
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #renewIfCooled(): void {
    if (this.#unreachableSince === null) return;
    if (this.#now() - this.#unreachableSince < UNREACHABLE_COOLDOWN_MS) return;
    this.#unreachableSince = null;
    this.#http = this.#client();
  }
}
