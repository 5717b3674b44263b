/**
 * The build worker (see off_thread.ts): holds the rows of the few latest views it was sent and
 * answers list queries over them with {@linkcode listBody}, off the thread that serves requests.
 *
 * Messages in: `{ type: "rows", id, rows }` (keep these rows under `id`), `{ type: "build", id,
 * rowsId, query }`, `{ type: "share", share }` (the CPU it may take, see cpu_share.ts: it rests
 * between builds, blocked, when it has had its share). Out: `{ id, body }`, or `{ id, missing:
 * true }` when the rows under `rowsId` were dropped (the sender sends them again); a body comes
 * with `restedMs`, how long the worker rested before building it.
 *
 * @module
 */
import { CpuShare, type CpuShareOptions } from "./cpu_share.ts";
import { listBody, type ListQuery, type Row } from "./list_body.ts";

/** Views kept; the least recently sent or used is dropped first. */
const KEPT = 8;

const views = new Map<number, readonly Row[]>();

let share: CpuShare | null = null;

/** What the worker blocks on to rest (nothing ever wakes it: the wait times out). */
const resting = new Int32Array(new SharedArrayBuffer(4));

type Message =
  | { type: "rows"; id: number; rows: readonly Row[] }
  | { type: "build"; id: number; rowsId: number; query: ListQuery }
  | { type: "share"; share: CpuShareOptions };

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Message>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === "share") return void (share = new CpuShare(m.share));
  if (m.type === "rows") {
    views.delete(m.id);
    views.set(m.id, m.rows);
    if (views.size > KEPT) views.delete(views.keys().next().value!);
    return;
  }
  const rows = views.get(m.rowsId);
  if (!rows) return scope.postMessage({ id: m.id, missing: true });
  views.delete(m.rowsId);
  views.set(m.rowsId, rows);
  const rest = share?.restBefore() ?? 0;
  if (rest > 0) Atomics.wait(resting, 0, 0, rest);
  const start = performance.now();
  try {
    const body = listBody(rows, m.query);
    share?.spent(performance.now() - start);
    scope.postMessage({ id: m.id, body, restedMs: rest });
  } catch (err) {
    scope.postMessage({ id: m.id, error: String(err) });
  }
};
