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
  else scheduleFlush();
};

function scheduleFlush(): void {
  if (timer === undefined) {
    timer = setTimeout(flushLogs, FLUSH_MS);
    Deno.unrefTimer(timer as unknown as number); // never keeps a process alive
  }
}

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

let isoMs = -1;
let isoText = "";
/** `isoText`, ASCII-encoded. */
const isoBytes = new Uint8Array(24);

/** `new Date().toISOString()`, reused within one millisecond. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
    encoder.encodeInto(isoText, isoBytes);
  }
  return isoText;
}

const TIME_OPEN = encoder.encode(`{"time":"`);

/**
 * A request log line made ready once for one method, path, route and status: everything but
 * the time and the duration, already encoded. Serving the same path again only copies it.
 *
 * @example
 * ```ts
 * const line = new RequestLine("GET", "/trusts/", "/trusts", 200);
 * logPrepared(line, 0.04);
 * ```
 */
export class RequestLine {
  readonly level: Level;
  /** From the quote closing the time to `"ms":`. */
  readonly tail: string;
  readonly bytes: Uint8Array;

  constructor(method: string, path: string, route: string | undefined, status: number) {
    this.level = requestLevel(status);
    this.tail = requestTail(this.level, method, path, route, status);
    this.bytes = encoder.encode(this.tail);
  }
}

function requestLevel(status: number): Level {
  return status >= 500 ? "error" : "info";
}

/** A request line from the quote closing the time to `"ms":`. */
function requestTail(
  level: Level,
  method: string,
  path: string,
  route: string | undefined,
  status: number,
): string {
  return `","level":"${level}","msg":"request","method":${JSON.stringify(method)},` +
    `"path":${JSON.stringify(path)},"route":${
      route === undefined ? "null" : JSON.stringify(route)
    },"status":${status},"ms":`;
}

/** Write the digits of `hundredths / 100` as JavaScript prints the number (`0.05`, `1.2`, `3`). */
function writeHundredths(hundredths: number): void {
  let whole = Math.floor(hundredths / 100);
  const frac = hundredths - whole * 100;
  const start = used;
  do {
    buffer[used++] = 48 + whole % 10;
    whole = Math.floor(whole / 10);
  } while (whole > 0);
  buffer.subarray(start, used).reverse();
  if (frac) {
    buffer[used++] = 46; // .
    buffer[used++] = 48 + Math.floor(frac / 10);
    if (frac % 10) buffer[used++] = 48 + frac % 10;
  }
}

/**
 * Write a prepared request log line with the current time and `ms` (rounded to hundredths).
 * Into the stderr buffer it goes as bytes, without building the line as text.
 */
export function logPrepared(line: RequestLine, ms: number): void {
  if (ORDER[line.level] < ORDER[threshold]) return;
  const hundredths = Math.round(ms * 100);
  const time = isoNow();
  // Room for 9 + 24 bytes of time, the tail, the digits and "}\n".
  const room = line.bytes.length + 60;
  if (sink !== stderrSink || room > MAX_BUFFER) {
    sink(`{"time":"${time}${line.tail}${hundredths / 100}}`, line.level);
    return;
  }
  if (room > MAX_BUFFER - used) flushLogs();
  buffer.set(TIME_OPEN, used);
  buffer.set(isoBytes, used + TIME_OPEN.length);
  used += TIME_OPEN.length + isoBytes.length;
  buffer.set(line.bytes, used);
  used += line.bytes.length;
  writeHundredths(hundredths);
  buffer[used++] = 125; // }
  buffer[used++] = NEWLINE;
  if (ORDER[line.level] >= ORDER.warn) flushLogs();
  else scheduleFlush();
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
  const level = requestLevel(status);
  if (ORDER[level] < ORDER[threshold]) return;
  const tail = requestTail(level, method, path, route, status);
  sink(`{"time":"${isoNow()}${tail}${Math.round(ms * 100) / 100}}`, level);
}
