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

/** The status page. */
export function StatusPage(props: { ctx: PageContext; data: StatusData }) {
  const { ctx, data } = props;
  const { state, lastRun } = data;
  const runLink = lastRun ? href(ctx, `/ui/sync/runs/${lastRun.id}`) : href(ctx, "/ui/sync");
  return (
    <Layout ctx={ctx} title="Service status" section="status">
      <h1>Service status</h1>
      <SyncNotice data={data} />
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

      <h2>Last sync run</h2>
      {lastRun
        ? (
          <div>
            <SummaryList
              rows={[
                ["When", <Instant iso={lastRun.started_at} now={ctx.now} />],
                ["Source", lastRun.source.toUpperCase()],
                [
                  "Kind",
                  lastRun.kind === "baseline"
                    ? "Re-baseline (every tracked record)"
                    : `Incremental, changes since ${lastRun.query_date ?? "—"}`,
                ],
                ["Outcome", <OutcomeTag outcome={lastRun.outcome} />],
                [
                  "Changes",
                  `${plural(lastRun.changed, "record")} changed (${
                    plural(lastRun.field_changes, "field change")
                  }, ${lastRun.created} created)`,
                ],
                ["Quarantined", String(lastRun.quarantined.length)],
                ["Errors", lastRun.errors.length ? lastRun.errors.join("; ") : "None"],
                [
                  "Duration",
                  formatDuration(Date.parse(lastRun.finished_at) - Date.parse(lastRun.started_at)),
                ],
              ]}
            />
            <p>
              <a href={runLink}>Read the report of this run</a>
            </p>
          </div>
        )
        : <p>No sync has run yet.</p>}

      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-one-half">
          <h2>Sync state</h2>
          <SummaryList
            rows={[
              ["Algorithm", <ModeTag mode={state.mode} description={data.modeDescription} />],
              ["Cursor", <Day date={state.cursor} />],
              [
                "Empty working days",
                state.empty_days.length ? state.empty_days.join(", ") : "None",
              ],
              ["Last success", <Instant iso={state.last_success_at} />],
              ["Run in progress", data.running ? "Yes" : "No"],
              ["Quarantined", String(data.quarantined)],
            ]}
          />
          <p class="app-muted">
            The cursor is the ODS LastChangeDate the next run asks for.
          </p>
        </div>
        <div class="nhsuk-grid-column-one-half">
          <h2>Records</h2>
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
        </div>
      </div>

      <h2>Everything else</h2>
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
    </Layout>
  );
}
