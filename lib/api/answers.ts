/**
 * Prepared answers of the queried read routes: the JSON text, ETag and (made once, later) gzip
 * bytes of a filtered, ordered, sparse-field or `as_of` answer, built once per data version and
 * then served like the plain lists.
 *
 * An answer is filed under its **canonical key** (the route and the parsed query: parameter
 * order, spelling of booleans, repeated parameters and unknown parameters make no new entry)
 * and under every **request target** (`/organisations/?active=True`) that asked for it, so the
 * fast path can find a repeated request by its target alone, without parsing it. Memory is
 * bounded: once the bytes held pass the budget, keys not used since they were last passed over
 * are dropped, oldest first (a second-chance approximation of least recently used, which keeps
 * a hit to one map read and one flag); an answer goes when its last key does. A new data
 * version empties the cache.
 *
 * @example
 * ```ts
 * import { AnswerCache } from "./answers.ts";
 * const cache = new AnswerCache({ budgetBytes: 1_000_000 });
 * cache.forVersion("v1");
 * const answer = cache.file("list|organisations|active=true", {
 *   body: "[]", etag: '"e"', route: "/organisations", asOf: null,
 * });
 * cache.alias("/organisations/?active=True", answer);
 * cache.lookup("/organisations/?active=True") === answer; // true
 * cache.stats().entries; // 1
 * ```
 *
 * @module
 */
import { gzipInBackground, MIN_GZIP_BYTES } from "./compress.ts";

/** What an answer is made of. */
export interface AnswerParts {
  /** The JSON body, pure ASCII. */
  body: string;
  etag: string;
  /** The route it answers, in Hono's syntax (for the request log). */
  route: string;
  /** The date it describes (`X-As-Of`), or `null` for the current state. */
  asOf: string | null;
}

/** A prepared answer. */
export interface Answer extends AnswerParts {
  /** Its gzip bytes, once made ({@linkcode AnswerCache.gzip}); large bodies only. */
  gzip?: Uint8Array<ArrayBuffer>;
  /** Its gzip bytes being made. */
  compressing?: Promise<void>;
  /** Bytes counted against the budget for the answer itself. */
  size: number;
  /** How many keys lead to it. */
  refs: number;
}

/** What `/health` reports of the cache. */
export interface AnswerStats {
  entries: number;
  keys: number;
  bytes: number;
  budget_bytes: number;
  /** Answers served from the cache. */
  hits: number;
  /** Answers built (and filed). */
  misses: number;
  /** Keys dropped to keep within the budget. */
  evictions: number;
}

/** A key's place in the cache: its answer, and whether it was used since last passed over. */
interface Slot {
  answer: Answer;
  used: boolean;
}

/** The default budget: 32 MiB. */
export const DEFAULT_ANSWER_BUDGET = 32 * 1024 * 1024;

/** Bytes counted per key and per answer besides their text (maps, objects, headers). */
const OVERHEAD = 160;

/** Keeps prepared answers of one data version, least recently used dropped first. */
export class AnswerCache {
  readonly #budget: number;
  readonly #keys = new Map<string, Slot>();
  #version: string | null = null;
  #bytes = 0;
  #entries = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  /** @param options.budgetBytes the most bytes held (default {@linkcode DEFAULT_ANSWER_BUDGET}). */
  constructor(options: { budgetBytes?: number } = {}) {
    this.#budget = options.budgetBytes ?? DEFAULT_ANSWER_BUDGET;
  }

  /** Make the cache hold answers of `version` (a new version empties it). */
  forVersion(version: string): void {
    if (this.#version === version) return;
    this.#version = version;
    this.#keys.clear();
    this.#bytes = 0;
    this.#entries = 0;
  }

  /** The answer filed under `key` for the current version, marked used. */
  lookup(key: string): Answer | undefined {
    const slot = this.#keys.get(key);
    if (!slot) return undefined;
    this.#hits++;
    slot.used = true;
    return slot.answer;
  }

  /** File a new answer under `key` and return it. */
  file(key: string, parts: AnswerParts): Answer {
    const answer: Answer = { ...parts, size: parts.body.length + OVERHEAD, refs: 0 };
    this.#entries++;
    this.#misses++;
    this.#bytes += answer.size;
    this.alias(key, answer);
    return answer;
  }

  /** File `answer` under one more key (a request target that asked for it). */
  alias(key: string, answer: Answer): void {
    const old = this.#keys.get(key);
    if (old?.answer === answer) return;
    if (old) this.#drop(key, old.answer);
    this.#keys.set(key, { answer, used: false });
    answer.refs++;
    this.#bytes += key.length + OVERHEAD;
    this.#trim();
  }

  /**
   * The answer's gzip bytes if they are made; else `undefined`, and for a body of at least
   * `MIN_GZIP_BYTES` they are made in the background (off the request thread), for the next request. The body is sent as it is meanwhile.
   */
  gzip(answer: Answer): Uint8Array<ArrayBuffer> | undefined {
    if (answer.gzip || answer.body.length < MIN_GZIP_BYTES) return answer.gzip;
    answer.compressing ??= gzipInBackground(answer.body).then((bytes) => {
      answer.gzip = bytes;
      if (answer.refs > 0) {
        answer.size += bytes.byteLength;
        this.#bytes += bytes.byteLength;
        this.#trim();
      }
    }, () => {});
    return undefined;
  }

  /** Counts and sizes, for `/health`. */
  stats(): AnswerStats {
    return {
      entries: this.#entries,
      keys: this.#keys.size,
      bytes: this.#bytes,
      budget_bytes: this.#budget,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
    };
  }

  #drop(key: string, answer: Answer): void {
    this.#keys.delete(key);
    this.#bytes -= key.length + OVERHEAD;
    if (--answer.refs === 0) {
      this.#bytes -= answer.size;
      this.#entries--;
    }
  }

  #trim(): void {
    while (this.#bytes > this.#budget && this.#keys.size) {
      const [key, slot] = this.#keys.entries().next().value!;
      if (slot.used) {
        // Used since last passed over: a second chance, at the back.
        slot.used = false;
        this.#keys.delete(key);
        this.#keys.set(key, slot);
        continue;
      }
      this.#drop(key, slot.answer);
      this.#evictions++;
    }
  }
}
