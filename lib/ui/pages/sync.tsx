// deno-lint-ignore-file jsx-key -- server-rendered to a string once: no list reconciliation.
/**
 * `/ui/sync`: the run history (chart and table) and quarantined records;
 * `/ui/sync/runs/{id}`: one run's record and its diff, as the dry run prints it.
 *
 * @module
 */
import { raw } from "hono/html";
import type { DiffRow } from "../../sync/report.ts";
import type { QuarantineEntry, RunRecord } from "../../sync/run.ts";
import { runPoints, syncChart } from "../chart.ts";
import { Day, Instant, OutcomeTag, SummaryList, TableWrap } from "../components.tsx";
import { formatDuration, formatInstant, formatValue, kindLabel, plural } from "../format.ts";
import { href, Layout, type PageContext } from "../layout.tsx";

const th = "nhsuk-table__header";
const thNum = "nhsuk-table__header nhsuk-table__header--numeric";
const td = "nhsuk-table__cell";
const tdNum = "nhsuk-table__cell nhsuk-table__cell--numeric";

/** Failures of a run: quarantined records, codes not found, errors. */
export function failureCount(run: RunRecord): number {
  return run.quarantined.length + run.not_found.length + run.errors.length;
}

/** The chart of the last 30 runs, with its caption. */
function HistoryChart(props: { runs: RunRecord[] }) {
  const { runs } = props;
  return (
    <figure class="app-figure">
      {raw(syncChart(runPoints(runs)))}
      <figcaption>
        Records changed and failures (quarantined records, codes not found, errors) per run, for the
        last {Math.min(runs.length, 30)} runs. The table below has the same numbers.
      </figcaption>
    </figure>
  );
}

/** The cursor of a run: its date, or how the run moved it. */
function cursorMove(r: RunRecord): string {
  return r.cursor_before === r.cursor_after
    ? (r.cursor_after ?? "—")
    : `${r.cursor_before ?? "—"} → ${r.cursor_after ?? "—"}`;
}

/** One row of the runs table, linked to the run's page. */
function RunRow(props: { ctx: PageContext; run: RunRecord }) {
  const r = props.run;
  return (
    <tr class="nhsuk-table__row">
      <td class={td}>
        <a href={href(props.ctx, `/ui/sync/runs/${r.id}`)}>
          {formatInstant(r.started_at)}
        </a>
      </td>
      <td class={td}>{r.source.toUpperCase()}</td>
      <td class={td}>{r.kind}</td>
      <td class={`${td} app-nowrap`}>
        <OutcomeTag outcome={r.outcome} />
      </td>
      <td class={tdNum}>{r.changed}</td>
      <td class={tdNum}>{failureCount(r)}</td>
      <td class={`${td} app-nowrap`}>{cursorMove(r)}</td>
    </tr>
  );
}

