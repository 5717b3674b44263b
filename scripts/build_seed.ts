/**
 * Build `data/seed.json` and `data/seed-report.md` from the reference lists in
 * `data/reference/` (the RCPCH 2024 lists and the ONS boundary attributes, in the project's own
 * format, written by `deno task import-reference`).
 *
 * The logic is the pure {@linkcode buildSeed}, one builder per section (in `scripts/seed/`);
 * `main` only reads the reference files and writes the outputs. The output is stable:
 * regenerating from the same input is a no-op diff.
 *
 * ```sh
 * deno task build-seed                    # from data/reference/
 * deno task build-seed --check            # exit 1 if data/ is stale
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KIND_ORDER, KINDS, type SeedMemberships, type SnapshotKind } from "../lib/model.ts";
import type { Seed, SeedRecord, SeedRecords } from "../lib/seed.ts";
import {
  buildCountries,
  buildDiabetesNetworks,
  buildLondonBoroughs,
  buildOpenUkNetworks,
} from "./seed/curated_records.ts";
import { GENERATED_FROM } from "./seed/curated.ts";
import { type BuildNotes, Findings } from "./seed/findings.ts";
import { buildIcbs, buildRegions, chooseTrustIcbs, readIcbMap } from "./seed/icbs.ts";
import { buildOpenUkMemberships } from "./seed/openuk.ts";
import { buildOrganisations, type Org } from "./seed/organisations.ts";
import { buildLocalHealthBoards, buildTrusts, checkMapTrusts } from "./seed/parents.ts";
import { assignPdus, buildPdus, pduMemberships, sharedPdus } from "./seed/pdus.ts";
import { readInputs, type SeedInputs } from "./seed/reference.ts";
import { renderReport } from "./seed/report.ts";
import { byCode } from "./seed/values.ts";

/** What {@linkcode buildSeed} produces. */
export interface BuildResult {
  seed: Seed;
  notes: BuildNotes;
}

/** Every record list of the seed, before sorting. */
type Sections = { [K in SnapshotKind]: SeedRecord<K>[] };

function assertUnique(kind: SnapshotKind, records: SeedRecords): void {
  const list = records[kind] as unknown as Record<string, unknown>[];
  const field = KINDS[kind].key;
  const seen = new Set<unknown>();
  for (const r of list) {
    if (seen.has(r[field])) throw new Error(`duplicate ${kind} ${String(r[field])}`);
    seen.add(r[field]);
  }
}

/** The record lists, each sorted by its key, checked for repeated keys. */
function sortRecords(s: Sections): SeedRecords {
  const records: SeedRecords = {
    country: s.country.sort(byCode((r) => r.boundary_identifier)),
    nhs_england_region: s.nhs_england_region.sort(byCode((r) => r.region_code)),
    integrated_care_board: s.integrated_care_board.sort(byCode((r) => r.ods_code)),
    local_health_board: s.local_health_board.sort(byCode((r) => r.ods_code)),
    trust: s.trust.sort(byCode((r) => r.ods_code)),
    london_borough: s.london_borough.sort(byCode((r) => r.gss_code)),
    paediatric_diabetes_network: s.paediatric_diabetes_network.sort(byCode((r) => r.pn_code)),
    paediatric_diabetes_unit: s.paediatric_diabetes_unit.sort(byCode((r) => r.pz_code)),
    openuk_network: s.openuk_network.sort(byCode((r) => r.boundary_identifier)),
    organisation: s.organisation.sort(byCode((r) => r.ods_code)),
  };
  for (const kind of KIND_ORDER) assertUnique(kind, records);
  return records;
}

/** The seed and notes, sorted for output. */
function assemble(s: Sections, memberships: SeedMemberships, f: Findings): BuildResult {
  const records = sortRecords(s);
  f.notes.trustsWithoutIcb.sort();
  f.notes.multiIcbTrusts.sort(byCode((m) => m.trust_code));
  const seed: Seed = {
    version: 1,
    generated_from: GENERATED_FROM,
    records,
    memberships,
    unresolved: f.unresolved,
  };
  return { seed, notes: f.notes };
}

/** How many seeded organisations each trust in several ICBs has (for the report). */
function countMultiIcbOrganisations(f: Findings, orgs: ReadonlyMap<string, Org>): void {
  for (const m of f.notes.multiIcbTrusts) {
    m.organisations = [...orgs.values()].filter((o) => o.trust_code === m.trust_code).length;
  }
}

/** The set of `key` over `list`. */
function codes<T>(list: readonly T[], key: (t: T) => string): Set<string> {
  return new Set(list.map(key));
}

/**
 * Resolve the reference lists into the seed: records in the lib/model.ts shapes (without
 * `updated_at`), the curated memberships, and every row that could not be resolved. Pure.
 *
 * Sections are built in dependency order (regions → ICBs → trusts and boards → networks →
 * organisations → PDUs); unresolved rows and notes are listed in the order found.
 *
 * @example
 * ```ts
 * import { buildSeed } from "./build_seed.ts";
 * import { readInputs } from "./seed/reference.ts";
 *
 * const { seed } = buildSeed(await readInputs(new URL("../data/reference/", import.meta.url).pathname));
 * seed.records.organisation.length; // 339
 * ```
 */
