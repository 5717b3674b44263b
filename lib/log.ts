/**
 * Structured logs: one JSON object per line on stderr (stdout stays free for CLI output).
 *
 * Lines are buffered and written together every few milliseconds, so a busy server makes one
 * write per batch rather than one per request; warnings and errors flush at once, and the
 * buffer is flushed when the process exits normally.
 *
 * @module
 */

/** Log levels, least to most severe. */
export type Level = "debug" | "info" | "warn" | "error";

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const FLUSH_MS = 20;
const MAX_BUFFER = 64 * 1024;
const encoder = new TextEncoder();

let threshold: Level = "info";
/** Encoded lines waiting to be written (encoded as they come: no join, no second copy). */
const buffer = new Uint8Array(MAX_BUFFER);
let used = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function writeAll(bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}

/** Write buffered lines to stderr now. */
export function flushLogs(): void {
  if (timer !== undefined) {
    clearTimeout(timer);
    timer = undefined;
  }
  if (!used) return;
  writeAll(buffer.subarray(0, used));
  used = 0;
}

const NEWLINE = 10;

const stderrSink = (line: string, level: Level) => {
  // A line that can't fit (even in an empty buffer) is written on its own.
  if (line.length * 3 + 1 > MAX_BUFFER - used) flushLogs();
  if (line.length * 3 + 1 > MAX_BUFFER) {
    writeAll(encoder.encode(line + "\n"));
  } else {
    used += encoder.encodeInto(line, buffer.subarray(used)).written;
    buffer[used++] = NEWLINE;
  }
  if (ORDER[level] >= ORDER.warn) flushLogs();
  else if (timer === undefined) {
    timer = setTimeout(flushLogs, FLUSH_MS);
    Deno.unrefTimer(timer as unknown as number); // never keeps a process alive
  }
};

let sink: (line: string, level: Level) => void = stderrSink;

globalThis.addEventListener("unload", flushLogs);

/** Set the lowest level written. */
export function setLogLevel(level: Level): void {
  threshold = level;
}

/** Send log lines elsewhere (tests capture them); returns the previous sink. */
export function setLogSink(
  next: (line: string, level: Level) => void,
): (line: string, level: Level) => void {
  flushLogs();
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
  sink(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }), level);
}

let isoMs = 0;
let isoText = "";

/** `new Date().toISOString()`, reused within one millisecond. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/**
 * The request log line (the same fields as `log("info", "request", {...})`), built without an
 * intermediate object: it is written once per request, so it is kept cheap.
 */
export function logRequest(
  method: string,
  path: string,
  route: string | undefined,
  status: number,
  ms: number,
): void {
  const level: Level = status >= 500 ? "error" : "info";
  if (ORDER[level] < ORDER[threshold]) return;
  sink(
    `{"time":"${isoNow()}","level":"${level}","msg":"request","method":` +
      `${JSON.stringify(method)},"path":${JSON.stringify(path)},"route":${
        route === undefined ? "null" : JSON.stringify(route)
      },"status":${status},"ms":${ms}}`,
    level,
  );
}
