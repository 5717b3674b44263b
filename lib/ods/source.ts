/**
 * The two ways of reading ODS behind one interface, and the one the configuration names:
 *
 * - **ORD 2-0-0** ({@linkcode OrdSource}, `./ord_source.ts`): `/sync` lists changed codes, then
 *   one request per tracked code;
 * - **FHIR R4 ODT** ({@linkcode FhirSource}, `./fhir_source.ts`): pages of full records and
 *   their relationships.
 *
 * The interface, the error and what both share are in `./source_base.ts`, re-exported here.
 *
 * @module
 */

import type { OdsConfig } from "../config.ts";
import { FhirSource } from "./fhir_source.ts";
import { OrdSource } from "./ord_source.ts";
import type { OdsSource, SourceOptions } from "./source_base.ts";

export type { DeletedRecord } from "./ord.ts";
export {
  type ChangeSet,
  type FetchOutcome,
  OdsError,
  type OdsErrorKind,
  type OdsSource,
  type OnProgress,
  type SourceOptions,
  type SuccessionLookup,
} from "./source_base.ts";
export { FhirSource, OrdSource };

/**
 * The source named by `config.source`. Create one per run: a source gives up on an unreachable
 * host for the rest of its life.
 *
 * @example
 * ```ts
 * import { loadConfig } from "../config.ts";
 * import { createOdsSource } from "./source.ts";
 *
 * const source = createOdsSource(loadConfig({ KV_PATH: ":memory:" }).ods);
 * source.name; // "ord"
 * ```
 */
export function createOdsSource(config: OdsConfig, options: SourceOptions = {}): OdsSource {
  return config.source === "fhir"
    ? new FhirSource(config, options)
    : new OrdSource(config, options);
}
