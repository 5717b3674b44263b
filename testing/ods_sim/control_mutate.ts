/**
 * `POST /_sim/mutate`: one dataset mutation described by a JSON body (`{"op": "rename", …}`),
 * validated and applied. Ops: rename, reparent, setIcb, close, addRecord, delete, setAddress,
 * setContacts; for GP practices setCommissioner (RE4 → another sub-ICB location), setPcn (RE8 →
 * another PCN, or `"pcn": null` to leave it) and addPractice (a new practice); and for the
 * postcode directory setPostcode and deletePostcode (applied at once: postcode data isn't dated).
 * Every record mutation is dated `on` (default the simulator's today) and published at the
 * first publication after that day, like the dataset's other mutations.
 *
 * @module
 */

import type { OdsDataset } from "./dataset.ts";
import { buildGpPractice } from "./kinds.ts";
import type { OrdContact, OrdLocation, OrdOrganisation, OrdRecord } from "./ord_types.ts";
import { canonicalPostcode, derivePostcode, type PostcodeGeography } from "./postcodes.ts";
import { primaryRoleOf } from "./record.ts";

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

function contactsOf(v: unknown): OrdContact[] {
  if (!Array.isArray(v)) throw new TypeError("contacts must be an array");
  return v.filter(isRecord).map((c) => ({ type: String(c.type), value: String(c.value) }));
}

/** The primary role (id and uniqueRoleId) of a code in the dataset, if it holds it. */
function roleOf(ds: OdsDataset, code: string): { id: string; uniqueRoleId: number } | undefined {
  const org = ds.working(code);
  return org ? primaryRoleOf(org) : undefined;
}

/**
 * `addPractice`: a new GP practice (RO177 + RO76) opened `start` (default `on`), RE4 →
 * `commissioner` (its role read from the dataset: RO98, or a Welsh board's), optional RE8 →
 * `pcn`, at `location` (an ORD `GeoLoc.Location`) or at `postcode` in `town`, with an optional
 * `telephone`.
 */
function addPractice(ds: OdsDataset, b: Body, on: string | undefined): OrdOrganisation {
  const day = on ?? ds.today();
  const start = str(b, "start") ?? day;
  const commissioner = reqStr(b, "commissioner");
  const pcn = str(b, "pcn");
  const location = isRecord(b.location) ? b.location as OrdLocation : {
    ...(str(b, "addressLine1") ? { AddrLn1: str(b, "addressLine1") } : {}),
    ...(str(b, "town") ? { Town: str(b, "town") } : {}),
    PostCode: reqStr(b, "postcode"),
    Country: str(b, "country") ?? "ENGLAND",
  };
  const phone = str(b, "telephone");
  const target = roleOf(ds, commissioner);
  return ds.addRecord(
    buildGpPractice({
      code: reqStr(b, "code"),
      name: reqStr(b, "name"),
      lastChangeDate: day,
      start,
      address: location,
      contacts: phone ? [{ type: "tel", value: phone }] : undefined,
      commissioner,
      commissionerRole: target?.id ?? "RO98",
      commissionerUniqueRoleId: target?.uniqueRoleId,
      commissionerSince: start,
      pcn,
      pcnUniqueRoleId: pcn ? roleOf(ds, pcn)?.uniqueRoleId : undefined,
      pcnSince: start,
    }),
    day,
  );
}

/**
 * `setPostcode`: a postcode's geography, from the table (when it covers the postcode) with the
 * given fields (`pco`, `icb`, `nhser`, `la`, `lsoa11`, `gor`, `country`) on top.
 */
function setPostcode(ds: OdsDataset, b: Body): PostcodeGeography {
  const postcode = canonicalPostcode(reqStr(b, "postcode"));
  if (!postcode) throw new TypeError(`not a postcode: ${b.postcode}`);
  const derived = derivePostcode(postcode, ds.postcodes.mapping());
  const pick = (k: keyof PostcodeGeography) => str(b, k) ?? derived?.[k];
  const pco = pick("pco"), la = pick("la");
  if (!pco || !la) throw new TypeError("pco and la (strings) are required for this postcode");
  const country = pick("country") === "WALES" ? "WALES" : "ENGLAND";
  const icb = pick("icb"), nhser = pick("nhser");
  return ds.postcodes.set({
    postcode,
    pco,
    ...(icb ? { icb } : {}),
    ...(nhser ? { nhser } : {}),
    la,
    lsoa11: pick("lsoa11") ?? "E01000001",
    gor: pick("gor") ?? (country === "WALES" ? "W" : "J"),
    country,
  });
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
    setContacts: (ds, b, on) => ds.setContacts(reqStr(b, "code"), contactsOf(b.contacts), on),
    setCommissioner: (ds, b, on) =>
      ds.setCommissioner(reqStr(b, "code"), reqStr(b, "commissioner"), on, moveOptions(b)),
    setPcn: (ds, b, on) => {
      if (b.pcn !== null && typeof b.pcn !== "string") {
        throw new TypeError("pcn (string or null) is required");
      }
      return ds.setPcn(reqStr(b, "code"), b.pcn, on, moveOptions(b));
    },
    addPractice,
    setPostcode: (ds, b) => setPostcode(ds, b),
    deletePostcode: (ds, b) => {
      ds.postcodes.remove(reqStr(b, "postcode"));
      return { deleted: canonicalPostcode(reqStr(b, "postcode")) };
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
