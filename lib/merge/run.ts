/**
 * Running `deno task merge`: for each code, read what the planner needs (store and ODS), show
 * the plan, ask, commit, and end with a summary. Every input and output is injected, so tests
 * drive it against a real KV file, the ODS simulator and scripted prompts.
 *
 * @module
 */
import { printable, printableCopy } from "../printable.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { tombstoneKey } from "../keys.ts";
import { createOdsSource, type FetchOutcome, type OdsSource } from "../ods/source.ts";
import type { SeedMemberships } from "../model.ts";
import { sortableId, Store } from "../store.ts";
import { applyPlan, MergeConflict } from "./apply.ts";
import { HELP, type MergeCommand, parseMergeArgs } from "./args.ts";
import {
  emptyKnown,
  type Known,
  membersId,
  type Need,
  type Plan,
  recordId,
  type Step,
  type Tombstone,
} from "./plan.ts";
import { planCreate } from "./plan_create.ts";
import { planDelete } from "./plan_delete.ts";
import { type LinkRequest, planLink } from "./plan_link.ts";
import {
  type CodeResult,
  isFailure,
  Painter,
  renderPlan,
  renderSummary,
  renderWrites,
} from "./present.ts";
import {
  InquirerPrompter,
  interactivityProblem,
  type Prompter,
  PromptInterrupted,
  YesPrompter,
} from "./prompt.ts";

/** Exit codes of `deno task merge`. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, CONFIG: 3 } as const;

/** What {@linkcode runMerge} works with. */
export interface MergeDeps {
  store: Store;
  source: Pick<OdsSource, "fetchOne">;
  /** The curated membership reference (`seed.memberships`). */
  reference: SeedMemberships;
  prompter: Prompter;
  /** Writes text to the terminal. */
  write: (text: string) => void;
  painter: Painter;
  runId?: string;
  /** Clock for `updated_at`, the log and tombstones. */
  now?: () => Date;
}

/** A command that does something (not `--help`). */
export type ActionCommand = Exclude<MergeCommand, { action: "help" }>;

const MAX_ROUNDS = 16;

async function resolveNeed(need: Need, known: Known, deps: MergeDeps): Promise<void> {
  switch (need.type) {
    case "record":
      known.records.set(
        recordId(need.kind, need.code),
        await deps.store.get(need.kind, need.code),
      );
      return;
    case "tombstone": {
      const e = await deps.store.kv.get<Tombstone>(tombstoneKey("organisation", need.code));
      known.tombstones.set(need.code, { value: e.value, versionstamp: e.versionstamp });
      return;
    }
    case "ods": {
      let outcome: FetchOutcome;
      try {
        outcome = await deps.source.fetchOne(need.code);
      } catch (err) {
        outcome = { status: "error", code: need.code, reason: (err as Error).message };
      }
      known.ods.set(need.code, outcome);
      return;
    }
    case "members":
      known.members.set(
        membersId(need.field, need.value),
        await deps.store.codesBy("organisation", need.field, need.value),
      );
  }
}

/**
 * Run a planner to completion: whenever it needs something, read it (in parallel) and ask again.
 */
export async function gather<P>(
  planner: (known: Known) => Step<P>,
  deps: MergeDeps,
  known: Known = emptyKnown(),
): Promise<Step<P>> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const step = planner(known);
    if (step.status !== "need") return step;
    await Promise.all(step.needs.map((n) => resolveNeed(n, known, deps)));
  }
  throw new Error(`planning did not settle after ${MAX_ROUNDS} rounds`);
}

function plannerFor(
  command: ActionCommand,
  code: string,
  deps: MergeDeps,
): (known: Known) => Step<Plan> {
  if (command.action === "create") return (k: Known) => planCreate(code, k, deps.reference);
  if (command.action === "delete") return (k: Known) => planDelete(code, k);
  const request: LinkRequest = {};
  if (command.pdu) request.pdu = command.pdu.op === "link" ? command.pdu.code : null;
  if (command.network) {
    request.network = command.network.op === "link" ? command.network.code : null;
  }
  return (k: Known) => planLink(code, request, k);
}

const DONE = { create: "created", delete: "deleted", link: "changed" } as const;
const WOULD = { create: "would create", delete: "would delete", link: "would change" } as const;

function describeWritten(plan: Plan): string {
  if (plan.action === "create") {
    const extra = plan.parents.map((p) => `${p.kind} ${p.code}`);
    return extra.length ? `with new ${extra.join(", ")}` : `under ${
      plan.organisation.trust_code ??
        plan.organisation.local_health_board_code
    }`;
  }
  if (plan.action === "delete") return "tombstone kept";
  return plan.changes.map((c) => `${c.membership}: ${c.from ?? "—"} → ${c.to ?? "—"}`).join(", ");
}

