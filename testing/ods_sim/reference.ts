/**
 * ODS reference data the simulator serves from `/roles`, `/rels` and `/recordclasses` (a
 * realistic subset of the real tables), and which roles are sites.
 *
 * @module
 */

/** Role reference data: display name and whether it is a primary role. */
export interface RoleInfo {
  displayName: string;
  primary: boolean;
}

/** Role reference data served by `/roles` (a realistic subset of the real table). */
export const ROLES: Readonly<Record<string, RoleInfo>> = {
  RO57: { displayName: "FOUNDATION TRUST", primary: false },
  RO76: { displayName: "GP PRACTICE", primary: false },
  RO98: { displayName: "CLINICAL COMMISSIONING GROUP", primary: true },
  RO132: { displayName: "HEALTH AUTHORITY (HA)", primary: true },
  RO142: { displayName: "LOCAL HEALTH BOARD", primary: true },
  RO144: { displayName: "WELSH LOCAL HEALTH BOARD", primary: true },
  RO148: { displayName: "LOCAL HEALTH BOARD SITE", primary: true },
  RO149: { displayName: "WELSH LOCAL HEALTH BOARD SITE", primary: true },
  RO172: { displayName: "INDEPENDENT SECTOR HEALTHCARE PROVIDER", primary: true },
  RO176: { displayName: "INDEPENDENT SECTOR H/C PROVIDER SITE", primary: true },
  RO177: { displayName: "PRESCRIBING COST CENTRE", primary: true },
  RO181: { displayName: "PHARMACY HEADQUARTER", primary: true },
  RO182: { displayName: "PHARMACY", primary: true },
  RO197: { displayName: "NHS TRUST", primary: true },
  RO198: { displayName: "NHS TRUST SITE", primary: true },
  RO209: { displayName: "NHS ENGLAND (REGION)", primary: true },
  RO210: { displayName: "NHS ENGLAND (REGION, LOCAL OFFICE)", primary: true },
  RO212: { displayName: "NHS ENGLAND (REGION, LOCAL OFFICE) SITE", primary: true },
  RO261: { displayName: "STRATEGIC PARTNERSHIP", primary: true },
  RO262: { displayName: "SUSTAINABILITY TRANSFORMATION PARTNERSHIP", primary: false },
  RO272: { displayName: "PRIMARY CARE NETWORK", primary: true },
  RO318: { displayName: "INTEGRATED CARE BOARD", primary: false },
  RO319: { displayName: "SUB ICB LOCATION", primary: false },
};

/** Relationship reference data served by `/rels`. */
export const RELATIONSHIPS: Readonly<Record<string, string>> = {
  RE1: "HAS A LEGACY RELATIONSHIP TO",
  RE2: "IS A SUB-DIVISION OF",
  RE3: "IS DIRECTED BY",
  RE4: "IS COMMISSIONED BY",
  RE5: "IS LOCATED IN THE GEOGRAPHY OF",
  RE6: "IS OPERATED BY",
  RE8: "IS PARTNER TO",
  RE9: "IS NOMINATED PAYEE FOR",
  RE10: "IS COVID NOMINATED PAYEE FOR",
  RE11: "IS CONSTITUENT OF",
};

/** Record class reference data served by `/recordclasses`. */
export const RECORD_CLASSES: Readonly<Record<string, string>> = {
  RC1: "HSCOrg",
  RC2: "HSCSite",
};

/** Roles whose records are sites (record class RC2). */
export const SITE_ROLES: ReadonlySet<string> = new Set([
  "RO198",
  "RO149",
  "RO148",
  "RO176",
  "RO212",
]);
