/**
 * Progress of a long sync run on stderr: a redrawn bar on a terminal, and on anything else (a
 * pipe, a log file, CI) a plain line when a phase starts or ends and every few seconds between.
 *
 * @module
 */

/** Milliseconds between progress lines when stderr is not a terminal. */
export const PROGRESS_INTERVAL_MS = 5_000;

/** Where and how to report. */
export interface ProgressOptions {
  /** Redraw one line (`\r`) instead of writing lines. */
  terminal: boolean;
  write: (text: string) => void;
  /** Milliseconds; for the interval between lines. */
  now?: () => number;
  intervalMs?: number;
}

/** Receives a run's progress (`SyncOptions.onProgress`) and closes the display at the end. */
export interface Progress {
  update(phase: string, done: number, total: number): void;
  end(): void;
}

/**
 * A progress display.
 *
 * @example
 * ```ts
 * import { progressReporter } from "./progress.ts";
 *
 * const lines: string[] = [];
 * const progress = progressReporter({ terminal: false, write: (t) => lines.push(t), now: () => 0 });
 * progress.update("fetch", 0, 634);
 * progress.update("fetch", 10, 634); // within 5 s of the last line: not written
 * lines; // ["sync: fetch 0/634 (0%)\n"]
 * ```
 */
export function progressReporter(options: ProgressOptions): Progress {
  return options.terminal ? bar(options.write) : lines(options);
}

function bar(write: (text: string) => void): Progress {
  let last = "";
  return {
    update(phase, done, total) {
      const width = 30;
      const frac = total ? Math.min(1, done / total) : 1;
      const drawn = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      const line = `\r${phase.padEnd(6)} [${drawn}] ${done}/${total}`;
      if (line !== last) write(line);
      last = line;
    },
    end() {
      if (last) write("\n");
    },
  };
}

function lines(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? PROGRESS_INTERVAL_MS;
  let phase: string | null = null;
  let lastAt = -Infinity;
  let last = "";
  return {
    update(p, done, total) {
      const t = now();
      const due = p !== phase || done >= total || t - lastAt >= interval;
      phase = p;
      if (!due) return;
      const pct = total ? Math.floor(Math.min(1, done / total) * 100) : 100;
      const line = `sync: ${p} ${done}/${total} (${pct}%)\n`;
      if (line === last) return;
      options.write(line);
      last = line;
      lastAt = t;
    },
    end() {},
  };
}

/** A display that shows nothing (`--quiet`). */
export const NO_PROGRESS: Progress = { update() {}, end() {} };
