/**
 * `deno task sync`: run the ODS sync once, now.
 *
 * Exit codes: 0 the run succeeded (changes applied, or ODS had none), 1 the run failed (cursor
 * not moved), 2 usage error, 3 another run holds the lock, 4 the run succeeded but the
 * defensive algorithm raised an alert, 5 bad configuration.
 *
 * @module
 */
import { printable } from "./lib/printable.ts";
import { parseArgs, styleText } from "node:util";
import { ConfigError, loadConfig } from "./lib/config.ts";
import { log, setLogLevel } from "./lib/log.ts";
import { storePracticeCopy } from "./lib/api/practice_copy.ts";
import { postcodeResolver } from "./lib/api/geography_routes.ts";
import { createOdsSource } from "./lib/ods/source.ts";
import { isIsoDate } from "./lib/dates.ts";
import { type RunResult, runSync, type SyncRequest } from "./lib/sync/run.ts";
import { NO_PROGRESS, type Progress, progressReporter } from "./lib/sync/progress.ts";
import { Store } from "./lib/store.ts";
import { ensureSeeded } from "./lib/startup.ts";
import { isStoreEmpty } from "./lib/seed.ts";

const HELP = `Run the ODS sync once, now.

Usage: deno task sync [options]

Options:
  --since YYYY-MM-DD  incremental sync of changes on or after this date (even on a new store)
  --full              re-baseline: fetch every tracked record
  --dry-run, -n       print the diff as a Markdown report and write nothing
  --source ord|fhir   ODS API to use (default: ODS_SOURCE, else ord)
  --report FILE       also write the Markdown report to FILE
  --quiet, -q         no progress (a bar on a terminal, else a line every few seconds)
  --help, -h          this help

Without --since or --full the run continues from the stored cursor (NHS England's defensive
LastChangeDate algorithm), and re-baselines on a new store or after a gap over 185 days.

GP practices are synced too unless SYNC_GP_PRACTICES=false; their first run reads every practice
(with ORD about 51 minutes at the default rate: prefer --source fhir for it, 16 requests).

With the FHIR API configured (ODT_API_KEY), a run also gives organisations and practices the
local authority of their postcode, looking up at most SYNC_POSTCODE_LOOKUPS postcodes (1000).

Exit codes: 0 success, 1 run failed (cursor not moved), 2 usage error, 3 another run in
progress, 4 alert raised (no ODS data for 3 working days), 5 bad configuration.
`;

/** Parse arguments; returns a usage error message or the options. */
export function parseSyncArgs(args: string[]):
  | { error: string }
  | { help: true }
  | {
    request: SyncRequest;
    dryRun: boolean;
    source?: "ord" | "fhir";
    report?: string;
    quiet: boolean;
  } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        since: { type: "string" },
        full: { type: "boolean", default: false },
        "dry-run": { type: "boolean", short: "n", default: false },
        source: { type: "string" },
        report: { type: "string" },
        quiet: { type: "boolean", short: "q", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    return { error: (err as Error).message };
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  if (v.since !== undefined && v.full) return { error: "use either --since or --full, not both" };
  if (v.since !== undefined && !isIsoDate(v.since)) {
    return { error: `--since must be a date written YYYY-MM-DD, got "${v.since}"` };
  }
  if (v.source !== undefined && v.source !== "ord" && v.source !== "fhir") {
    return { error: `--source must be ord or fhir, got "${v.source}"` };
  }
  return {
    request: v.full ? "full" : v.since ? { since: v.since } : "auto",
    dryRun: v["dry-run"],
    source: v.source as "ord" | "fhir" | undefined,
    report: v.report,
    quiet: v.quiet,
  };
}

/** The summary table's cell of the local authority step. */
function localAuthorityCell(la: RunResult["run"]["local_authorities"]): string {
  if (!la) return "-";
  if (la.skipped_reason) return `skipped: ${la.skipped_reason}`;
  return `${la.updated} updated (${la.looked_up} looked up, ${la.failed} failed, ` +
    `${la.deferred} left for later runs)`;
}

