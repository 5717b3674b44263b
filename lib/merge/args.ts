/**
 * Command-line arguments of `deno task merge`: parsing and validation, no I/O.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** What a membership option asks for: link to a code, or unlink. */
export type MembershipChange = { op: "link"; code: string } | { op: "unlink" };

/** Flags every action shares. */
export interface CommonFlags {
  /** Organisation ODS codes, upper-cased, de-duplicated, in the order given. */
  codes: string[];
  /** Show what would be written; write nothing, ask nothing. */
  dryRun: boolean;
  /** Answer yes to every question (needed without a terminal). */
  yes: boolean;
}

/** A valid `merge` command. */
export type MergeCommand =
  | { action: "help" }
  | ({ action: "create" } & CommonFlags)
  | ({ action: "delete" } & CommonFlags)
  | ({
    action: "link";
    /** Change of PDU membership, if asked. */
    pdu: MembershipChange | null;
    /** Change of OPEN UK network membership, if asked. */
    network: MembershipChange | null;
  } & CommonFlags);

/** The outcome of parsing: a command, or a usage error to print (exit code 2). */
export type ParsedArgs = { ok: true; command: MergeCommand } | { ok: false; error: string };

const ODS_CODE = /^[A-Z0-9]+$/;
const PZ_CODE = /^PZ\d{3}$/;
const NETWORK_CODE = /^[A-Z]{2,10}$/;

/**
 * Why `code` can't be an organisation code, or `null` when it can. Three-character codes are
 * trusts, local health boards, ICBs or regions; this command only handles sites.
 *
 * @example
 * ```ts
 * organisationCodeProblem("RGT01"); // null
 * organisationCodeProblem("RGT"); // "RGT is a trust, ... code"
 * ```
 */
export function organisationCodeProblem(code: string): string | null {
  if (!ODS_CODE.test(code) || code.length < 3 || code.length > 12) {
    return `"${code}" is not an ODS code (letters and digits only, e.g. RGT01).`;
  }
  if (code.length === 3) {
    return `${code} is a trust, local health board, ICB or NHS England region code, not an ` +
      `organisation. This command creates and deletes organisations (hospital sites, e.g. ` +
      `${code}01); trusts and their ICBs are created automatically as parents of a new ` +
      `organisation and kept current by the sync.`;
  }
  return null;
}

const OPTIONS = {
  organisations: { type: "string", short: "o", multiple: true },
  create: { type: "boolean", short: "c" },
  delete: { type: "boolean", short: "d" },
  "dry-run": { type: "boolean", short: "n" },
  yes: { type: "boolean", short: "y" },
  help: { type: "boolean", short: "h" },
  "link-pdu": { type: "string" },
  "unlink-pdu": { type: "boolean" },
  "link-network": { type: "string" },
  "unlink-network": { type: "boolean" },
} as const;

const NEED_ORGS = "Argument requires one or more organisations: --organisations CODE [CODE ...].";

