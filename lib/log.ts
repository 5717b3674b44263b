/**
 * Structured logs: one JSON object per line on stderr (stdout stays free for CLI output).
 *
 * @module
 */

/** Log levels, least to most severe. */
export type Level = "debug" | "info" | "warn" | "error";

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold: Level = "info";
let sink: (line: string) => void = (line) => console.error(line);

/** Set the lowest level written. */
export function setLogLevel(level: Level): void {
  threshold = level;
}

/** Send log lines elsewhere (tests capture them); returns the previous sink. */
export function setLogSink(next: (line: string) => void): (line: string) => void {
  const prev = sink;
  sink = next;
  return prev;
}

/**
 * Write one structured log line.
 *
 * @example
 * ```ts
 * log("info", "request", { method: "GET", path: "/trusts/", status: 200, ms: 1.2 });
 * ```
 */
export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < ORDER[threshold]) return;
  sink(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
}
