/**
 * Configuration from environment variables, validated once at start.
 *
 * @module
 */

/** The service's settings. */
export interface Config {
  /** The address to listen on (`HOST`); Deno Deploy ignores it. */
  host: string;
  port: number;
  /** Local file, `:memory:`, a KV Connect URL, or `undefined` for the platform default (Deploy). */
  kvPath: string | undefined;
  apiKeys: string[];
  adminToken: string | null;
  ods: OdsConfig;
  /** Register the daily `Deno.cron` sync jobs. */
  cron: boolean;
  /**
   * Sync and serve GP practices (`SYNC_GP_PRACTICES`, default true): false sends ODS no practice
   * request and the `/general_practices/` routes answer 404.
   */
  syncGpPractices: boolean;
  /**
   * The most postcodes a sync run looks up in the FHIR API to give organisations and practices
   * their local authority (`SYNC_POSTCODE_LOOKUPS`, default 1000; 0: none).
   */
  syncPostcodeLookups: number;
  /** How long a sync run's lease lasts without renewal (a crashed run frees it after this). */
  syncLeaseTtlMs: number;
  /**
   * ODS's daily publication time, `HH:MM` Europe/London: an empty run before it is not a missed
   * working day (`ODS_PUBLICATION_TIME`, default 03:00).
   */
  publicationTime: string;
  /** Honour proxy headers (`X-Forwarded-Prefix`) only when a trusted proxy sets them. */
  trustProxy: boolean;
  /** How long the API trusts a data version before reading it from KV again. */
  cacheMaxAgeMs: number;
  /** The least time between two builds of the API's read snapshot (`API_REBUILD_INTERVAL_MS`). */
  rebuildIntervalMs: number;
  /**
   * The share of one core the build worker may take under sustained load
   * (`API_BUILD_CPU_PERCENT`, as a fraction; 1 for no limit).
   */
  buildCpuShare: number;
  /** The most bytes the API's prepared answers of queried routes hold (`API_CACHE_BUDGET_MB`). */
  answerBudgetBytes: number;
  logLevel: "debug" | "info" | "warn" | "error";
}

/** Settings for reaching ODS. */
export interface OdsConfig {
  source: "ord" | "fhir";
  ordBaseUrl: string;
  odtBaseUrl: string;
  odtApiKey: string | null;
  /** Requests per second, at most. */
  rateLimit: number;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  /** FHIR page size (`_count`). */
  pageSize: number;
  userAgent: string;
}

/** Default listening address: this machine only, like Django's and gunicorn's defaults. */
export const DEFAULT_HOST = "127.0.0.1";

/** The production FHIR Organisation Data Terminology API (needs `ODT_API_KEY`). */
export const DEFAULT_ODT_BASE_URL =
  "https://api.service.nhs.uk/organisation-data-terminology-api/fhir";

/** Default local store path. */
export const DEFAULT_KV_PATH = "data/nhs-organisations.sqlite";

/** A bad setting; `problems` lists every one found. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** `text` with any `user:password@` of a URL in it masked: configuration errors get printed. */
function withoutUserinfo(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, "//***@");
}

/** Typed readers of environment variables that collect every problem instead of throwing. */
function envReader(env: Env, problems: string[]) {
  const raw = (name: string) => env[name]?.trim();
  const ranged = (whole: boolean) => (name: string, fallback: number, min: number, max: number) => {
    const text = raw(name);
    if (text === undefined || text === "") return fallback;
    const n = Number(text);
    if (!(whole ? Number.isInteger(n) : Number.isFinite(n)) || n < min || n > max) {
      const what = whole ? "a whole number" : "a number";
      problems.push(`${name} must be ${what} from ${min} to ${max}, got "${text}"`);
      return fallback;
    }
    return n;
  };
  return {
    int: ranged(true),
    num: ranged(false),
    url(name: string, fallback: string): string {
      const text = raw(name) || fallback;
      try {
        const u = new URL(text);
        if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
      } catch {
        problems.push(`${name} must be an http(s) URL, got "${withoutUserinfo(text)}"`);
      }
      return text.replace(/\/+$/, "");
    },
    oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
      const text = raw(name)?.toLowerCase();
      if (!text) return fallback;
      if (values.includes(text as T)) return text as T;
      problems.push(`${name} must be one of ${values.join(", ")}, got "${env[name]}"`);
      return fallback;
    },
    bool(name: string, fallback: boolean): boolean {
      const text = raw(name)?.toLowerCase();
      if (!text) return fallback;
      if (["1", "true", "yes", "on"].includes(text)) return true;
      if (["0", "false", "no", "off"].includes(text)) return false;
      problems.push(`${name} must be true or false, got "${env[name]}"`);
      return fallback;
    },
    time(name: string, fallback: string): string {
      const text = raw(name);
      if (!text) return fallback;
      if (/^([01]\d|2[0-3]):[0-5]\d$/.test(text)) return text;
      problems.push(`${name} must be a time of day HH:MM (e.g. 03:00), got "${env[name]}"`);
      return fallback;
    },
    host(name: string, fallback: string): string {
      const text = raw(name)?.replace(/^\[(.*)\]$/, "$1");
      if (!text) return fallback;
      if (/^[A-Za-z0-9.:-]+$/.test(text)) return text;
      problems.push(`${name} must be a host name or IP address (e.g. 0.0.0.0), got "${env[name]}"`);
      return fallback;
    },
  };
}