/** Process one code: plan, show, ask, commit. */
async function processCode(
  command: ActionCommand,
  code: string,
  deps: MergeDeps,
  runId: string,
): Promise<CodeResult> {
  const { write, painter: p } = deps;
  const action = command.action;
  const step = await gather(plannerFor(command, code, deps), deps);
  // Everything shown comes from ODS or the store: printable copies, so a name can't drive the
  // terminal (the data written is the plan itself).
  if (step.status === "fail") {
    write(`  ${p.alarm(printable(step.reason))}\n`);
    return { code, action, result: "failed", detail: printable(step.reason) };
  }
  if (step.status === "noop") {
    write(`  ${printable(step.reason)}\n`);
    return { code, action, result: "unchanged", detail: printable(step.reason) };
  }
  if (step.status === "need") throw new Error("unreachable");
  const plan = step.plan;
  write(renderPlan(printableCopy(plan), p));
  const time = (deps.now?.() ?? new Date()).toISOString();

  if (command.dryRun) {
    for (const q of plan.questions) write(`  ${p.dim(`would ask: ${printable(q.message)}`)}\n`);
    const applied = await applyPlan(deps.store, plan, { runId, time, dryRun: true });
    write(renderWrites(printableCopy(applied), p, true));
    return { code, action, result: WOULD[action], detail: printable(describeWritten(plan)) };
  }
  for (const q of plan.questions) {
    if (!await deps.prompter.confirm(printable(q.message), q.defaultAnswer)) {
      write(
        `  Skipped ${
          action === "create" ? "creating" : action === "delete" ? "deleting" : "changing"
        } ${code}.\n`,
      );
      return { code, action, result: "declined", detail: `answered no: ${printable(q.message)}` };
    }
  }
  try {
    const applied = await applyPlan(deps.store, plan, { runId, time });
    write(renderWrites(printableCopy(applied), p, false));
  } catch (err) {
    if (err instanceof MergeConflict || /conflicting commits/.test((err as Error).message)) {
      const reason = `nothing written: ${(err as Error).message}; run it again`;
      write(`  ${p.alarm(reason)}\n`);
      return { code, action, result: "failed", detail: reason };
    }
    throw err;
  }
  return { code, action, result: DONE[action], detail: printable(describeWritten(plan)) };
}

/**
 * Run a create, delete or link command over its codes. A code that fails is reported and the
 * batch goes on; Ctrl+C at a question stops the batch. Ends with the summary table.
 */
export async function runMerge(
  command: ActionCommand,
  deps: MergeDeps,
): Promise<{ results: CodeResult[]; exitCode: number }> {
  const runId = deps.runId ?? `merge-${sortableId()}`;
  const { write, painter: p } = deps;
  const results: CodeResult[] = [];
  const n = command.codes.length;
  if (command.dryRun) write(p.bold("Dry run: nothing will be written.\n"));
  for (let i = 0; i < n; i++) {
    const code = command.codes[i];
    write(`\n${p.bold(n > 1 ? `[${i + 1}/${n}] ${code}` : code)}\n`);
    try {
      results.push(await processCode(command, code, deps, runId));
    } catch (err) {
      if (err instanceof PromptInterrupted) {
        write(`\n${p.alarm("Interrupted: nothing more is written.")}\n`);
        for (const rest of command.codes.slice(i)) {
          results.push({
            code: rest,
            action: command.action,
            result: "not run",
            detail: "interrupted",
          });
        }
        break;
      }
      const reason = `unexpected error: ${(err as Error).message}`;
      write(`  ${p.alarm(reason)}\n`);
      results.push({ code, action: command.action, result: "failed", detail: reason });
    }
  }
  write(renderSummary(results, p));
  return { results, exitCode: results.some(isFailure) ? EXIT.FAILED : EXIT.OK };
}

/** The process edges {@linkcode mergeMain} uses; tests replace them. */
export interface MergeIo {
  env: Record<string, string | undefined>;
  /** Is standard input a terminal? */
  isTerminal: boolean;
  /** Colour the output? */
  color: boolean;
  write: (text: string) => void;
  writeErr: (text: string) => void;
  /** The curated membership reference (default: the bundled seed). */
  reference: () => SeedMemberships;
  /** Questions (default: `@inquirer/prompts` on stdin/stdout, or `--yes`). */
  prompter?: Prompter;
  source?: Pick<OdsSource, "fetchOne">;
  now?: () => Date;
}

/** `deno task merge` from arguments to exit code. */
export async function mergeMain(argv: readonly string[], io: MergeIo): Promise<number> {
  const parsed = parseMergeArgs(argv);
  if (!parsed.ok) {
    io.writeErr(`merge: ${parsed.error}\nRun \`deno task merge --help\` for usage.\n`);
    return EXIT.USAGE;
  }
  const command = parsed.command;
  if (command.action === "help") {
    io.write(HELP);
    return EXIT.OK;
  }
  const refusal = interactivityProblem(command, io.isTerminal);
  if (refusal) {
    io.writeErr(`merge: ${refusal}\n`);
    return EXIT.USAGE;
  }
  let store: Store;
  let source: Pick<OdsSource, "fetchOne">;
  let reference: SeedMemberships;
  try {
    const config = loadConfig(io.env);
    source = io.source ?? createOdsSource(config.ods);
    reference = io.reference();
    store = await Store.open(config.kvPath);
  } catch (err) {
    const message = err instanceof ConfigError
      ? err.message
      : `cannot open the store or reference data: ${(err as Error).message}`;
    io.writeErr(`merge: ${message}\n`);
    return EXIT.CONFIG;
  }
  try {
    const painter = new Painter(io.color);
    const prompter = command.yes
      ? new YesPrompter(io.write)
      : io.prompter ?? new InquirerPrompter();
    const { exitCode } = await runMerge(command, {
      store,
      source,
      reference,
      prompter,
      write: io.write,
      painter,
      now: io.now,
    });
    return exitCode;
  } finally {
    store.close();
  }
}