/** Split `-o A,B C` style values into codes. */
function splitCodes(value: string): string[] {
  return value.split(/[\s,]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
}

/** Turn parseArgs' own error messages into ours. */
function parseError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  if (/organisations/.test(message) && /argument (missing|is ambiguous)/.test(message)) {
    return NEED_ORGS;
  }
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Unknown option ${unknown[1]}.`;
  const ambiguous = /Option '([^']+)' argument (missing|is ambiguous)/.exec(message);
  if (ambiguous) return `Option ${ambiguous[1]} needs a value.`;
  return message.split("\n")[0];
}

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "string"
    ? ((typeof OPTIONS)[K] extends { multiple: true } ? string[] : string)
    : boolean;
};
type Token = NonNullable<ReturnType<typeof parseArgs>["tokens"]>[number];
type Failed = { ok: false; error: string };

/** `-o A B C`: positionals right after an --organisations value are more codes. */
function rawCodes(tokens: readonly Token[]): string[] | Failed {
  const raw: string[] = [];
  let inList = false;
  for (const token of tokens) {
    if (token.kind === "option") {
      inList = token.name === "organisations";
      if (inList && token.value !== undefined) raw.push(...splitCodes(token.value));
    } else if (token.kind === "positional") {
      if (!inList) {
        return {
          ok: false,
          error: `Unexpected argument "${token.value}". ODS codes go after --organisations (-o).`,
        };
      }
      raw.push(...splitCodes(token.value));
    } else {
      inList = false; // "--" ends the list
    }
  }
  return raw;
}

/** The action the flags ask for, or why the combination is wrong. */
function actionOf(values: Values): "create" | "delete" | "link" | Failed {
  const linking = values["link-pdu"] !== undefined || values["link-network"] !== undefined ||
    (values["unlink-pdu"] ?? false) || (values["unlink-network"] ?? false);
  const create = values.create ?? false;
  const del = values.delete ?? false;
  if (create && del) return { ok: false, error: "Cannot use both --create and --delete." };
  if (linking && (create || del)) {
    return {
      ok: false,
      error: `--link-* and --unlink-* change an existing organisation; they cannot be combined ` +
        `with --${create ? "create" : "delete"}. Create the organisation first, then link it.`,
    };
  }
  if (!create && !del && !linking) {
    return {
      ok: false,
      error: "Must provide either --create or --delete (or one of --link-pdu, --link-network, " +
        "--unlink-pdu, --unlink-network).",
    };
  }
  if (values["link-pdu"] !== undefined && values["unlink-pdu"]) {
    return { ok: false, error: "Cannot use both --link-pdu and --unlink-pdu." };
  }
  if (values["link-network"] !== undefined && values["unlink-network"]) {
    return { ok: false, error: "Cannot use both --link-network and --unlink-network." };
  }
  return create ? "create" : del ? "delete" : "link";
}

/** Codes checked, upper-cased and de-duplicated in the order given. */
function validCodes(raw: readonly string[]): string[] | Failed {
  if (raw.length === 0) return { ok: false, error: NEED_ORGS };
  const codes: string[] = [];
  for (const code of raw) {
    const problem = organisationCodeProblem(code);
    if (problem) return { ok: false, error: problem };
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** A `--link-*` value checked against `pattern`, `--unlink-*`, or neither. */
function membershipChange(
  link: string | undefined,
  unlink: boolean | undefined,
  pattern: RegExp,
  problem: (value: string) => string,
): MembershipChange | null | Failed {
  if (link === undefined) return unlink ? { op: "unlink" } : null;
  const code = link.trim().toUpperCase();
  if (!pattern.test(code)) return { ok: false, error: problem(link) };
  return { op: "link", code };
}

/** The `--link-*` / `--unlink-*` command for `common`. */
function linkCommand(values: Values, common: CommonFlags): ParsedArgs {
  const pdu = membershipChange(
    values["link-pdu"],
    values["unlink-pdu"],
    PZ_CODE,
    (v) => `"${v}" is not a PDU code (PZ followed by three digits, e.g. PZ002).`,
  );
  if (pdu && "ok" in pdu) return pdu;
  const network = membershipChange(
    values["link-network"],
    values["unlink-network"],
    NETWORK_CODE,
    (v) => `"${v}" is not an OPEN UK network code (letters only, e.g. EPEN).`,
  );
  if (network && "ok" in network) return network;
  return { ok: true, command: { action: "link", pdu, network, ...common } };
}

/**
 * Parse and validate the arguments of `deno task merge`.
 *
 * @example
 * ```ts
 * import { parseMergeArgs } from "./args.ts";
 *
 * parseMergeArgs(["-o", "RGT01", "RGT02", "--create", "-n"]);
 * // { ok: true, command: { action: "create", codes: ["RGT01", "RGT02"], dryRun: true, yes: false } }
 * ```
 */
export function parseMergeArgs(argv: readonly string[]): ParsedArgs {
  if (argv.includes("--help") || argv.includes("-h")) {
    return { ok: true, command: { action: "help" } };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (err) {
    return { ok: false, error: parseError(err) };
  }
  const values: Values = parsed.values;
  const raw = rawCodes(parsed.tokens ?? []);
  if (!Array.isArray(raw)) return raw;
  const action = actionOf(values);
  if (typeof action !== "string") return action;
  const codes = validCodes(raw);
  if (!Array.isArray(codes)) return codes;
  const common: CommonFlags = {
    codes,
    dryRun: values["dry-run"] ?? false,
    yes: values.yes ?? false,
  };
  if (action === "link") return linkCommand(values, common);
  return { ok: true, command: { action, ...common } };
}

/** The `--help` text. */
export const HELP = `deno task merge: create and delete organisations when hospitals merge

Usage:
  deno task merge --organisations CODE [CODE ...] (--create | --delete) [--dry-run] [--yes]
  deno task merge --organisations CODE [CODE ...] [--link-pdu PZnnn | --unlink-pdu]
                  [--link-network NETWORK | --unlink-network] [--dry-run] [--yes]

Options:
  -o, --organisations CODE ...  ODS codes of organisations (hospital sites, e.g. RGT01).
                                Several codes may follow one -o, or be comma-separated.
                                Trust, health board, ICB and region codes are refused.
  -c, --create                  Look each code up in ODS and add it, with its parent trust or
                                local health board (and that trust's ICB and NHS England region,
                                fetched from ODS if they are new), its PDU and OPEN UK network.
  -d, --delete                  Show the organisation and everything it belongs to, then delete
                                it. A tombstone keeps its memberships, so a later --create of
                                the same code restores them.
      --link-pdu PZnnn          Put existing organisations in a paediatric diabetes unit.
      --unlink-pdu              Take them out of their PDU.
      --link-network CODE       Put existing organisations in an OPEN UK network (e.g. EPEN).
      --unlink-network          Take them out of their OPEN UK network.
  -n, --dry-run                 Show exactly what would be written; write nothing, ask nothing.
  -y, --yes                     Answer yes to every question (needed without a terminal).
  -h, --help                    Show this help.

Where memberships come from (--create), first found wins:
  PDU:      the tombstone of a deleted organisation with the same code; the reference data
            row for the code; an organisation ODS lists as its predecessor; the reference
            data row for its parent trust or local health board.
  Network:  the tombstone; the reference data rows for the parent trust or local health board
            (the last row wins, as in the original's seed); a predecessor organisation.
  With no membership found you are asked whether to continue without it. A membership naming
  a PDU or network that is not in the store stops that organisation from being created.

Exit codes:
  0  every code succeeded (or the dry run found nothing wrong); declined questions count as ok
  1  at least one code failed (not in ODS, already exists, not a site, network error ...)
  2  usage error, or no terminal to ask questions and no --yes
  3  configuration or store error

Environment: KV_PATH (store file), ODS_SOURCE (ord|fhir), ORD_BASE_URL, ODT_BASE_URL,
ODT_API_KEY; see the README.

Examples:
  deno task merge -o RJZ30 --create --dry-run         # what would be created?
  deno task merge -o RJZ30 RJZ31 --create              # create two sites, asking as needed
  deno task merge -o RYQ30 --delete                    # delete the old site
  deno task merge -o RJZ30 --link-pdu PZ002            # add a membership later
  deno task merge -o RJZ30 --unlink-network            # remove one
  deno task merge -o RJZ30 -c -y                       # no questions (scripts, CI)
`;
