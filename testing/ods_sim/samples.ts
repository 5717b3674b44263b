/**
 * Real ORD records captured from the live ORD 2-0-0 API (`testdata/ods/`), served by the
 * simulator as they are: Kent & Canterbury Hospital (RVVKC, a trust site), Hertfordshire
 * Partnership University NHS FT (RWR, a trust with a long relationship history) and Wigan and
 * Leigh Health Services NHS Trust (RJY, an archived `refOnly` record).
 *
 * Each call returns a fresh copy, so the simulator may change it in place.
 *
 * @module
 */

import rjy from "../../testdata/ods/RJY.json" with { type: "json" };
import rvvkc from "../../testdata/ods/RVVKC.json" with { type: "json" };
import rwr from "../../testdata/ods/RWR.json" with { type: "json" };
import { cloneJson } from "./clone.ts";
import type { OrdOrganisation, OrdRecord } from "./ord_types.ts";

function organisation(captured: unknown): OrdOrganisation {
  return cloneJson((captured as OrdRecord).Organisation);
}

/**
 * Kent & Canterbury Hospital (RVVKC), as captured from the live ORD API.
 *
 * @example
 * ```ts
 * import { sampleRVVKC } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * equal(sampleRVVKC().Name, "KENT & CANTERBURY HOSPITAL");
 * ```
 */
export function sampleRVVKC(): OrdOrganisation {
  return organisation(rvvkc);
}

/**
 * Hertfordshire Partnership University NHS FT (RWR), as captured from the live ORD API.
 *
 * @example
 * ```ts
 * import { sampleRWR } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * equal(sampleRWR().Rels?.Rel.length, 7);
 * ```
 */
export function sampleRWR(): OrdOrganisation {
  return organisation(rwr);
}

/**
 * Wigan and Leigh Health Services NHS Trust (RJY), archived `refOnly`, as captured.
 *
 * @example
 * ```ts
 * import { sampleRJY } from "./samples.ts";
 * import { equal } from "node:assert/strict";
 * equal(sampleRJY().refOnly, true);
 * ```
 */
export function sampleRJY(): OrdOrganisation {
  return organisation(rjy);
}
