/**
 * The layer rule: `lib/` imports downward only, never sideways between siblings of one layer, and
 * never the harness; the harness folders keep their own order; no import cycles anywhere.
 *
 * @module
 */

/**
 * The layers of `lib/`, lowest first. Each entry is a unit: a file, or a folder (ending in `/`)
 * whose files may import one another.
 */
export const LAYERS: readonly (readonly string[])[] = [
  [
    "lib/model.ts",
    "lib/dates.ts",
    "lib/diff.ts",
    "lib/log.ts",
    "lib/config.ts",
    "lib/names.ts",
    "lib/printable.ts",
    "lib/memberships.ts",
  ],
  ["lib/keys.ts", "lib/listen.ts"],
  ["lib/ods/", "lib/store.ts"],
  ["lib/sync/", "lib/merge/", "lib/seed.ts", "lib/consistency.ts"],
  ["lib/startup.ts", "lib/api/"],
  ["lib/ui/"],
];

/** Folders a folder's files must never import (the harness keeps its own order). */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  "lib/": ["testing/", "tests/", "bench/", "reliability/", "scripts/"],
  "testing/": ["tests/", "bench/", "reliability/", "scripts/"],
  "tests/": ["bench/"],
  "reliability/": ["bench/", "tests/"],
  "bench/": ["reliability/", "tests/"],
};

/** A file's unit and layer in `lib/`, or `null` outside `lib/` or when unassigned. */
export function unitOf(path: string): { unit: string; layer: number } | null {
  for (const [layer, units] of LAYERS.entries()) {
    for (const unit of units) {
      if (unit.endsWith("/") ? path.startsWith(unit) : path === unit) return { unit, layer };
    }
  }
  return null;
}

/**
 * What is wrong with one import from `from` to `to` (repository-relative paths), or `null`.
 *
 * @example
 * ```ts
 * import { importProblem } from "./layers.ts";
 * if (importProblem("lib/api/x.ts", "lib/store.ts") !== null) throw new Error("downward");
 * if (!importProblem("lib/store.ts", "lib/api/x.ts")?.includes("upward")) throw new Error();
 * if (!importProblem("lib/merge/x.ts", "lib/seed.ts")?.includes("sideways")) throw new Error();
 * ```
 */
export function importProblem(from: string, to: string): string | null {
  for (const [folder, banned] of Object.entries(FORBIDDEN)) {
    if (!from.startsWith(folder)) continue;
    const hit = banned.find((b) => to.startsWith(b));
    if (hit) return `${folder} must not import ${hit}`;
  }
  if (!from.startsWith("lib/") || !to.startsWith("lib/")) return null;
  const a = unitOf(from), b = unitOf(to);
  if (!a) return `${from} belongs to no layer (add it to LAYERS in scripts/check/layers.ts)`;
  if (!b) return `${to} belongs to no layer (add it to LAYERS in scripts/check/layers.ts)`;
  if (a.unit === b.unit) return null;
  if (a.layer < b.layer) return `upward import (layer ${a.layer} → ${b.layer})`;
  if (a.layer === b.layer) {
    return `sideways import (${a.unit} and ${b.unit} share layer ${a.layer})`;
  }
  return null;
}

/**
 * The import cycles of a graph (file → files it imports), each as a path that returns to its
 * start; one per strongly connected component.
 *
 * @example
 * ```ts
 * import { cycles } from "./layers.ts";
 * const found = cycles(new Map([["a", ["b"]], ["b", ["a"]], ["c", ["a"]]]));
 * if (found.length !== 1 || found[0].join() !== "a,b,a") throw new Error(String(found));
 * ```
 */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], onStack = new Set<string>(), found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(closeCycle(graph, new Set(component), v));
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** One cycle through `start` inside a strongly connected component. */
function closeCycle(
  graph: ReadonlyMap<string, readonly string[]>,
  component: ReadonlySet<string>,
  start: string,
): string[] {
  const path = [start];
  const seen = new Set([start]);
  for (let at = start;;) {
    const next = (graph.get(at) ?? []).filter((w) => component.has(w)).sort();
    if (next.includes(start)) return [...path, start];
    at = next.find((w) => !seen.has(w)) ?? next[0];
    path.push(at);
    if (seen.has(at)) return path;
    seen.add(at);
  }
}
