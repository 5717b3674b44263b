import { deepEqual, equal, match, ok } from "node:assert/strict";
import { importSpecifiers } from "../../scripts/check/imports.ts";
import { cycles, importProblem } from "../../scripts/check/layers.ts";
import { outsidePaths } from "../../scripts/check/paths.ts";

Deno.test("layers: a lower layer importing a higher one is an upward import", () => {
  match(importProblem("lib/store.ts", "lib/api/handlers.ts") ?? "", /upward/);
});

Deno.test("layers: siblings of one layer importing each other is a sideways import", () => {
  match(importProblem("lib/sync/run.ts", "lib/merge/plan.ts") ?? "", /sideways/);
});

Deno.test("layers: files of one folder may import each other, and a layer may import lower", () => {
  equal(importProblem("lib/api/handlers.ts", "lib/api/errors.ts"), null);
  equal(importProblem("lib/ui/data.ts", "lib/api/dataset.ts"), null);
  equal(importProblem("lib/sync/run.ts", "lib/ods/record.ts"), null);
});

Deno.test("layers: lib/ never imports the harness", () => {
  for (const harness of ["testing/x.ts", "tests/x_test.ts", "bench/x.ts", "reliability/x.ts"]) {
    match(importProblem("lib/api/x.ts", harness) ?? "", /must not import/);
  }
});

Deno.test("layers: tests import neither the benchmarks nor is the harness importing tests", () => {
  match(importProblem("tests/a_test.ts", "bench/world.ts") ?? "", /must not import/);
  match(importProblem("testing/world.ts", "tests/fixtures.ts") ?? "", /must not import/);
  match(importProblem("reliability/soak.ts", "bench/loadgen.ts") ?? "", /must not import/);
});

Deno.test("layers: a lib/ module outside every layer is reported", () => {
  match(importProblem("lib/new_thing.ts", "lib/model.ts") ?? "", /belongs to no layer/);
});

Deno.test("cycles: two modules importing each other are one cycle", () => {
  const graph = new Map([["a.ts", ["b.ts"]], ["b.ts", ["a.ts"]], ["c.ts", ["a.ts"]]]);
  deepEqual(cycles(graph), [["a.ts", "b.ts", "a.ts"]]);
});

Deno.test("cycles: an acyclic graph has none", () => {
  deepEqual(cycles(new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", []]])), []);
});

Deno.test("imports: JSDoc examples are not imports", () => {
  const source = '/**\n * ```ts\n * import { x } from "../testing/x.ts";\n * ```\n */\n' +
    'import { y } from "./y.ts";\nconst z = await import("./z.ts");\n';
  deepEqual(importSpecifiers(source), ["./y.ts", "./z.ts"]);
});

Deno.test("paths: a relative path climbing above the repository is reported with its line", () => {
  const text = 'const a = "../lib/x.ts";\nconst b = new URL("../../elsewhere/r.json", base);\n';
  deepEqual(outsidePaths("tests/a_test.ts", text), [{ line: 2, ref: "../../elsewhere/r.json" }]);
});

Deno.test("paths: a link between docs inside the repository is fine", () => {
  deepEqual(outsidePaths("docs/api.md", "See [the README](../README.md)."), []);
});

Deno.test("paths: an absolute path into the workplace is reported", () => {
  const workplace = ["", "work", "shared", "reference"].join("/"); // not written out: it'd trip the check
  equal(outsidePaths("README.md", `read ${workplace}`).length, 1);
});

Deno.test("deno task check --only paths fails on a file that reads outside the repository", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/scripts/check`, { recursive: true });
    for (const f of ["check.ts", "check/imports.ts", "check/layers.ts", "check/paths.ts"]) {
      await Deno.copyFile(new URL(`../../scripts/${f}`, import.meta.url), `${root}/scripts/${f}`);
    }
    await Deno.mkdir(`${root}/tests`);
    await Deno.writeTextFile(
      `${root}/tests/bad_test.ts`,
      'Deno.readTextFile("../../outside.json");\n',
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${root}/scripts/check.ts`, "--only", "paths"],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    equal(out.code, 1, stderr);
    ok(stderr.includes("tests/bad_test.ts:1: refers to ../../outside.json"), stderr);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