export function buildSeed(inputs: SeedInputs): BuildResult {
  const f = new Findings();
  const regions = buildRegions(inputs.regions, inputs.onsRegions, f);
  const regionCodes = codes(regions, (r) => r.region_code);
  const icbMap = readIcbMap(inputs.icbLocalAuthorities, f);
  const icbs = buildIcbs(
    inputs.integratedCareBoards,
    icbMap,
    regionCodes,
    inputs.onsIntegratedCareBoards,
    f,
  );
  const trustIcb = chooseTrustIcbs(icbMap, codes(icbs, (i) => i.ods_code), f);

  const trustRows = new Map(inputs.trusts.map((t) => [t.ods_code.trim(), t]));
  const lhbCodes = codes(inputs.localHealthBoards, (l) => l.ods_code.trim());
  checkMapTrusts(trustIcb, trustRows, f);
  const trusts = buildTrusts(inputs.trusts, trustIcb, f);
  const boards = buildLocalHealthBoards(
    inputs.localHealthBoards,
    trustRows,
    inputs.onsLocalHealthBoards,
    f,
  );

  const countries = buildCountries(inputs.countries, inputs.onsCountries, f);
  const boroughs = buildLondonBoroughs(inputs.onsLondonBoroughs);
  const diabetesNetworks = buildDiabetesNetworks(inputs.diabetesNetworks);
  const openUkNetworks = buildOpenUkNetworks(inputs.openUkNetworks);
  const parents = {
    isTrust: (c: string) => trustRows.has(c),
    isBoard: (c: string) => lhbCodes.has(c),
  };
  const openUk = buildOpenUkMemberships(
    inputs.openUkTrusts,
    parents,
    codes(openUkNetworks, (n) => n.boundary_identifier),
    f,
  );

  const orgs = buildOrganisations(inputs.organisations, {
    trustRows,
    lhbCodes,
    trustIcb,
    regionCodes,
    openUk,
    countryCodes: codes(countries, (c) => c.boundary_identifier),
    boroughCodes: codes(boroughs, (b) => b.gss_code),
  }, f);
  countMultiIcbOrganisations(f, orgs);

  const pdu = pduMemberships(inputs.pzCodesNetworks, inputs.pzCodes, f);
  const pdus = buildPdus(inputs.pzCodesNetworks, codes(diabetesNetworks, (n) => n.pn_code), f);
  f.notes.sharedPdus = sharedPdus(pdu);
  assignPdus(pdu, orgs, parents, f);

  return assemble({
    country: countries,
    nhs_england_region: regions,
    integrated_care_board: icbs,
    local_health_board: boards,
    trust: trusts,
    london_borough: boroughs,
    paediatric_diabetes_network: diabetesNetworks,
    paediatric_diabetes_unit: pdus,
    openuk_network: openUkNetworks,
    organisation: [...orgs.values()],
  }, {
    pdu,
    openuk: openUk.rows,
    trust_icb: [...trustIcb.values()].sort(byCode((m) => m.trust_code)),
  }, f);
}

/**
 * The seed as written to `data/seed.json` (stable: same seed, same bytes).
 *
 * @example
 * ```ts
 * import { serializeSeed } from "./build_seed.ts";
 * import { loadSeedFile } from "../lib/seed.ts";
 *
 * serializeSeed(loadSeedFile()).endsWith("}\n"); // true
 * ```
 */
export function serializeSeed(seed: Seed): string {
  return JSON.stringify(seed, null, 2) + "\n";
}

// ---------------------------------------------------------------------------------------------
// CLI

const HELP = `Build data/seed.json and data/seed-report.md from the reference lists.

Usage: deno task build-seed [--from DIR] [--check]

Options:
  --from DIR   reference directory in the project's format (default data/reference, written by
               deno task import-reference; a given DIR is relative to the working directory)
  --check      do not write; exit 1 if the files in data/ are missing or stale
  -h, --help   show this help
`;

/** Project root (the directory holding deno.json). */
export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Default reference directory: the project's own `data/reference/`. */
export const DEFAULT_FROM = join(PROJECT_ROOT, "data/reference");

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** The output files and their content. */
function outputsOf(result: BuildResult): [string, string][] {
  return [
    [join(PROJECT_ROOT, "data/seed.json"), serializeSeed(result.seed)],
    [join(PROJECT_ROOT, "data/seed-report.md"), renderReport(result)],
  ];
}

/** `--check`: 0 when every output matches the file on disk, else 1 naming the stale ones. */
async function check(outputs: [string, string][], counts: object): Promise<number> {
  const stale: string[] = [];
  for (const [path, content] of outputs) {
    if (await readOrNull(path) !== content) stale.push(path);
  }
  if (stale.length) {
    console.error(`stale: ${stale.join(", ")}; run deno task build-seed`);
    return 1;
  }
  console.log(JSON.stringify({ msg: "seed is up to date", counts }));
  return 0;
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: "string" },
      check: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const from = values.from
    ? (isAbsolute(values.from) ? values.from : join(Deno.cwd(), values.from))
    : DEFAULT_FROM;
  const result = buildSeed(await readInputs(from));
  const outputs = outputsOf(result);
  const counts = Object.fromEntries(KIND_ORDER.map((k) => [k, result.seed.records[k].length]));
  if (values.check) return await check(outputs, counts);
  await Deno.mkdir(join(PROJECT_ROOT, "data"), { recursive: true });
  for (const [path, content] of outputs) await Deno.writeTextFile(path, content);
  console.log(JSON.stringify({
    msg: "seed built",
    from,
    counts,
    unresolved: result.seed.unresolved.length,
  }));
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(`build-seed: ${e instanceof Error ? e.message : String(e)}`);
    Deno.exit(1);
  }
}
