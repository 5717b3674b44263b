/**
 * A lease lock in Deno KV: one holder at a time across every instance sharing the store. A
 * holder that crashes stops renewing, and its lease expires.
 *
 * @module
 */
import { leaseKey } from "../keys.ts";

/** The stored lease. */
export interface LeaseValue {
  owner: string;
  acquired_at: string;
  expires_at: number;
}

/** A held lease; `release()` gives it up, renewal runs until then. */
export interface Lease {
  owner: string;
  /** Still ours? (false once renewal found someone else holding it) */
  held(): boolean;
  release(): Promise<void>;
}

/**
 * Try to take the lease `name` for `ttlMs`, renewing it every `ttlMs / 3` while held. Returns
 * `null` when someone else holds an unexpired lease.
 *
 * @example
 * ```ts
 * import { acquireLease } from "./lease.ts";
 *
 * const kv = await Deno.openKv(":memory:");
 * const lease = await acquireLease(kv, "sync", 60_000);
 * await acquireLease(kv, "sync", 60_000); // null: held
 * await lease?.release();
 * kv.close();
 * ```
 */
export async function acquireLease(
  kv: Deno.Kv,
  name: string,
  ttlMs: number,
  now: () => number = Date.now,
): Promise<Lease | null> {
  const key = leaseKey(name);
  const owner = crypto.randomUUID();
  const current = await kv.get<LeaseValue>(key);
  if (current.value && current.value.expires_at > now()) return null;
  const value: LeaseValue = {
    owner,
    acquired_at: new Date(now()).toISOString(),
    expires_at: now() + ttlMs,
  };
  const res = await kv.atomic().check(current).set(key, value).commit();
  if (!res.ok) return null;

  let held = true;
  let stamp = res.versionstamp;
  const renew = async () => {
    const next = { ...value, expires_at: now() + ttlMs };
    const r = await kv.atomic().check({ key, versionstamp: stamp }).set(key, next).commit();
    if (r.ok) stamp = r.versionstamp;
    else held = false;
  };
  const timer = setInterval(() => {
    if (held) renew().catch(() => held = false);
  }, Math.max(10, Math.floor(ttlMs / 3)));

  const lease: Lease = {
    owner,
    held: () => held,
    async release() {
      clearInterval(timer);
      HELD.delete(lease);
      if (!held) return;
      held = false;
      await kv.atomic().check({ key, versionstamp: stamp }).delete(key).commit();
    },
  };
  HELD.add(lease);
  return lease;
}

/** The leases this process holds now. */
const HELD = new Set<Lease>();

/**
 * Release every lease this process holds (at shutdown: a stopped service must not leave a
 * sync lease that blocks every other run until it expires).
 *
 * @example
 * ```ts
 * import { acquireLease, leaseHolder, releaseHeldLeases } from "./lease.ts";
 * const kv = await Deno.openKv(":memory:");
 * await acquireLease(kv, "sync", 60_000);
 * await releaseHeldLeases();
 * if (await leaseHolder(kv, "sync")) throw new Error("still held");
 * kv.close();
 * ```
 */
export async function releaseHeldLeases(): Promise<void> {
  await Promise.allSettled([...HELD].map((lease) => lease.release()));
}

/**
 * Who holds the lease `name`, if anyone (expired leases count as free).
 *
 * @example
 * ```ts
 * import { leaseHolder } from "./lease.ts";
 *
 * const kv = await Deno.openKv(":memory:");
 * await leaseHolder(kv, "sync"); // null
 * kv.close();
 * ```
 */
export async function leaseHolder(
  kv: Deno.Kv,
  name: string,
  now: () => number = Date.now,
): Promise<LeaseValue | null> {
  const v = (await kv.get<LeaseValue>(leaseKey(name))).value;
  return v && v.expires_at > now() ? v : null;
}

/** Name of the lease that allows one sync run at a time. */
export const SYNC_LEASE = "sync";

/** How long a sync run's lease lasts without renewal unless configured (`SYNC_LEASE_TTL_MS`). */
export const DEFAULT_SYNC_LEASE_TTL_MS = 120_000;
