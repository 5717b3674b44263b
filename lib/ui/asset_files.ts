/**
 * The files the web pages use from `nhsuk-frontend` (MIT): its compiled CSS and the icons that
 * CSS refers to, imported as text so they are part of the module graph (bundled on Deno Deploy,
 * served offline, no CDN). Loaded lazily by {@link ./assets.ts}, so processes that never serve
 * a page never hold them.
 *
 * Not imported: the NHS logo, favicons and app icons (the NHS identity is for NHS organisations)
 * and the Frutiger web font (licensed for nhs.uk only; the CSS's own fallback, Arial then the
 * system sans-serif, is used instead).
 *
 * @module
 */
import css from "nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css" with { type: "text" };
import arrowDown from "nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-arrow-down.svg" with {
  type: "text",
};
import arrowUp from "nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-arrow-up.svg" with {
  type: "text",
};
import arrowUpDown from "nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-arrow-up-down.svg" with {
  type: "text",
};
import cross from "nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-cross.svg" with {
  type: "text",
};

/** The nhsuk-frontend version these files come from (keep in step with deno.json). */
export const NHSUK_FRONTEND_VERSION = "10.6.1";

/** The compiled nhsuk-frontend stylesheet, as published. */
export const NHSUK_CSS: string = css;

/** Icons the stylesheet refers to as `/assets/images/<name>`. */
export const NHSUK_IMAGES: Readonly<Record<string, string>> = {
  "nhsuk-icon-arrow-down.svg": arrowDown,
  "nhsuk-icon-arrow-up.svg": arrowUp,
  "nhsuk-icon-arrow-up-down.svg": arrowUpDown,
  "nhsuk-icon-cross.svg": cross,
};
