/**
 * Asking the maintainer yes/no questions: an `@inquirer/prompts` implementation over injectable
 * streams (a terminal, or test streams), and a non-interactive one for `--yes`.
 *
 * @module
 */
import { confirm } from "@inquirer/prompts";
import { PassThrough } from "node:stream";

/** Asks yes/no questions. */
export interface Prompter {
  /** Ask `message`; `defaultAnswer` is taken on a bare Enter. */
  confirm(message: string, defaultAnswer: boolean): Promise<boolean>;
}

/** The maintainer interrupted a question (Ctrl+C, or the input closed): stop the batch. */
export class PromptInterrupted extends Error {
  constructor(cause?: unknown) {
    super("interrupted at a question", { cause });
    this.name = "PromptInterrupted";
  }
}

/** Streams for {@linkcode InquirerPrompter}; both default to the process's stdin / stdout. */
export interface PromptStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Interactive questions through `@inquirer/prompts`. */
export class InquirerPrompter implements Prompter {
  readonly #streams: PromptStreams;

  constructor(streams: PromptStreams = {}) {
    this.#streams = streams;
  }

  async confirm(message: string, defaultAnswer: boolean): Promise<boolean> {
    // Inquirer ends the output stream it is given when a prompt settles: give it a fresh one per
    // question that forwards to ours, so a second question can still be shown.
    const target = this.#streams.output;
    let output: PassThrough | undefined;
    if (target) {
      output = new PassThrough();
      output.on("data", (chunk) => target.write(chunk));
      // Keep the target's width, which inquirer wraps lines to.
      const { columns, rows } = target as { columns?: number; rows?: number };
      Object.assign(output, { columns, rows });
    }
    try {
      return await confirm({ message, default: defaultAnswer }, {
        input: this.#streams.input,
        output,
      });
    } catch (err) {
      const name = (err as Error | null)?.name;
      if (name === "ExitPromptError" || name === "AbortPromptError") {
        throw new PromptInterrupted(err);
      }
      throw err;
    }
  }
}

/** `--yes`: every question is answered yes, and the answer is echoed so the log shows it. */
export class YesPrompter implements Prompter {
  readonly #echo: (line: string) => void;

  constructor(echo: (line: string) => void) {
    this.#echo = echo;
  }

  confirm(message: string): Promise<boolean> {
    this.#echo(`? ${message} yes (--yes)\n`);
    return Promise.resolve(true);
  }
}

/**
 * Can we ask questions? Only on a terminal, unless `--yes` answers them, or `--dry-run` asks
 * none. Returns the refusal message, or `null` when it is fine to go on.
 */
export function interactivityProblem(
  flags: { yes: boolean; dryRun: boolean },
  isTerminal: boolean,
): string | null {
  if (flags.yes || flags.dryRun || isTerminal) return null;
  return "merge asks for confirmation, but standard input is not a terminal. Run it from a " +
    "terminal, pass --yes to answer yes to every question, or --dry-run to only see the plan.";
}
