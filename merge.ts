/**
 * `deno task merge`: create and delete organisations when hospitals merge, and change their
 * PDU and OPEN UK network memberships. Run `deno task merge --help` for usage.
 *
 * @module
 */
import { loadSeedFile } from "./lib/seed.ts";
import { mergeMain } from "./lib/merge/run.ts";

const encoder = new TextEncoder();

if (import.meta.main) {
  const color = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
  const code = await mergeMain(Deno.args, {
    env: Deno.env.toObject(),
    isTerminal: Deno.stdin.isTerminal(),
    color,
    write: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
    writeErr: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
    reference: () => loadSeedFile().memberships,
  });
  Deno.exit(code);
}
