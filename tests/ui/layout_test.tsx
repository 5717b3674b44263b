import { equal } from "node:assert/strict";
import { href, relativeBase } from "../../lib/ui/layout.tsx";

Deno.test("layout: URLs are relative to the page", () => {
  equal(relativeBase("/"), "./");
  equal(relativeBase("/ui"), "./");
  equal(relativeBase("/ui/sync"), "./../");
  equal(relativeBase("/ui/sync/"), "./../../");
  equal(relativeBase("/ui/organisations/RGT01"), "./../../");
  equal(href({ base: "./../" }, "/ui/review"), "./../ui/review");
  // Behind a path prefix: the page /ui/sync/runs/1 is served as /p/ui/sync/runs/1.
  const base = relativeBase("/ui/sync/runs/1");
  equal(new URL(href({ base }, "/ui/sync"), "https://h/p/ui/sync/runs/1").pathname, "/p/ui/sync");
  equal(new URL(href({ base }, "/"), "https://h/p/ui/sync/runs/1").pathname, "/p/");
});