/** The KV location from `KV_PATH` (none on Deno Deploy, which gives its own), checked. */
function kvLocation(env: Env, problems: string[]): string | undefined {
  const onDeploy = Boolean(env.DENO_DEPLOYMENT_ID);
  const kvPath = env.KV_PATH?.trim() || (onDeploy ? undefined : DEFAULT_KV_PATH);
  if (!kvPath || !/^https?:/.test(kvPath)) return kvPath;
  if (!env.DENO_KV_ACCESS_TOKEN) {
    problems.push("KV_PATH is a KV Connect URL but DENO_KV_ACCESS_TOKEN is not set");
  }
  try {
    new URL(kvPath);
    return kvPath;
  } catch {
    problems.push(`KV_PATH is not a valid KV Connect URL: "${withoutUserinfo(kvPath)}"`);
    return undefined;
  }
}

/** The API keys and the admin token, each at least 16 characters. */
function secrets(env: Env, problems: string[]): { apiKeys: string[]; adminToken: string | null } {
  const apiKeys = (env.API_KEYS ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  if (apiKeys.some((k) => k.length < 16)) {
    problems.push("every API_KEYS entry must be at least 16 characters");
  }
  const adminToken = env.ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && adminToken.length < 16) {
    problems.push("ADMIN_TOKEN must be at least 16 characters");
  }
  return { apiKeys: [...new Set(apiKeys)], adminToken };
}

/** The ODS settings. */
function odsConfig(env: Env, read: ReturnType<typeof envReader>): OdsConfig {
  return {
    source: read.oneOf("ODS_SOURCE", ["ord", "fhir"] as const, "ord"),
    ordBaseUrl: read.url("ORD_BASE_URL", "https://directory.spineservices.nhs.uk/ORD/2-0-0"),
    odtBaseUrl: read.url("ODT_BASE_URL", DEFAULT_ODT_BASE_URL),
    odtApiKey: env.ODT_API_KEY?.trim() || null,
    rateLimit: read.num("ODS_RATE_LIMIT", 5, 0.1, 1000),
    concurrency: read.int("ODS_CONCURRENCY", 4, 1, 64),
    timeoutMs: read.int("ODS_TIMEOUT_MS", 30_000, 100, 600_000),
    retries: read.int("ODS_RETRIES", 4, 0, 20),
    pageSize: read.int("ODT_PAGE_SIZE", 1000, 1, 1000),
    userAgent: env.ODS_USER_AGENT?.trim() ||
      "rcpch-nhs-organisations/0.1 (+https://github.com/rcpch/rcpch-nhs-organisations)",
  };
}

/**
 * Read and validate the configuration from `env`. Throws {@linkcode ConfigError} naming every
 * bad value.
 *
 * @example
 * ```ts
 * import { loadConfig } from "./config.ts";
 * const config = loadConfig({ PORT: "8080", KV_PATH: ":memory:" });
 * if (config.port !== 8080 || config.host !== "127.0.0.1") throw new Error("unexpected");
 * ```
 */
export function loadConfig(env: Env = Deno.env.toObject()): Config {
  const problems: string[] = [];
  const read = envReader(env, problems);
  const config: Config = {
    host: read.host("HOST", DEFAULT_HOST),
    port: read.int("PORT", 8000, 0, 65535),
    kvPath: kvLocation(env, problems),
    ...secrets(env, problems),
    cron: read.bool("SYNC_CRON", true),
    syncGpPractices: read.bool("SYNC_GP_PRACTICES", true),
    syncPostcodeLookups: read.int("SYNC_POSTCODE_LOOKUPS", 1000, 0, 100_000),
    trustProxy: read.bool("TRUST_PROXY", false),
    syncLeaseTtlMs: read.int("SYNC_LEASE_TTL_MS", 120_000, 1_000, 3_600_000),
    publicationTime: read.time("ODS_PUBLICATION_TIME", "03:00"),
    cacheMaxAgeMs: read.int("API_CACHE_MAX_AGE_MS", 1_000, 0, 60_000),
    rebuildIntervalMs: read.int("API_REBUILD_INTERVAL_MS", 250, 0, 10_000),
    answerBudgetBytes: read.int("API_CACHE_BUDGET_MB", 32, 1, 4096) * 1024 * 1024,
    buildCpuShare: read.int("API_BUILD_CPU_PERCENT", 25, 1, 100) / 100,
    logLevel: read.oneOf("LOG_LEVEL", ["debug", "info", "warn", "error"] as const, "info"),
    ods: odsConfig(env, read),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * The URL to print for a listening address (`0.0.0.0` and `::` as `localhost`; IPv6 bracketed).
 *
 * @example
 * ```ts
 * import { listenUrl } from "./config.ts";
 * if (listenUrl("0.0.0.0", 8000) !== "http://localhost:8000/") throw new Error();
 * if (listenUrl("::1", 8000) !== "http://[::1]:8000/") throw new Error();
 * ```
 */
export function listenUrl(hostname: string, port: number): string {
  const host = hostname === "0.0.0.0" || hostname === "::"
    ? "localhost"
    : hostname.includes(":")
    ? `[${hostname}]`
    : hostname;
  return `http://${host}:${port}/`;
}