/** The summary table printed after a run. */
export function summaryTable(result: RunResult): string {
  const r = result.run;
  const rows: [string, string][] = [
    ["run", r.id],
    ["source", `${r.source} (${r.kind}${r.dry_run ? ", dry run" : ""})`],
    ["query date", r.query_date ?? "-"],
    ["links seen", String(r.links_seen)],
    ["fetched", String(r.fetched)],
    ["records changed", `${r.changed} (${r.created} created, ${r.field_changes} fields)`],
    ["quarantined", String(r.quarantined.length)],
    ["not found", String(r.not_found.length)],
    ["review items", String(r.review_items)],
    ["local authorities", localAuthorityCell(r.local_authorities)],
    ["requests", `${r.requests} (${r.retries} retries)`],
    ["cursor", `${r.cursor_before ?? "-"} -> ${r.cursor_after ?? "-"}`],
    ["algorithm", `${result.state.mode}: ${r.defensive.message}`],
    ["outcome", r.outcome],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  for (const e of r.errors) lines.push(`${"error".padEnd(width)}  ${e}`);
  return lines.join("\n");
}

/** Progress on stderr: a bar on a terminal, a line every few seconds otherwise. */
function progress(quiet: boolean): Progress {
  if (quiet) return NO_PROGRESS;
  const encoder = new TextEncoder();
  return progressReporter({
    terminal: Deno.stderr.isTerminal(),
    write: (text) => Deno.stderr.writeSync(encoder.encode(text)),
  });
}

/** Store the practice cache's copy of the new GP version, for the service started next. */
async function storeCopyFor(store: Store): Promise<void> {
  const started = performance.now();
  try {
    const stored = await storePracticeCopy(store);
    log("info", "practice cache copy", { stored, ms: Math.round(performance.now() - started) });
  } catch (err) {
    log("warn", "practice cache copy not stored", { error: String(err) });
  }
}

/** Run the CLI; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseSyncArgs(args);
  if ("help" in parsed) {
    console.log(HELP);
    return 0;
  }
  if ("error" in parsed) {
    console.error(`error: ${parsed.error}\n\n${HELP}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : String(err));
    return 5;
  }
  setLogLevel(config.logLevel);
  if (parsed.source) config.ods.source = parsed.source;
  let store: Store;
  try {
    // A dry run writes nothing, so only a real run proves the store takes writes first.
    store = await Store.open(config.kvPath, { probeWrite: !parsed.dryRun });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 5;
  }
  try {
    if (parsed.dryRun && await isStoreEmpty(store)) {
      // A dry run writes nothing: preview against the reference seed in memory instead.
      console.error("the store is empty: previewing against the reference seed in memory");
      store.close();
      store = await Store.open(":memory:");
    }
    await ensureSeeded(store);
    const bar = progress(parsed.quiet);
    const gpBefore = await store.gpVersion();
    const result = await runSync({
      store,
      source: createOdsSource(config.ods),
      request: parsed.request,
      dryRun: parsed.dryRun,
      trigger: "cli",
      leaseTtlMs: config.syncLeaseTtlMs,
      publicationTime: config.publicationTime,
      gpPractices: config.syncGpPractices,
      postcodes: postcodeResolver({ store, ods: config.ods }),
      postcodeLookups: config.syncPostcodeLookups,
      onProgress: bar.update,
    });
    bar.end();
    if (!parsed.dryRun && await store.gpVersion() !== gpBefore) await storeCopyFor(store);
    // Names and values come from ODS: shown, never obeyed, by the terminal.
    if (parsed.dryRun) console.log(printable(result.markdown));
    if (parsed.report) await Deno.writeTextFile(parsed.report, result.markdown);
    console.log(printable(summaryTable(result)));
    const r = result.run;
    if (r.outcome === "busy") return 3;
    if (r.outcome === "failed") {
      console.error(styleText("red", "sync failed: the cursor was not moved"));
      return 1;
    }
    if (result.state.mode === "alert") {
      console.error(styleText("red", result.state.alert ?? "alert"));
      return 4;
    }
    return 0;
  } finally {
    store.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
