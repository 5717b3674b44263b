/**
 * Shared fixtures for the merge command tests: a real KV file in a temp dir, the ODS simulator
 * over HTTP, a curated reference, and a scripted terminal that answers prompts.
 *
 * @module
 */
import { PassThrough } from "node:stream";
import { organisationRecord } from "../fixtures.ts";
import { loadConfig } from "../../lib/config.ts";
import type { AnyRecord, Kind, Organisation } from "../../lib/model.ts";
import { keyOf } from "../../lib/model.ts";
import { createOdsSource, type OdsSource } from "../../lib/ods/source.ts";
import { buildSite, buildTrust, buildWelshSite } from "../../testing/ods_sim/kinds.ts";
import type { OrdOrganisation } from "../../testing/ods_sim/ord_types.ts";
import { simulatedOrdRecord } from "../../testing/ods_sim/record.ts";
import { type OdsSimulator, startOdsSimulator } from "../../testing/ods_sim/server.ts";
import type { SeedMemberships } from "../../lib/model.ts";
import { recordWrite, Store } from "../../lib/store.ts";
import type { ActionCommand, MergeDeps } from "../../lib/merge/run.ts";
import { runMerge } from "../../lib/merge/run.ts";
import { Painter } from "../../lib/merge/present.ts";
import { InquirerPrompter, YesPrompter } from "../../lib/merge/prompt.ts";
import type { FaultRule } from "../../testing/ods_sim/faults.ts";

const T = "2025-01-01T00:00:00.000Z";

/** An organisation record with sensible defaults. */
export function org(code: string, fields: Partial<Organisation> = {}): Organisation {
  return organisationRecord(code, {
    name: `${code} HOSPITAL`,
    published_at: "2024-01-01",
    country_code: "E92000001",
    updated_at: T,
    last_change_date: "2024-01-01",
    operational_start: "2000-01-01",
    ...fields,
  });
}

const dates = {
  last_change_date: "2024-01-01",
  active: true,
  operational_start: "2000-01-01",
  operational_end: null,
  legal_start: null,
  legal_end: null,
  successors: [],
  predecessors: [],
};

/**
 * The store every test starts from: region Y59 → ICB QKS → trust RVV → site RVVKC (PDU PZ100,
 * network SETPEG); site RZA01 of the old trust RZA (PDU PZ103); Welsh board 7A1 → site 7A1A4;
 * PDUs PZ100, PZ101, PZ103; networks SETPEG, EPIC, EPEN; countries.
 */
export function baseRecords(): [Kind, AnyRecord][] {
  const curated = { source: "curated" as const, updated_at: T };
  return [
    ["country", {
      boundary_identifier: "E92000001",
      name: "England",
      welsh_name: null,
      ...curated,
    }],
    ["country", {
      boundary_identifier: "W92000004",
      name: "Wales",
      welsh_name: "Cymru",
      ...curated,
    }],
    ["nhs_england_region", {
      region_code: "Y59",
      boundary_identifier: "E40000005",
      name: "South East",
      publication_date: null,
      source: "ods",
      updated_at: T,
      ...dates,
    }],
    ["integrated_care_board", {
      ods_code: "QKS",
      boundary_identifier: null,
      name: "NHS KENT AND MEDWAY INTEGRATED CARE BOARD",
      publication_date: null,
      nhs_england_region_code: "Y59",
      source: "ods",
      updated_at: T,
      ...dates,
    }],
    ["trust", {
      ods_code: "RVV",
      name: "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST",
      address_line_1: null,
      address_line_2: null,
      town: "CANTERBURY",
      postcode: "CT1 3NG",
      country: "ENGLAND",
      telephone: null,
      website: null,
      published_at: null,
      integrated_care_board_code: "QKS",
      source: "ods",
      updated_at: T,
      ...dates,
    }],
    ["local_health_board", {
      ods_code: "7A1",
      boundary_identifier: "W11000023",
      name: "BETSI CADWALADR UNIVERSITY LHB",
      welsh_name: null,
      publication_date: null,
      source: "ods",
      updated_at: T,
      ...dates,
    }],
    ...["PZ100", "PZ101", "PZ103"].map((pz): [Kind, AnyRecord] => [
      "paediatric_diabetes_unit",
      { pz_code: pz, paediatric_diabetes_network_code: "PN05", ...curated },
    ]),
    ...["SETPEG", "EPIC", "EPEN"].map((code): [Kind, AnyRecord] => [
      "openuk_network",
      {
        boundary_identifier: code,
        name: `${code} network`,
        country: null,
        publication_date: null,
        ...curated,
      },
    ]),
    [
      "organisation",
      org("RVVKC", {
        name: "KENT & CANTERBURY HOSPITAL",
        trust_code: "RVV",
        // A stale sibling: a new RVV site must take its ICB from the trust, not from here.
        integrated_care_board_code: "QXX",
        nhs_england_region_code: "Y99",
        paediatric_diabetes_unit_code: "PZ100",
        openuk_network_code: "SETPEG",
      }),
    ],
    [
      "organisation",
      org("RZA01", {
        name: "OLD WEST HOSPITAL",
        trust_code: "RZA",
        integrated_care_board_code: "QKS",
        nhs_england_region_code: "Y59",
        paediatric_diabetes_unit_code: "PZ103",
        openuk_network_code: "SETPEG",
        london_borough_code: "E09000001",
      }),
    ],
    [
      "organisation",
      org("7A1A4", {
        name: "YSBYTY GWYNEDD",
        local_health_board_code: "7A1",
        country_code: "W92000004",
        paediatric_diabetes_unit_code: "PZ101",
        openuk_network_code: "EPIC",
      }),
    ],
  ];
}

