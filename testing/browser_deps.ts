/**
 * The browser tests' packages, pinned here rather than in deno.json's import map: every
 * `deno task` (`start` included) first installs all that the import map and the default lockfile
 * name, and a start must not fetch browser automation. Their lockfile is deno.dev.lock.
 *
 * @module
 */
export { chromium } from "npm:playwright-core@1.65.1";
export type { Browser, Locator, Page } from "npm:playwright-core@1.65.1";
export { default as axeSource } from "npm:axe-core@4.14.1/axe.min.js" with { type: "text" };
