/**
 * Serving that outlives its listener. When the accept loop fails (most often "Too many open
 * files", when clients hold every descriptor), the service logs it once, keeps trying to listen
 * again on the same address, and answers again as soon as descriptors are free; new connections
 * are refused meanwhile. Without this, the failure ends the process.
 *
 * @module
 */
import { log } from "./log.ts";

/** Where to listen, and what to say when listening. */
export interface ListenOptions {
  hostname: string;
  port: number;
  /** Called once, when the service first listens. */
  onListen?: (addr: Deno.NetAddr) => void;
  /** How often to try to listen again after a failure (default 200 ms). */
  retryMs?: number;
}

/** A running service. */
export interface Listening {
  /** The address it listens on (the real port when `port` was 0). */
  readonly addr: Deno.NetAddr;
  /** Stop listening, finish the requests in flight. */
  shutdown(): Promise<void>;
}

/**
 * Serves `handler` on `options`, listening again after the listener fails.
 *
 * @example
 * ```ts
 * import { serveResilient } from "./listen.ts";
 * const service = serveResilient({ hostname: "127.0.0.1", port: 0 }, () => new Response("ok"));
 * const res = await fetch(`http://127.0.0.1:${service.addr.port}/`);
 * if ((await res.text()) !== "ok") throw new Error("not served");
 * await service.shutdown();
 * ```
 */
export function serveResilient(
  options: ListenOptions,
  handler: Deno.ServeHandler<Deno.NetAddr>,
): Listening {
  let stopping = false;
  let server: Deno.HttpServer<Deno.NetAddr>;
  let port = options.port;
  const listen = () => {
    server = Deno.serve({ hostname: options.hostname, port, onListen: () => {} }, handler);
    port = server.addr.port;
    server.finished.catch((err) => {
      if (stopping) return;
      log("error", "the listener failed; listening again as soon as it can", {
        error: err instanceof Error ? err.message : String(err),
        port,
      });
      relisten();
    });
  };
  const relisten = () => {
    const timer = setInterval(() => {
      if (stopping) return clearInterval(timer);
      try {
        listen();
      } catch {
        return; // still out of descriptors (or the port is not free yet): try again
      }
      clearInterval(timer);
      log("info", "listening again", { port });
    }, options.retryMs ?? 200);
  };
  listen();
  options.onListen?.(server!.addr);
  return {
    get addr() {
      return server.addr;
    },
    async shutdown() {
      stopping = true;
      await server.shutdown();
    },
  };
}