/** The curated reference used by the tests. */
export function reference(extra: Partial<SeedMemberships> = {}): SeedMemberships {
  return {
    pdu: [
      { ods_code: "RVV02", pz_code: "PZ101" },
      { ods_code: "RVV", pz_code: "PZ100" },
      ...(extra.pdu ?? []),
    ],
    openuk: [
      { parent_code: "RVV", network_code: "SETPEG" },
      { parent_code: "7A1", network_code: "EPIC" },
      ...(extra.openuk ?? []),
    ],
    trust_icb: extra.trust_icb ?? [],
  };
}

/** A real KV file in a fresh temp dir, filled with {@linkcode baseRecords}. */
export async function openTestStore(
  records: [Kind, AnyRecord][] = baseRecords(),
): Promise<{ store: Store; path: string; dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "merge-test-" });
  const path = `${dir}/store.sqlite`;
  const store = await Store.open(path);
  await store.write(
    records.map(([kind, record]) => ({
      writes: [recordWrite(kind, keyOf(kind, record as never), () => record as never)],
    })),
    { cause: "seed", runId: "fixture", time: T },
  );
  return {
    store,
    path,
    dir,
    async [Symbol.asyncDispose]() {
      try {
        store.close();
      } catch { /* already closed */ }
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const SITE_ADDRESS = { AddrLn1: "ST PETERS ROAD", Town: "MARGATE", PostCode: "CT9 4AN" };

/** ODS records the tests create organisations from (on top of the simulator's fixtures). */
export function simRecords(): OrdOrganisation[] {
  return [
    buildSite({
      code: "RVV02",
      name: "QUEEN ELIZABETH THE QUEEN MOTHER HOSPITAL",
      trust: "RVV",
      lastChangeDate: "2025-05-01",
      address: { ...SITE_ADDRESS, Country: "ENGLAND" },
    }),
    buildSite({
      code: "RVV03",
      name: "WILLIAM HARVEY HOSPITAL",
      trust: "RVV",
      lastChangeDate: "2025-05-01",
    }),
    // A site of trust RWR, which is not in the store (nor its ICB QM7 or region Y61).
    buildSite({
      code: "RWR01",
      name: "LISTER HOSPITAL",
      trust: "RWR",
      lastChangeDate: "2025-05-01",
    }),
    // The successor site of RZA01, under the new trust RZB.
    simulatedOrdRecord({
      code: "RZB01",
      name: "UNITED WEST HOSPITAL",
      primaryRole: "RO198",
      start: "2025-04-01",
      lastChangeDate: "2025-05-01",
      rels: [{ id: "RE6", target: "RZB", targetRole: "RO197", start: "2025-04-01" }],
      succs: [{ type: "Predecessor", target: "RZA01", targetRole: "RO198", start: "2025-04-01" }],
    }),
    buildWelshSite({
      code: "7A1B2",
      name: "YSBYTY GLAN CLWYD",
      lhb: "7A1",
      lastChangeDate: "2025-05-01",
    }),
    // A site with no RE6 parent.
    simulatedOrdRecord({
      code: "RVV98",
      name: "ORPHAN SITE",
      primaryRole: "RO198",
      start: "2020-01-01",
      lastChangeDate: "2025-05-01",
    }),
    // A closed site.
    buildSite({
      code: "RVV97",
      name: "CLOSED COTTAGE HOSPITAL",
      trust: "RVV",
      lastChangeDate: "2025-05-01",
      end: "2024-12-31",
    }),
    // A new trust with no ICB relationship in ODS (RE5 being retired).
    buildTrust({ code: "RYY", name: "NEW NO ICB NHS TRUST", lastChangeDate: "2025-05-01" }),
    buildSite({ code: "RYY01", name: "NEW HOSPITAL", trust: "RYY", lastChangeDate: "2025-05-01" }),
  ];
}

/** The simulator with its default fixtures plus {@linkcode simRecords}, over HTTP. */
export async function startTestSim(
  rules: FaultRule[] = [],
): Promise<OdsSimulator & { [Symbol.asyncDispose](): Promise<void> }> {
  const sim = await startOdsSimulator({
    now: "2025-06-10T09:00:00Z",
    records: simRecords(),
    withFixtures: true,
    faults: { rules },
  });
  return Object.assign(sim, { [Symbol.asyncDispose]: () => sim.close() });
}

/** The environment pointing the command at a store file and the simulator. */
export function testEnv(kvPath: string, sim: OdsSimulator): Record<string, string> {
  return {
    KV_PATH: kvPath,
    ORD_BASE_URL: sim.ordBaseUrl,
    ODS_RETRIES: "0",
    ODS_RATE_LIMIT: "1000",
    ODS_TIMEOUT_MS: "5000",
  };
}

/** The configured source (ORD by default, or FHIR) for the simulator. */
export function simSource(sim: OdsSimulator, source: "ord" | "fhir" = "ord"): OdsSource {
  const env = { ...testEnv(":memory:", sim), ODS_SOURCE: source, ODT_BASE_URL: sim.fhirBaseUrl };
  return createOdsSource(loadConfig(env).ods);
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * A terminal whose questions are answered from a script, through the streams inquirer reads and
 * writes. Each answer names the question it expects; an unexpected question is recorded and
 * interrupted (Ctrl+C) so a test never hangs.
 */
export class ScriptedTerminal {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  /** Everything shown, without colour codes. */
  text = "";
  /** Questions asked, in order. */
  readonly asked: string[] = [];
  readonly problems: string[] = [];
  #consumed = 0;
  #pending = false;

  constructor(readonly answers: [RegExp, string][]) {
    Object.assign(this.output, { columns: 400 });
    this.output.on("data", (chunk) => {
      this.text += chunk.toString().replace(ANSI, "");
      this.#scan();
    });
  }

  /** For the command's own output. */
  write = (text: string): void => {
    this.output.write(text);
  };

  #scan(): void {
    for (;;) {
      const rest = this.text.slice(this.#consumed);
      if (this.#pending) {
        const done = rest.indexOf("✔");
        if (done < 0) return;
        this.#pending = false;
        this.#consumed += done + 1;
        continue;
      }
      const hint = /\(\s*[Yy]\s*\/\s*[Nn]\s*\)/.exec(rest);
      if (!hint) return;
      const line = rest.slice(rest.lastIndexOf("\n", hint.index) + 1, hint.index);
      const question = line.replace(/^\s*\?\s*/, "").replace(/\s+/g, " ").trim();
      this.asked.push(question);
      this.#pending = true;
      this.#consumed += hint.index + hint[0].length;
      const next = this.answers.shift();
      if (!next) {
        this.problems.push(`unexpected question: ${question}`);
        setTimeout(() => this.input.write("\x03"), 1);
      } else {
        if (!next[0].test(question)) {
          this.problems.push(`expected a question matching ${next[0]}, got: ${question}`);
        }
        setTimeout(() => this.input.write(`${next[1]}\r`), 1);
      }
    }
  }

  /** Every scripted answer was used, and nothing unexpected was asked. */
  check(): string[] {
    return [...this.problems, ...this.answers.map(([re]) => `question not asked: ${re}`)];
  }
}

/** Run a command against a store and the simulator, answering from `terminal`. */
export async function run(
  command: ActionCommand,
  store: Store,
  sim: OdsSimulator,
  terminal: ScriptedTerminal,
  ref: SeedMemberships = reference(),
  source: "ord" | "fhir" = "ord",
): Promise<Awaited<ReturnType<typeof runMerge>>> {
  const deps: MergeDeps = {
    store,
    source: simSource(sim, source),
    reference: ref,
    prompter: command.yes
      ? new YesPrompter(terminal.write)
      : new InquirerPrompter({ input: terminal.input, output: terminal.output }),
    write: terminal.write,
    painter: new Painter(false),
    runId: "merge-test",
    now: () => new Date("2025-06-10T10:00:00Z"),
  };
  return await runMerge(command, deps);
}

/** A create/delete/link command with defaults. */
export function cmd(
  action: "create" | "delete",
  codes: string[],
  flags: { dryRun?: boolean; yes?: boolean } = {},
): ActionCommand {
  return { action, codes, dryRun: flags.dryRun ?? false, yes: flags.yes ?? false };
}
