/**
 * Natural keys in paths: the parameter name and format of each kind's code, and their
 * validation (upper-cased first, so `rgt01` finds `RGT01`).
 *
 * @module
 */
import type { Kind } from "../model.ts";
import { normalizeCode } from "../ods/record.ts";
import { ApiError } from "./errors.ts";

/** How a kind's code appears in a path. */
export interface CodeParam {
  /** Path parameter name, as the original: `ods_code`, `pz_code`, `gss_code`... */
  name: string;
  /** Format after upper-casing. */
  pattern: RegExp;
  example: string;
  description: string;
}

const ODS = /^[A-Z0-9]{3,10}$/;

/** The code parameter of every kind. */
export const CODE_PARAMS: { readonly [K in Kind]: CodeParam } = {
  organisation: {
    name: "ods_code",
    pattern: ODS,
    example: "RGT01",
    description: "ODS code of the organisation",
  },
  trust: { name: "ods_code", pattern: ODS, example: "RGT", description: "ODS code of the trust" },
  local_health_board: {
    name: "ods_code",
    pattern: ODS,
    example: "7A4",
    description: "ODS code of the local health board",
  },
  integrated_care_board: {
    name: "ods_code",
    pattern: ODS,
    example: "QUE",
    description: "ODS code of the integrated care board",
  },
  nhs_england_region: {
    name: "region_code",
    pattern: /^Y\d{2}$/,
    example: "Y61",
    description: "NHS England region code",
  },
  country: {
    name: "boundary_identifier",
    pattern: /^(?:[A-Z]\d{8}|JEY)$/,
    example: "E92000001",
    description: "ONS country code, or JEY for Jersey",
  },
  london_borough: {
    name: "gss_code",
    pattern: /^[A-Z]\d{8}$/,
    example: "E09000022",
    description: "ONS GSS code of the London borough",
  },
  paediatric_diabetes_unit: {
    name: "pz_code",
    pattern: /^PZ\d{3}$/,
    example: "PZ041",
    description: "PZ code of the paediatric diabetes unit",
  },
  paediatric_diabetes_network: {
    name: "pn_code",
    pattern: /^PN\d{2}$/,
    example: "PN06",
    description: "PN code of the paediatric diabetes network",
  },
  openuk_network: {
    name: "boundary_identifier",
    pattern: /^[A-Z0-9]{2,12}$/,
    example: "EPEN",
    description: "Code of the OPEN UK network",
  },
  general_practice: {
    name: "ods_code",
    pattern: ODS,
    example: "G81086",
    description: "ODS code of the GP practice",
  },
  sub_icb_location: {
    name: "ods_code",
    pattern: ODS,
    example: "97R",
    description: "ODS code of the sub-ICB location",
  },
};

/**
 * The code of `kind` given in a path, normalised ({@linkcode normalizeCode}: trimmed and
 * upper-cased). Throws a 400 {@linkcode ApiError} when it does not have the kind's format (the
 * value is not echoed).
 *
 * @example
 * ```ts
 * import { codeFromPath } from "./codes.ts";
 *
 * codeFromPath("organisation", "rgt01"); // "RGT01"
 * ```
 */
export function codeFromPath(kind: Kind, raw: string | undefined): string {
  const param = CODE_PARAMS[kind];
  const code = normalizeCode(raw ?? "");
  if (code.length > 20 || !param.pattern.test(code)) {
    throw new ApiError(400, "malformed code", {
      [param.name]: [`expected ${param.pattern.source}, e.g. ${param.example}`],
    }, "Malformed code.");
  }
  return code;
}
