/**
 * The ORD 2-0-0 record shape the simulator holds and serves: the object inside
 * `{"Organisation": …}` of `/organisations/{code}`, with the key order ORD uses.
 *
 * @module
 */

/** OID of ODS organisation codes, as in every real `OrgId.root`. */
export const ORD_ROOT = "2.16.840.1.113883.2.1.3.2.4.18.48";

/** `Active` / `Inactive`. */
export type OrdStatus = "Active" | "Inactive";

/** An ORD `Date` element. `End` is omitted while open. */
export interface OrdDate {
  Type: "Operational" | "Legal";
  Start: string;
  End?: string;
}

/** An ORD `OrgId` object. */
export interface OrdOrgId {
  root: string;
  assigningAuthorityName: string;
  extension: string;
}

/** An ORD role. `primaryRole` is only present (as `true`) on the primary role. */
export interface OrdRole {
  id: string;
  uniqueRoleId: number;
  primaryRole?: true;
  Date: OrdDate[];
  Status: OrdStatus;
}

/** Target of a relationship or succession. */
export interface OrdTarget {
  OrgId: OrdOrgId;
  PrimaryRoleId: { id: string; uniqueRoleId: number };
}

/** An ORD relationship (stored on the source/child record, pointing at the target/parent). */
export interface OrdRel {
  Date: OrdDate[];
  Status: OrdStatus;
  Target: OrdTarget;
  id: string;
  uniqueRelId: number;
}

/** An ORD succession, typed from the viewpoint of the record that holds it. */
export interface OrdSucc {
  uniqueSuccId: number;
  Date: OrdDate[];
  Type: "Predecessor" | "Successor";
  Target: OrdTarget;
  forwardSuccession?: true;
}

/** `GeoLoc.Location`; every field may be missing. UPRN is a JSON number. */
export interface OrdLocation {
  AddrLn1?: string;
  AddrLn2?: string;
  AddrLn3?: string;
  Town?: string;
  County?: string;
  PostCode?: string;
  Country?: string;
  UPRN?: number;
}

/** A `Contacts.Contact[]` item, e.g. `{type:"tel", value:"01707 253800"}`. */
export interface OrdContact {
  type: string;
  value: string;
}

/** The inner object of a full ORD record. */
export interface OrdOrganisation {
  Name: string;
  Date: OrdDate[];
  OrgId: OrdOrgId;
  Status: OrdStatus;
  LastChangeDate: string;
  orgRecordClass: "RC1" | "RC2";
  refOnly?: true;
  GeoLoc?: { Location: OrdLocation };
  Contacts?: { Contact: OrdContact[] };
  Roles: { Role: OrdRole[] };
  Rels?: { Rel: OrdRel[] };
  Succs?: { Succ: OrdSucc[] };
}

/** A full ORD record as served by `/organisations/{code}`. */
export interface OrdRecord {
  Organisation: OrdOrganisation;
}
