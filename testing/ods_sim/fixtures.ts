/**
 * The simulator's default world: the three real captured samples plus a small synthetic but
 * realistic hierarchy around them (England: regions, ICBs, a trust; Wales: a board and a site; a
 * GP practice; a merger and a trust about to close).
 *
 * @module
 */

import { addDays } from "./clock.ts";
import { IdAllocator } from "./ids.ts";
import {
  buildGpPractice,
  buildIcb,
  buildLhb,
  buildMergedPair,
  buildRegion,
  buildSite,
  buildTrust,
  buildTrustWithFutureEnd,
  buildWelshSite,
} from "./kinds.ts";
import type { OrdOrganisation } from "./ord_types.ts";
import { primaryRoleOf } from "./record.ts";
import { sampleRJY, sampleRVVKC, sampleRWR } from "./samples.ts";

/** Options for {@link defaultFixtures}. */
export interface FixtureOptions {
  /** "Today" used for relative dates (the future End date, recent LastChangeDates). */
  today: string;
  /** Role code of Welsh LHBs (default RO144). */
  lhbRole?: string;
  /** Role code of Welsh LHB sites (default RO149). */
  welshSiteRole?: string;
  ids?: IdAllocator;
}

/** NHS England regions Y59 and Y61, and ICBs QKS and QM7 under them. */
function regionsAndIcbs(ids: IdAllocator): OrdOrganisation[] {
  return [
    buildRegion({
      code: "Y59",
      name: "SOUTH EAST COMMISSIONING REGION",
      lastChangeDate: "2023-04-01",
      start: "2018-04-01",
      primaryRoleUniqueId: 300900,
      address: {
        AddrLn1: "WELLINGTON HOUSE",
        Town: "LONDON",
        PostCode: "SE1 8UG",
        Country: "ENGLAND",
      },
      ids,
    }),
    buildRegion({
      code: "Y61",
      name: "EAST OF ENGLAND COMMISSIONING REGION",
      lastChangeDate: "2023-04-01",
      start: "2018-04-01",
      primaryRoleUniqueId: 300901,
      address: {
        AddrLn1: "2-4 VICTORIA HOUSE",
        Town: "CAMBRIDGE",
        PostCode: "CB21 5XA",
        Country: "ENGLAND",
      },
      ids,
    }),
    buildIcb({
      code: "QKS",
      name: "NHS KENT AND MEDWAY INTEGRATED CARE BOARD",
      lastChangeDate: "2023-07-04",
      start: "2020-04-01",
      primaryRoleUniqueId: 300790,
      region: "Y59",
      regionUniqueRoleId: 300900,
      address: {
        AddrLn1: "KENT HOUSE",
        Town: "MAIDSTONE",
        PostCode: "ME14 1XX",
        Country: "ENGLAND",
      },
      ids,
    }),
    buildIcb({
      code: "QM7",
      name: "NHS HERTFORDSHIRE AND WEST ESSEX INTEGRATED CARE BOARD",
      lastChangeDate: "2023-07-04",
      start: "2020-04-01",
      primaryRoleUniqueId: 300786,
      region: "Y61",
      regionUniqueRoleId: 300901,
      address: { AddrLn1: "THE SUMMIT", Town: "HARLOW", PostCode: "CM20 2FB", Country: "ENGLAND" },
      ids,
    }),
  ];
}

/** Trust RVV (RE5 → ICB QKS), which operates the RVVKC sample. */
function trustRvv(ids: IdAllocator): OrdOrganisation {
  return buildTrust({
    code: "RVV",
    name: "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST",
    lastChangeDate: "2023-05-18",
    start: "1999-04-01",
    primaryRoleUniqueId: 41756,
    foundationTrust: true,
    icb: "QKS",
    icbUniqueRoleId: 300790,
    historicRe5: [{ target: "Q67", targetRole: "RO210", start: "2016-04-01", end: "2020-03-31" }],
    address: {
      AddrLn1: "KENT & CANTERBURY HOSPITAL",
      AddrLn2: "ETHELBERT ROAD",
      Town: "CANTERBURY",
      County: "KENT",
      PostCode: "CT1 3NG",
      Country: "ENGLAND",
    },
    contacts: [{ type: "tel", value: "01227 766877" }],
    ids,
  });
}

