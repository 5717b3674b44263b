import { deepEqual } from "node:assert/strict";
import { progressReporter } from "../../lib/sync/progress.ts";

function piped() {
  const lines: string[] = [];
  let clock = 0;
  const progress = progressReporter({
    terminal: false,
    write: (t) => lines.push(t),
    now: () => clock,
    intervalMs: 5_000,
  });
  return { lines, progress, advance: (ms: number) => clock += ms };
}

// Bug caught: the 14-minute run printed nothing on a non-terminal stderr.
Deno.test("on a pipe, a progress line is written every interval, not on every update", () => {
  const { lines, progress, advance } = piped();
  progress.update("fetch", 0, 600);
  for (let done = 1; done <= 30; done++) {
    advance(500);
    progress.update("fetch", done * 10, 600);
  }
  deepEqual(lines, [
    "sync: fetch 0/600 (0%)\n",
    "sync: fetch 100/600 (16%)\n",
    "sync: fetch 200/600 (33%)\n",
    "sync: fetch 300/600 (50%)\n",
  ]);
});

// Bug caught: the last line of a phase (or a new phase) held back until the interval passed.
Deno.test("on a pipe, a phase's end and the next phase are written at once", () => {
  const { lines, progress } = piped();
  progress.update("fetch", 0, 2);
  progress.update("fetch", 2, 2);
  progress.update("apply", 0, 5);
  deepEqual(lines, [
    "sync: fetch 0/2 (0%)\n",
    "sync: fetch 2/2 (100%)\n",
    "sync: apply 0/5 (0%)\n",
  ]);
});

// Bug caught: a terminal flooded with lines instead of one redrawn bar.
Deno.test("on a terminal, the bar is redrawn in place and ended with a newline", () => {
  const out: string[] = [];
  const bar = progressReporter({ terminal: true, write: (t) => out.push(t) });
  bar.update("fetch", 1, 2);
  bar.update("fetch", 2, 2);
  bar.end();
  deepEqual(out.map((t) => t[0]), ["\r", "\r", "\n"]);
});
