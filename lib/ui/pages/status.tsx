// deno-lint-ignore-file jsx-key -- server-rendered to a string once: no list reconciliation.
/**
 * `/`: the service at a glance: is the data current, how did the last sync go, what awaits
 * review, how many records of each kind.
 *
 * @module
 */
import type { Child } from "hono/jsx";
import { KIND_ORDER } from "../../model.ts";
import { MAX_EMPTY_WORKING_DAYS, SERVICE_DESK } from "../../sync/defensive.ts";
import type { RunRecord } from "../../sync/run.ts";
import { Day, Instant, ModeTag, OutcomeTag, SummaryList, TableWrap } from "../components.tsx";
import type { StatusData } from "../data.ts";
import { formatDuration, KIND_LABELS, plural } from "../format.ts";
import { href, Layout, type PageContext } from "../layout.tsx";

function Card(props: { heading: string; link: string; linkText: string; children?: Child }) {
  return (
    <li class="nhsuk-grid-column-one-third nhsuk-card-group__item">
      <div class="nhsuk-card">
        <div class="nhsuk-card__content">
          <h2 class="nhsuk-card__heading nhsuk-heading-s">{props.heading}</h2>
          {props.children}
          <p class="nhsuk-card__description nhsuk-u-margin-bottom-0">
            <a href={props.link}>{props.linkText}</a>
          </p>
        </div>
      </div>
    </li>
  );
}

function SyncNotice(props: { data: StatusData }) {
  const { state } = props.data;
  if (state.mode === "alert") {
    return (
      <div class="nhsuk-card nhsuk-card--warning">
        <div class="nhsuk-card__content">
          <h2 class="nhsuk-card__heading">Alert: ODS has published nothing</h2>
          <p class="nhsuk-card__description">
            {state.alert ??
              `No records for ${MAX_EMPTY_WORKING_DAYS} working days. Raise a log with the NHS national service desk.`}
          </p>
          <p class="nhsuk-card__description">
            Contact: <a href={`mailto:${SERVICE_DESK}`}>{SERVICE_DESK}</a>
          </p>
        </div>
      </div>
    );
  }
  if (state.mode === "requery") {
    return (
      <div class="nhsuk-inset-text">
        <span class="nhsuk-u-visually-hidden">Information:</span>
        <p>
          ODS returned no records for {state.cursor ?? "the cursor date"} on{" "}
          {plural(state.empty_days.length, "working day")}. The sync keeps re-querying the same
          date; after {MAX_EMPTY_WORKING_DAYS} working days it raises an alert.
        </p>
      </div>
    );
  }
  if (state.last_outcome === "failed") {
    return (
      <div class="nhsuk-inset-text">
        <span class="nhsuk-u-visually-hidden">Information:</span>
        <p>
          The last sync run failed. The cursor did not move; the next run re-reads the same days.
        </p>
      </div>
    );
  }
  return null;
}

/** The three cards at the top: sync state, last run and the review list's count. */
function StatusCards(props: { ctx: PageContext; data: StatusData; runLink: string }) {
  const { ctx, data, runLink } = props;
  const { state, lastRun } = data;
  return (
    <ul class="nhsuk-grid-row nhsuk-card-group">
      <Card heading="Sync" link={href(ctx, "/ui/sync")} linkText="Sync history">
        <p class="nhsuk-card__description">
          <ModeTag mode={state.mode} description={data.modeDescription} />
        </p>
        <p class="nhsuk-card__description">
          Cursor: <strong>{state.cursor ?? "not synced yet"}</strong>
        </p>
      </Card>
      <Card heading="Last run" link={runLink} linkText="Run report">
        {lastRun
          ? (
            <div>
              <p class="nhsuk-card__description">
                <OutcomeTag outcome={lastRun.outcome} />
              </p>
              <p class="nhsuk-card__description">
                <Instant iso={lastRun.started_at} now={ctx.now} />
              </p>
            </div>
          )
          : <p class="nhsuk-card__description">No sync has run yet.</p>}
      </Card>
      <Card heading="Awaiting review" link={href(ctx, "/ui/review")} linkText="Review list">
        <p class="app-stat">{data.reviewOpen}</p>
        <p class="nhsuk-card__description">
          {plural(data.reviewOpen, "item")} open
          {data.quarantined ? `, ${plural(data.quarantined, "record")} quarantined` : ""}
        </p>
      </Card>
    </ul>
  );
}

/**
 * "PDU without an organisation": units `/paediatric_diabetes_units/parent/` leaves out, and
 * how they get their sites. Nothing when every unit has one.
 */
export function UnitsWithoutOrganisation(props: { codes: readonly string[] }) {
  const { codes } = props;
  if (!codes.length) return null;
  return (
    <div class="nhsuk-inset-text">
      <span class="nhsuk-u-visually-hidden">Information:</span>
      <h2 class="nhsuk-heading-s">PDU without an organisation</h2>
      <p>
        {plural(codes.length, "unit")} {codes.length === 1 ? "has" : "have"}{" "}
        no organisation, so the API leaves {codes.length === 1 ? "it" : "them"} out of{" "}
        <code>/paediatric_diabetes_units/parent/</code>: {codes.join(", ")}.
      </p>
      <p>
        The 2024 PDU list names their sites, which the 2024 organisation list lacks. A re-baseline
        that reaches ODS creates them (the first sync of a new store, or{" "}
        <code>deno task sync --full</code>); <code>deno task merge -o CODE --create</code>{" "}
        creates one by hand.
      </p>
    </div>
  );
}

