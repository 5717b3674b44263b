import { ok } from "node:assert/strict";
import { NHSUK_CSS, NHSUK_IMAGES } from "../../lib/ui/asset_files.ts";
import { selfContainedCss } from "../../lib/ui/assets.ts";

Deno.test("assets: the NHS.UK stylesheet is made self-contained", () => {
  ok(NHSUK_CSS.includes("@font-face") && NHSUK_CSS.includes("assets.nhs.uk"), "as published");
  const css = selfContainedCss(NHSUK_CSS);
  ok(!css.includes("@font-face"), "no web font");
  ok(!/url\(\s*["']?(?:https?:)?\/\//.test(css), "no URL to another site");
  ok(!css.includes("url(/"), "no absolute URL");
  ok(!css.includes("sourceMappingURL"));
  ok(css.includes("arial,sans-serif"), "the font stack's own fallback stays");
  const images = [...css.matchAll(/url\(["']?images\/([^)"']+)/g)].map((m) => m[1]);
  ok(images.length > 0);
  for (const name of images) ok(NHSUK_IMAGES[name], `${name} is served`);
});
