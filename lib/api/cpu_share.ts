/**
 * How much of a core background work may take: a token bucket of CPU milliseconds. Work may
 * run at full speed for a burst (an occasional uncached query is never held back); under
 * sustained load it gets `share` of one core, and rests for the remainder. The build worker
 * (build_worker.ts) rests between builds by this measure, so a storm of uncached heavy queries
 * leaves the request thread, and everything else on the machine, most of the CPU.
 *
 * Pure: the clock is passed in.
 *
 * @example
 * ```ts
 * import { CpuShare } from "./cpu_share.ts";
 * let now = 0;
 * const share = new CpuShare({ share: 0.25, burstMs: 100 }, () => now);
 * share.spent(100); // a burst of 100 ms of work
 * share.restBefore(); // 0: the burst is allowed
 * share.spent(10); // 10 ms over the burst
 * share.restBefore(); // 40: rest 40 ms, in which the bucket earns those 10 ms back
 * now += 40;
 * share.restBefore(); // 0
 * ```
 *
 * @module
 */

/** The share and the burst. */
export interface CpuShareOptions {
  /** The share of one core allowed under sustained load, over 0 and at most 1 (1: no rest). */
  share: number;
  /** CPU milliseconds that may be spent at once after a quiet spell. */
  burstMs: number;
}

/** A token bucket of CPU milliseconds, refilled at `share` per elapsed millisecond. */
export class CpuShare {
  readonly #share: number;
  readonly #burstMs: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(options: CpuShareOptions, now: () => number = () => performance.now()) {
    if (!(options.share > 0 && options.share <= 1)) throw new RangeError("share: (0, 1]");
    this.#share = options.share;
    this.#burstMs = options.burstMs;
    this.#now = now;
    this.#tokens = options.burstMs;
    this.#at = now();
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#burstMs, this.#tokens + (now - this.#at) * this.#share);
    this.#at = now;
  }

  /** Milliseconds to rest before the next piece of work (0: go ahead). */
  restBefore(): number {
    if (this.#share >= 1) return 0;
    this.#refill();
    return this.#tokens >= 0 ? 0 : -this.#tokens / this.#share;
  }

  /** Record `ms` of work done. */
  spent(ms: number): void {
    this.#refill();
    this.#tokens -= ms;
  }
}
