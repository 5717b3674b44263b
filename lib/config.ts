/**
 * Configuration from environment variables, validated once at start.
 *
 * @module
 */

/** The service's settings. */
export interface Config {
  port: number;
  /** Local file, `:memory:`, a KV Connect URL, or `undefined` for the platform default (Deploy). */
  kvPath: string | undefined;
  apiKeys: string[];
  adminToken: string | null;
  ods: OdsConfig;
  /** Register the daily `Deno.cron` sync jobs. */
  cron: boolean;
  /** How long a sync run's lease lasts without renewal (a crashed run frees it after this). */
  syncLeaseTtlMs: number;
  /** How long the API trusts a data version before reading it from KV again. */
  cacheMaxAgeMs: number;
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

/**
 * Read and validate the configuration from `env`. Throws {@linkcode ConfigError} naming every
 * bad value.
 *
 * @example
 * ```ts
 * const config = loadConfig({ PORT: "8080", KV_PATH: ":memory:" });
 * config.port; // 8080
 * ```
 */
export function loadConfig(env: Env = Deno.env.toObject()): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const num = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, fallback: string): string => {
    const raw = env[name]?.trim() || fallback;
    try {
      const u = new URL(raw);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    } catch {
      problems.push(`${name} must be an http(s) URL, got "${raw}"`);
    }
    return raw.replace(/\/+$/, "");
  };
  const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (!values.includes(raw as T)) {
      problems.push(`${name} must be one of ${values.join(", ")}, got "${env[name]}"`);
      return fallback;
    }
    return raw as T;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (["1", "true", "yes", "on"].includes(raw)) return true;
    if (["0", "false", "no", "off"].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${env[name]}"`);
    return fallback;
  };

  const onDeploy = Boolean(env.DENO_DEPLOYMENT_ID);
  let kvPath: string | undefined = env.KV_PATH?.trim() || (onDeploy ? undefined : DEFAULT_KV_PATH);
  if (kvPath && /^https?:/.test(kvPath)) {
    try {
      new URL(kvPath);
    } catch {
      problems.push(`KV_PATH is not a valid KV Connect URL: "${kvPath}"`);
      kvPath = undefined;
    }
    if (!env.DENO_KV_ACCESS_TOKEN) {
      problems.push("KV_PATH is a KV Connect URL but DENO_KV_ACCESS_TOKEN is not set");
    }
  }

  const apiKeys = (env.API_KEYS ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  for (const k of apiKeys) {
    if (k.length < 16) problems.push("every API_KEYS entry must be at least 16 characters");
  }
  const adminToken = env.ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && adminToken.length < 16) {
    problems.push("ADMIN_TOKEN must be at least 16 characters");
  }

  const config: Config = {
    port: int("PORT", 8000, 0, 65535),
    kvPath,
    apiKeys: [...new Set(apiKeys)],
    adminToken,
    cron: bool("SYNC_CRON", true),
    syncLeaseTtlMs: int("SYNC_LEASE_TTL_MS", 120_000, 1_000, 3_600_000),
    cacheMaxAgeMs: int("API_CACHE_MAX_AGE_MS", 1_000, 0, 60_000),
    logLevel: oneOf("LOG_LEVEL", ["debug", "info", "warn", "error"] as const, "info"),
    ods: {
      source: oneOf("ODS_SOURCE", ["ord", "fhir"] as const, "ord"),
      ordBaseUrl: url("ORD_BASE_URL", "https://directory.spineservices.nhs.uk/ORD/2-0-0"),
      odtBaseUrl: url(
        "ODT_BASE_URL",
        "https://api.service.nhs.uk/organisation-data-terminology-api/fhir",
      ),
      odtApiKey: env.ODT_API_KEY?.trim() || null,
      rateLimit: num("ODS_RATE_LIMIT", 5, 0.1, 1000),
      concurrency: int("ODS_CONCURRENCY", 4, 1, 64),
      timeoutMs: int("ODS_TIMEOUT_MS", 30_000, 100, 600_000),
      retries: int("ODS_RETRIES", 4, 0, 20),
      pageSize: int("ODT_PAGE_SIZE", 1000, 1, 1000),
      userAgent: env.ODS_USER_AGENT?.trim() ||
        "rcpch-nhs-organisations/0.1 (+https://github.com/rcpch/rcpch-nhs-organisations)",
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
