import { deepEqual as assertEquals, match as assertMatch, ok as assert } from "node:assert/strict";
import { HELP, parseMergeArgs } from "../../lib/merge/args.ts";
import { EXIT, type MergeIo, mergeMain } from "../../lib/merge/run.ts";
import { reference } from "./helpers.ts";

function command(argv: string[]) {
  const parsed = parseMergeArgs(argv);
  if (!parsed.ok) throw new Error(`unexpected usage error: ${parsed.error}`);
  return parsed.command;
}

Deno.test("args: long and short forms give the same create command", () => {
  const long = command(["--organisations", "RGT01", "RGT02", "--create", "--dry-run", "--yes"]);
  const short = command(["-o", "RGT01", "RGT02", "-c", "-n", "-y"]);
  assertEquals(long, {
    action: "create",
    codes: ["RGT01", "RGT02"],
    dryRun: true,
    yes: true,
  });
  assertEquals(short, long);
});

Deno.test("args: codes are upper-cased, comma lists split, repeated -o joined, duplicates dropped", () => {
  assertEquals(command(["-o", "rgt01,RGT02", "rgt01", "-d", "-o", "7A3C7"]), {
    action: "delete",
    codes: ["RGT01", "RGT02", "7A3C7"],
    dryRun: false,
    yes: false,
  });
});

Deno.test("args: --link-pdu and --unlink-network parse into one link command", () => {
  assertEquals(command(["-o", "RGT01", "--link-pdu", "pz002", "--unlink-network"]), {
    action: "link",
    codes: ["RGT01"],
    pdu: { op: "link", code: "PZ002" },
    network: { op: "unlink" },
    dryRun: false,
    yes: false,
  });
  assertEquals(command(["-o", "RGT01", "--link-network", "epen", "-n"]), {
    action: "link",
    codes: ["RGT01"],
    pdu: null,
    network: { op: "link", code: "EPEN" },
    dryRun: true,
    yes: false,
  });
});

Deno.test("args: --help wins over every other argument, valid or not", () => {
  assertEquals(command(["--bogus", "-h"]), { action: "help" });
  assertEquals(command(["-o", "RGT01", "-c", "--help"]), { action: "help" });
});

const MISUSES: [string[], RegExp][] = [
  [["-o", "RGT01", "-c", "-d"], /Cannot use both --create and --delete/],
  [["-o", "RGT01"], /Must provide either --create or --delete/],
  [["-c"], /Argument requires one or more organisations/],
  [["-o", "-c"], /Argument requires one or more organisations/],
  [["-c", "-o"], /Argument requires one or more organisations/],
  [["-o", "RG@01", "-c"], /"RG@01" is not an ODS code/],
  [["-o", "RGT", "-c"], /RGT is a trust, local health board, ICB or NHS England region code/],
  [["-o", "RGT01", "QKS", "-d"], /QKS is a trust, local health board, ICB/],
  [["-o", "RGT01", "-c", "--force"], /Unknown option --force/],
  [["RGT01", "-o", "RGT02", "-c"], /Unexpected argument "RGT01".*after --organisations/],
  [["-o", "RGT01", "-c", "--link-pdu", "PZ002"], /cannot be combined with --create/],
  [["-o", "RGT01", "--link-pdu", "PZ002", "--unlink-pdu"], /both --link-pdu and --unlink-pdu/],
  [
    ["-o", "RGT01", "--link-network", "EPEN", "--unlink-network"],
    /both --link-network and --unlink-network/,
  ],
  [["-o", "RGT01", "--link-pdu", "PZ02"], /"PZ02" is not a PDU code/],
  [["-o", "RGT01", "--link-network", "E-PEN"], /"E-PEN" is not an OPEN UK network code/],
  [["-o", "RGT01", "--link-pdu"], /--link-pdu.*needs a value/],
];

for (const [argv, message] of MISUSES) {
  Deno.test(`args: usage error for \`${argv.join(" ")}\``, () => {
    const parsed = parseMergeArgs(argv);
    assert(!parsed.ok, "expected a usage error");
    assertMatch(parsed.error, message);
  });
}

/** An io that records output and must never reach ODS. */
function io(env: Record<string, string>, isTerminal: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const value: MergeIo = {
    env,
    isTerminal,
    color: false,
    write: (t) => void out.push(t),
    writeErr: (t) => void err.push(t),
    reference: () => reference(),
    source: {
      fetchOne: () => {
        throw new Error("ODS must not be called");
      },
    },
  };
  return { io: value, out, err };
}

Deno.test("main: a usage error exits 2 and points to --help on stderr", async () => {
  const { io: x, err, out } = io({ KV_PATH: ":memory:" }, true);
  assertEquals(await mergeMain(["-o", "RGT01", "-c", "-d"], x), EXIT.USAGE);
  assertMatch(err.join(""), /Cannot use both --create and --delete[\s\S]*--help/);
  assertEquals(out.join(""), "");
});

Deno.test("main: --help prints every option with examples and exits 0", async () => {
  const { io: x, out } = io({}, false);
  assertEquals(await mergeMain(["--help"], x), EXIT.OK);
  const text = out.join("");
  assertEquals(text, HELP);
  for (
    const flag of [
      "--organisations",
      "--create",
      "--delete",
      "--dry-run",
      "--yes",
      "--link-pdu",
      "--unlink-pdu",
      "--link-network",
      "--unlink-network",
      "-o,",
      "-c,",
      "-d,",
      "-n,",
      "-y,",
      "Examples:",
      "Exit codes:",
    ]
  ) assert(text.includes(flag), `help mentions ${flag}`);
});

Deno.test("main: without a terminal and without --yes it refuses (exit 2) before opening anything", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { io: x, err } = io({ KV_PATH: `${dir}/store.sqlite` }, false);
    assertEquals(await mergeMain(["-o", "RGT01", "-d"], x), EXIT.USAGE);
    assertMatch(err.join(""), /not a terminal.*--yes/);
    assertEquals([...Deno.readDirSync(dir)], [], "the store was not created");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: a bad configuration exits 3 naming the setting", async () => {
  const { io: x, err } = io({ KV_PATH: ":memory:", ODS_SOURCE: "carrier-pigeon" }, true);
  assertEquals(await mergeMain(["-o", "RGT01", "-d"], x), EXIT.CONFIG);
  assertMatch(err.join(""), /ODS_SOURCE must be one of ord, fhir/);
});

Deno.test("main: a store that cannot be opened exits 3", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A directory is not a KV file.
    const { io: x, err } = io({ KV_PATH: dir }, true);
    assertEquals(await mergeMain(["-o", "RGT01", "-d", "--dry-run"], x), EXIT.CONFIG);
    assertMatch(err.join(""), /cannot open the store/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: a dry run needs no terminal and exits 1 when a code fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { io: x, out } = io({ KV_PATH: `${dir}/store.sqlite` }, false);
    assertEquals(await mergeMain(["-o", "RGT01", "-d", "-n"], x), EXIT.FAILED);
    assertMatch(out.join(""), /RGT01 does not exist in the store/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