/** Welsh LHB 7A1 and its site 7A1A4. */
function wales(o: FixtureOptions, ids: IdAllocator): OrdOrganisation[] {
  return [
    buildLhb({
      code: "7A1",
      name: "BETSI CADWALADR UNIVERSITY LHB",
      lastChangeDate: "2022-10-10",
      start: "2009-10-01",
      role: o.lhbRole,
      primaryRoleUniqueId: 300950,
      address: {
        AddrLn1: "YSBYTY GWYNEDD",
        Town: "BANGOR",
        PostCode: "LL57 2PW",
        Country: "WALES",
      },
      ids,
    }),
    buildWelshSite({
      code: "7A1A4",
      name: "YSBYTY GWYNEDD",
      lastChangeDate: "2022-10-10",
      start: "2009-10-01",
      lhb: "7A1",
      lhbRole: o.lhbRole,
      lhbUniqueRoleId: 300950,
      siteRole: o.welshSiteRole,
      address: {
        AddrLn1: "PENRHOSGARNEDD",
        Town: "BANGOR",
        PostCode: "LL57 2PW",
        Country: "WALES",
      },
      ids,
    }),
  ];
}

/** GP practice G81086 (RO177 + RO76, RE4 → 97R, RE8 → U36842). */
function gpPractice(ids: IdAllocator): OrdOrganisation {
  return buildGpPractice({
    code: "G81086",
    name: "BIRD-IN-EYE SURGERY",
    lastChangeDate: "2023-08-22",
    start: "1974-04-01",
    commissioner: "97R",
    pcn: "U36842",
    address: {
      AddrLn1: "UCKFIELD COMMUNITY HOSPITAL",
      AddrLn2: "FRAMFIELD ROAD",
      Town: "UCKFIELD",
      PostCode: "TN22 5AW",
      Country: "ENGLAND",
    },
    ids,
  });
}

/** Merged trusts RZA → RZB, and RZC (with its site RZC01) closing 7 days after `today`. */
function mergers(o: FixtureOptions, ids: IdAllocator): OrdOrganisation[] {
  const recent = addDays(o.today, -30);
  const [closed, successor] = buildMergedPair({
    from: {
      code: "RZA",
      name: "SIMULATED WEST NHS TRUST",
      lastChangeDate: recent,
      start: "2001-04-01",
      icb: "QKS",
      icbUniqueRoleId: 300790,
      address: {
        AddrLn1: "1 WEST ROAD",
        Town: "ASHFORD",
        PostCode: "TN24 0AA",
        Country: "ENGLAND",
      },
    },
    to: {
      code: "RZB",
      name: "SIMULATED UNITED NHS TRUST",
      lastChangeDate: recent,
      start: "2001-04-01",
      icb: "QKS",
      icbUniqueRoleId: 300790,
      address: {
        AddrLn1: "1 EAST ROAD",
        Town: "ASHFORD",
        PostCode: "TN24 0AB",
        Country: "ENGLAND",
      },
    },
    on: addDays(o.today, -45),
    ids,
  });
  const closing = buildTrustWithFutureEnd({
    code: "RZC",
    name: "SIMULATED CLOSING NHS TRUST",
    lastChangeDate: recent,
    start: "2005-04-01",
    endDate: addDays(o.today, 7),
    icb: "QM7",
    icbUniqueRoleId: 300786,
    address: { AddrLn1: "1 NORTH ROAD", Town: "HARLOW", PostCode: "CM20 1AA", Country: "ENGLAND" },
    ids,
  });
  return [
    closed,
    successor,
    closing,
    buildSite({
      code: "RZC01",
      name: "SIMULATED CLOSING HOSPITAL",
      lastChangeDate: recent,
      start: "2005-04-01",
      trust: "RZC",
      trustUniqueRoleId: primaryRoleOf(closing)?.uniqueRoleId,
      address: {
        AddrLn1: "1 NORTH ROAD",
        Town: "HARLOW",
        PostCode: "CM20 1AA",
        Country: "ENGLAND",
      },
      ids,
    }),
  ];
}

/**
 * The default small dataset: the three real samples plus a synthetic but realistic hierarchy:
 * trust RVV (RE5 → ICB QKS) operating RVVKC, ICBs QKS/QM7 (RO261 + RO318, RE5 → regions
 * Y59/Y61), regions Y59/Y61 (RO209), Welsh LHB 7A1 and site 7A1A4 (RE6 → 7A1), GP practice
 * G81086 (RO177 + RO76, RE4 → 97R, RE8 → U36842), merged trusts RZA → RZB (Succs) and RZC
 * (Active with an operational End date 7 days after `today`).
 *
 * @example
 * ```ts
 * import { defaultFixtures } from "./fixtures.ts";
 * import { ok } from "node:assert/strict";
 * const codes = defaultFixtures({ today: "2025-06-10" }).map((r) => r.OrgId.extension);
 * ok(codes.includes("RVVKC") && codes.includes("RZC01"));
 * ```
 */
export function defaultFixtures(o: FixtureOptions): OrdOrganisation[] {
  const ids = o.ids ?? new IdAllocator(2_000_000);
  return [
    sampleRVVKC(),
    sampleRWR(),
    sampleRJY(),
    ...regionsAndIcbs(ids),
    trustRvv(ids),
    ...wales(o, ids),
    gpPractice(ids),
    ...mergers(o, ids),
  ];
}