/** The last run in a summary list, with a link to its report. */
function LastRun(props: { ctx: PageContext; run: RunRecord; runLink: string }) {
  const { ctx, run } = props;
  return (
    <div>
      <SummaryList
        rows={[
          ["When", <Instant iso={run.started_at} now={ctx.now} />],
          ["Source", run.source.toUpperCase()],
          [
            "Kind",
            run.kind === "baseline"
              ? "Re-baseline (every tracked record)"
              : `Incremental, changes since ${run.query_date ?? "—"}`,
          ],
          ["Outcome", <OutcomeTag outcome={run.outcome} />],
          [
            "Changes",
            `${plural(run.changed, "record")} changed (${
              plural(run.field_changes, "field change")
            }, ${run.created} created)`,
          ],
          ["Quarantined", String(run.quarantined.length)],
          ["Errors", run.errors.length ? run.errors.join("; ") : "None"],
          ["Duration", formatDuration(Date.parse(run.finished_at) - Date.parse(run.started_at))],
        ]}
      />
      <p>
        <a href={props.runLink}>Read the report of this run</a>
      </p>
    </div>
  );
}

/** The defensive algorithm's state: mode, cursor, empty days, last success. */
function SyncStateSummary(props: { data: StatusData }) {
  const { data } = props;
  const { state } = data;
  return (
    <>
      <h2>Sync state</h2>
      <SummaryList
        rows={[
          ["Algorithm", <ModeTag mode={state.mode} description={data.modeDescription} />],
          ["Cursor", <Day date={state.cursor} />],
          ["Empty working days", state.empty_days.length ? state.empty_days.join(", ") : "None"],
          ["Last success", <Instant iso={state.last_success_at} />],
          ["Run in progress", data.running ? "Yes" : "No"],
          ["Quarantined", String(data.quarantined)],
        ]}
      />
      <p class="app-muted">
        The cursor is the ODS LastChangeDate the next run asks for.
      </p>
    </>
  );
}

/** Records per entity, as a table (organisations also counted active). */
function RecordCounts(props: { data: StatusData }) {
  const { data } = props;
  return (
    <TableWrap label="Records per entity">
      <table class="nhsuk-table nhsuk-table--compact">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">
          Records per entity
        </caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class="nhsuk-table__header" scope="col">Entity</th>
            <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Records
            </th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {[...KIND_ORDER].reverse().map((kind) => (
            <tr class="nhsuk-table__row">
              <th class="nhsuk-table__header" scope="row">{KIND_LABELS[kind].many}</th>
              <td class="nhsuk-table__cell nhsuk-table__cell--numeric">
                {kind === "organisation"
                  ? `${data.activeOrganisations.toLocaleString("en-GB")} active of `
                  : ""}
                {data.counts[kind].toLocaleString("en-GB")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Links to the other pages, each with what it is for. */
function OtherPages(props: { ctx: PageContext }) {
  const { ctx } = props;
  return (
    <ul class="nhsuk-list nhsuk-list--bullet">
      <li>
        <a href={href(ctx, "/ui/sync")}>Sync history</a>: every run, with a chart and each report
      </li>
      <li>
        <a href={href(ctx, "/ui/review")}>Review list</a>: closures, successions and new parents
      </li>
      <li>
        <a href={href(ctx, "/ui/organisations")}>Organisations</a>: search and filter
      </li>
      <li>
        <a href={href(ctx, "/ui/networks")}>Networks</a>: diabetes units and OPEN UK networks
      </li>
      <li>
        <a href={href(ctx, "/docs")}>API documentation</a>
      </li>
    </ul>
  );
}

/** The status page. */
export function StatusPage(props: { ctx: PageContext; data: StatusData }) {
  const { ctx, data } = props;
  const { lastRun } = data;
  const runLink = lastRun ? href(ctx, `/ui/sync/runs/${lastRun.id}`) : href(ctx, "/ui/sync");
  return (
    <Layout ctx={ctx} title="Service status" section="status">
      <h1>Service status</h1>
      <SyncNotice data={data} />
      <StatusCards ctx={ctx} data={data} runLink={runLink} />
      <UnitsWithoutOrganisation codes={data.unitsWithoutOrganisation} />

      <h2>Last sync run</h2>
      {lastRun
        ? <LastRun ctx={ctx} run={lastRun} runLink={runLink} />
        : <p>No sync has run yet.</p>}

      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-one-half">
          <SyncStateSummary data={data} />
        </div>
        <div class="nhsuk-grid-column-one-half">
          <h2>Records</h2>
          <RecordCounts data={data} />
        </div>
      </div>

      <h2>Everything else</h2>
      <OtherPages ctx={ctx} />
    </Layout>
  );
}
