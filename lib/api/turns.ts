/**
 * Turns of the event loop for heavy work: {@linkcode nextTurn} resolves in a later turn, one
 * caller per turn, with the server's I/O (new requests, finished KV reads) handled in between.
 * Building many uncached answers at once then costs the other requests one build's time each
 * turn, not all of them.
 *
 * A `MessageChannel` message is what makes the turn: unlike a promise, `queueMicrotask` or
 * `setImmediate` it lets I/O in first, and unlike a chained `setTimeout(0)` it is not clamped
 * to 4 ms. The channel is closed, both its ports, after a turn in which no one waited: a port
 * left open keeps its native channel for the life of the process.
 *
 * @example
 * ```ts
 * import { nextTurn } from "./turns.ts";
 * const order: string[] = [];
 * await Promise.all([1, 2, 3].map(async (n) => {
 *   await nextTurn();
 *   order.push(`build ${n}`);
 * }));
 * order; // ["build 1", "build 2", "build 3"]: one per turn, in the order asked
 * ```
 *
 * @module
 */

const waiting: (() => void)[] = [];
let channel: MessageChannel | null = null;

/**
 * One turn: the first caller waiting goes on. The channel stays open for one more turn after
 * it, so a caller asking again from its continuation (a build in slices) reuses it; a turn with
 * no one waiting closes it.
 */
function wake(): void {
  const next = waiting.shift();
  if (!next) {
    channel!.port1.close();
    channel!.port2.close();
    channel = null;
    return;
  }
  channel!.port2.postMessage(0);
  next();
}

/** Resolve in a later turn of the event loop, after the callers that asked before. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (channel) return;
    channel = new MessageChannel();
    channel.port1.onmessage = wake;
    channel.port2.postMessage(0);
  });
}
