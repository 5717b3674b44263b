/**
 * `POST /_sim/mutate`: one dataset mutation described by a JSON body (`{"op": "rename", …}`),
 * validated and applied. Ops: rename, reparent, setIcb, close, addRecord, delete, setAddress,
 * setContacts.
 *
 * @module
 */

import type { OdsDataset } from "./dataset.ts";
import type { OrdContact, OrdLocation, OrdOrganisation, OrdRecord } from "./ord_types.ts";

type Body = Record<string, unknown>;

function isRecord(v: unknown): v is Body {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Body, k: string): string | undefined {
  const v = o[k];
  return typeof v === "string" ? v : undefined;
}

function reqStr(o: Body, k: string): string {
  const v = str(o, k);
  if (v === undefined) throw new TypeError(`${k} (string) is required`);
  return v;
}

type Op = (ds: OdsDataset, b: Body, on: string | undefined) => unknown;

/** `effective` and `activeInAdvance` of a move. */
function moveOptions(b: Body): { effective?: string; activeInAdvance?: boolean } {
  return { effective: str(b, "effective"), activeInAdvance: b.activeInAdvance === true };
}

const OPS = new Map<string, Op>(Object.entries(
  {
    rename: (ds, b, on) => ds.rename(reqStr(b, "code"), reqStr(b, "name"), on),
    reparent: (ds, b, on) => ds.reparent(reqStr(b, "code"), reqStr(b, "trust"), on, moveOptions(b)),
    setIcb: (ds, b, on) => ds.setIcb(reqStr(b, "code"), reqStr(b, "icb"), on, moveOptions(b)),
    close: (ds, b, on) =>
      ds.close(reqStr(b, "code"), reqStr(b, "endDate"), { successor: str(b, "successor"), on }),
    addRecord: (ds, b, on) => {
      const rec = b.record;
      if (!isRecord(rec)) throw new TypeError("record (object) is required");
      // Trusted test input: the control API accepts any ORD-shaped object as-is.
      return ds.addRecord(rec as unknown as OrdOrganisation | OrdRecord, on);
    },
    delete: (ds, b, on) => {
      ds.delete(reqStr(b, "code"), on);
      return { deleted: reqStr(b, "code") };
    },
    setAddress: (ds, b, on) => {
      const loc = b.location;
      if (loc !== null && !isRecord(loc)) throw new TypeError("location must be an object or null");
      return ds.setAddress(reqStr(b, "code"), loc as OrdLocation | null, on);
    },
    setContacts: (ds, b, on) => {
      const contacts = b.contacts;
      if (!Array.isArray(contacts)) throw new TypeError("contacts must be an array");
      const list: OrdContact[] = contacts.filter(isRecord).map((c) => ({
        type: String(c.type),
        value: String(c.value),
      }));
      return ds.setContacts(reqStr(b, "code"), list, on);
    },
  } satisfies Record<string, Op>,
));

/**
 * Applies the mutation `body` describes to `dataset`; returns what the mutation returns.
 * Throws a `TypeError` naming the problem for an unknown op or a missing field.
 *
 * @example
 * ```ts
 * import { mutate } from "./control_mutate.ts";
 * import { OdsDataset } from "./dataset.ts";
 * import { sampleRWR } from "./samples.ts";
 * import { equal, throws } from "node:assert/strict";
 * const ds = new OdsDataset({ records: [sampleRWR()], today: () => "2025-06-10" });
 * mutate(ds, { op: "rename", code: "RWR", name: "VIA CONTROL" });
 * equal(ds.working("RWR")?.Name, "VIA CONTROL");
 * throws(() => mutate(ds, { op: "explode" }), /unknown op/);
 * ```
 */
export function mutate(dataset: OdsDataset, body: Body): unknown {
  const op = reqStr(body, "op");
  const apply = OPS.get(op);
  if (!apply) throw new TypeError(`unknown op ${op}`);
  return apply(dataset, body, str(body, "on"));
}
