/**
 * How a run ended, decided from what it saw: any error fails it (a failure is never "no
 * changes"); an incremental run that ODS listed nothing for is empty; anything else succeeded.
 *
 * @module
 */

/** How a run that started ended. */
export type FinishedOutcome = "success" | "empty" | "failed";

/** What {@linkcode runOutcome} decides from. */
export interface OutcomeInput {
  kind: "incremental" | "baseline";
  /** Distinct changed codes ODS listed (incremental) or codes asked for (baseline). */
  linksSeen: number;
  /** Everything that went wrong: unreadable change list, records still failing, writes. */
  errors: readonly string[];
}

/**
 * The outcome of a run.
 *
 * @example
 * ```ts
 * import { runOutcome } from "./outcome.ts";
 *
 * runOutcome({ kind: "incremental", linksSeen: 0, errors: [] }); // "empty"
 * runOutcome({ kind: "incremental", linksSeen: 0, errors: ["ODS unreachable: …"] }); // "failed"
 * runOutcome({ kind: "baseline", linksSeen: 0, errors: [] }); // "success"
 * ```
 */
export function runOutcome(input: OutcomeInput): FinishedOutcome {
  if (input.errors.length > 0) return "failed";
  return input.kind === "incremental" && input.linksSeen === 0 ? "empty" : "success";
}
