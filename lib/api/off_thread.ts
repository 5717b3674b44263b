/**
 * Building large list answers off the request thread: a filtered, ordered or sparse list of a
 * long view is put together by a worker (build_worker.ts), so a burst of uncached queries keeps
 * the thread that accepts requests free for everyone else (`/health`, details, cached answers).
 * Deno serves requests in arrival order on one thread: without this, a request waits for every
 * build queued before it.
 *
 * Each view's rows are sent to the worker once (per data version and date); where workers are
 * not available (or the worker fails), answers are built on the request thread as before.
 *
 * The worker keeps to a share of one core under sustained load (`cpuShare`, see cpu_share.ts):
 * on a small machine a storm of uncached heavy queries would otherwise take a whole core, and
 * the request thread, the KV thread and every other request would wait for CPU. The storm's own
 * answers come slower; everyone else's keep their latency.
 *
 * @module
 */
import { log } from "../log.ts";
import type { CpuShareOptions } from "./cpu_share.ts";
import { listBody, type ListQuery, type Row } from "./list_body.ts";

/** Views with at least this many rows are built off the request thread. */
export const OFF_THREAD_ROWS = 200;

/**
 * CPU milliseconds the worker may spend at full speed after a quiet spell: some forty uncached
 * heavy lists in a row, before its share applies.
 */
export const BUILD_BURST_MS = 250;

interface Pending {
  resolve: (body: string) => void;
  reject: (err: Error) => void;
  rows: readonly Row[];
  rowsId: number;
  query: ListQuery;
}

/** A build worker and the rows it holds. */
export class OffThread {
  #worker: Worker | null = null;
  #broken = false;
  #next = 1;
  readonly #ids = new WeakMap<readonly Row[], number>();
  readonly #pending = new Map<number, Pending>();
  #built = 0;
  #restedMs = 0;
  readonly #share: CpuShareOptions;

  /**
   * @param options.cpuShare the share of one core the worker may take under sustained load
   *   (see cpu_share.ts); default 1, all it can.
   * @param options.burstMs the CPU milliseconds it may spend at full speed after a quiet spell
   *   (default {@linkcode BUILD_BURST_MS}).
   */
  constructor(options: { cpuShare?: number; burstMs?: number } = {}) {
    this.#share = { share: options.cpuShare ?? 1, burstMs: options.burstMs ?? BUILD_BURST_MS };
  }

  /** How long the worker has rested to keep to its share of the CPU, in all. */
  get restedMs(): number {
    return this.#restedMs;
  }

  /** How many bodies the worker built (for tests and metrics). */
  get workerBuilds(): number {
    return this.#built;
  }

  /** The JSON list answering `query` over `rows`, built by the worker when it can be. */
  build(rows: readonly Row[], query: ListQuery): Promise<string> {
    const worker = this.#ensure();
    if (!worker) return Promise.resolve(listBody(rows, query));
    let rowsId = this.#ids.get(rows);
    if (rowsId === undefined) {
      rowsId = this.#next++;
      this.#ids.set(rows, rowsId);
      worker.postMessage({ type: "rows", id: rowsId, rows: rows.map(plainRow) });
    }
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, rows, rowsId, query });
      worker.postMessage({ type: "build", id, rowsId, query });
    });
  }

  /** Stop the worker (builds still waiting are made on this thread). */
  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#broken = true;
    this.#settleInline();
  }

  #ensure(): Worker | null {
    if (this.#worker || this.#broken) return this.#worker;
    try {
      const worker = new Worker(new URL("./build_worker.ts", import.meta.url).href, {
        type: "module",
      });
      worker.onmessage = (e) => this.#answer(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        log("warn", "build worker failed; building answers on the request thread", {
          error: e.message,
        });
        this.close();
      };
      if (this.#share.share < 1) worker.postMessage({ type: "share", share: this.#share });
      this.#worker = worker;
    } catch (err) {
      log("info", "no build worker here; building answers on the request thread", {
        error: String(err),
      });
      this.#broken = true;
    }
    return this.#worker;
  }

  #answer(
    m: { id: number; body?: string; restedMs?: number; missing?: boolean; error?: string },
  ): void {
    const p = this.#pending.get(m.id);
    if (!p) return;
    this.#pending.delete(m.id);
    if (m.body !== undefined) {
      this.#built++;
      this.#restedMs += m.restedMs ?? 0;
      return p.resolve(m.body);
    }
    if (m.missing) {
      // The worker dropped these rows: send them again under the same id.
      this.#worker?.postMessage({ type: "rows", id: p.rowsId, rows: p.rows.map(plainRow) });
      this.build(p.rows, p.query).then(p.resolve, p.reject);
      return;
    }
    p.reject(new Error(m.error ?? "build failed"));
  }

  #settleInline(): void {
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      try {
        p.resolve(listBody(p.rows, p.query));
      } catch (err) {
        p.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
}

/** A row as it is sent: its item and JSON only. */
function plainRow(r: Row): Row {
  return { item: r.item, json: r.json };
}
