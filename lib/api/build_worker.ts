/**
 * The build worker (see off_thread.ts): holds the rows of the few latest views it was sent and
 * answers list queries over them with {@linkcode listBody}, off the thread that serves requests.
 *
 * Messages in: `{ type: "rows", id, rows }` (keep these rows under `id`), `{ type: "build", id,
 * rowsId, query }`. Out: `{ id, body }`, or `{ id, missing: true }` when the rows under
 * `rowsId` were dropped (the sender sends them again).
 *
 * @module
 */
import { listBody, type ListQuery, type Row } from "./list_body.ts";

/** Views kept; the least recently sent or used is dropped first. */
const KEPT = 8;

const views = new Map<number, readonly Row[]>();

type Message =
  | { type: "rows"; id: number; rows: readonly Row[] }
  | { type: "build"; id: number; rowsId: number; query: ListQuery };

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Message>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
  const m = e.data;
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
  try {
    scope.postMessage({ id: m.id, body: listBody(rows, m.query) });
  } catch (err) {
    scope.postMessage({ id: m.id, error: String(err) });
  }
};