/** Every run listed, newest first. */
function RunsTable(props: { ctx: PageContext; runs: RunRecord[] }) {
  return (
    <TableWrap label="Sync runs">
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Sync runs</caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class={th} scope="col">Started</th>
            <th class={th} scope="col">Source</th>
            <th class={th} scope="col">Kind</th>
            <th class={th} scope="col">Outcome</th>
            <th class={thNum} scope="col">Changed</th>
            <th class={thNum} scope="col">Failures</th>
            <th class={th} scope="col">Cursor</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {props.runs.map((r) => <RunRow ctx={props.ctx} run={r} />)}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The records held in quarantine: why, since when, how many attempts. */
function QuarantineTable(props: { quarantine: QuarantineEntry[] }) {
  return (
    <TableWrap label="Quarantined records">
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">
          Quarantined records
        </caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class={th} scope="col">ODS code</th>
            <th class={th} scope="col">Reason</th>
            <th class={th} scope="col">First seen</th>
            <th class={thNum} scope="col">Attempts</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {props.quarantine.map((q) => (
            <tr class="nhsuk-table__row">
              <td class={td}>{q.code}</td>
              <td class={td}>{q.reason}</td>
              <td class={td}>{formatInstant(q.first_seen_at)}</td>
              <td class={tdNum}>{q.attempts}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The sync history page. */
export function SyncHistoryPage(props: {
  ctx: PageContext;
  runs: RunRecord[];
  quarantine: QuarantineEntry[];
}) {
  const { ctx, runs, quarantine } = props;
  return (
    <Layout ctx={ctx} title="Sync history" section="sync">
      <h1>Sync history</h1>
      <p class="nhsuk-lede-text">
        Every run of the daily ODS sync, newest first. Open a run for its report: every field it
        changed, with the old and new values.
      </p>
      <HistoryChart runs={runs} />
      <h2>Runs</h2>
      {runs.length ? <RunsTable ctx={ctx} runs={runs} /> : <p>No sync has run yet.</p>}
      <h2>Quarantined records</h2>
      {quarantine.length
        ? <QuarantineTable quarantine={quarantine} />
        : <p>None: every record ODS sent was valid.</p>}
    </Layout>
  );
}

function List(props: { items: string[]; empty: string }) {
  return props.items.length
    ? (
      <ul class="nhsuk-list nhsuk-u-margin-bottom-0">
        {props.items.map((i) => <li>{i}</li>)}
      </ul>
    )
    : <span>{props.empty}</span>;
}

/** The diff as a table: the rows of the Markdown report. */
export function DiffTable(props: { ctx: PageContext; rows: readonly DiffRow[] }) {
  const { ctx, rows } = props;
  return (
    <TableWrap label="Field changes">
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Field changes</caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class={th} scope="col">Entity</th>
            <th class={th} scope="col">Code</th>
            <th class={th} scope="col">Field</th>
            <th class={th} scope="col">Old</th>
            <th class={th} scope="col">New</th>
            <th class={th} scope="col">ODS LastChangeDate</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {rows.map((r) => (
            <tr class="nhsuk-table__row">
              <td class={td}>{kindLabel(r.entity)}</td>
              <td class={td}>
                {r.entity === "organisation"
                  ? <a href={href(ctx, `/ui/organisations/${r.code}`)}>{r.code}</a>
                  : r.code}
              </td>
              <td class={td}>{r.field}</td>
              <td class={td}>{formatValue(r.old)}</td>
              <td class={td}>{formatValue(r.new)}</td>
              <td class={`${td} app-nowrap`}>{r.last_change_date ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** What the run was and what it did, in two columns. */
function RunFacts(props: { run: RunRecord }) {
  const { run } = props;
  return (
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-one-half">
        <h2 class="nhsuk-heading-s">Run</h2>
        <SummaryList
          rows={[
            [
              "Kind",
              run.kind === "baseline"
                ? "Re-baseline"
                : `Incremental, since ${run.query_date ?? "—"}`,
            ],
            ["Source", run.source.toUpperCase()],
            ["Trigger", run.trigger],
            ["Started", <Instant iso={run.started_at} />],
            ["Duration", formatDuration(Date.parse(run.finished_at) - Date.parse(run.started_at))],
            ["Dry run", run.dry_run ? "Yes" : "No"],
            ["Run ID", <code data-volatile="">{run.id}</code>],
          ]}
        />
      </div>
      <div class="nhsuk-grid-column-one-half">
        <h2 class="nhsuk-heading-s">Result</h2>
        <SummaryList
          rows={[
            ["Cursor before", <Day date={run.cursor_before} />],
            ["Cursor after", <Day date={run.cursor_after} />],
            ["Codes ODS listed", String(run.links_seen)],
            ["Records fetched", String(run.fetched)],
            ["Records changed", `${run.changed} (${run.created} created)`],
            ["Requests to ODS", `${run.requests} (${plural(run.retries, "retry", "retries")})`],
            ["Review items added", String(run.review_items)],
          ]}
        />
      </div>
    </div>
  );
}

/** What went wrong in the run: quarantined records, codes not found, errors, gaps. */
function RunProblems(props: { run: RunRecord }) {
  const { run } = props;
  return (
    <SummaryList
      rows={[
        [
          "Quarantined",
          <List items={run.quarantined.map((q) => `${q.code}: ${q.reason}`)} empty="None" />,
        ],
        ["Not found in ODS", <List items={run.not_found} empty="None" />],
        ["Errors", <List items={run.errors} empty="None" />],
        ["Gaps in ODS publication", <List items={run.gaps} empty="None" />],
      ]}
    />
  );
}

/** One run's page. */
export function RunPage(props: { ctx: PageContext; run: RunRecord; rows: DiffRow[] }) {
  const { ctx, run, rows } = props;
  const records = new Set(rows.map((r) => `${r.entity}:${r.code}`)).size;
  const title = `Sync run of ${formatInstant(run.started_at)}`;
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="sync"
      trail={[{ text: "Status", path: "/" }, { text: "Sync history", path: "/ui/sync" }]}
    >
      <span class="nhsuk-caption-l">Sync run</span>
      <h1>{formatInstant(run.started_at)}</h1>
      <p>
        <OutcomeTag outcome={run.outcome} /> {run.defensive.message}
      </p>
      <RunFacts run={run} />
      <RunProblems run={run} />
      <h2>Report</h2>
      <p>
        {plural(records, "record")}, {plural(rows.length, "field change")}. This is the diff{" "}
        <code>deno task sync --dry-run</code> prints;{" "}
        <a href={href(ctx, `/ui/sync/runs/${run.id}/report.md`)}>download it as Markdown</a>.
      </p>
      {rows.length ? <DiffTable ctx={ctx} rows={rows} /> : <p>No changes.</p>}
    </Layout>
  );
}
