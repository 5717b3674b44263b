// deno-lint-ignore-file jsx-key -- server-rendered to a string once: no list reconciliation.
/**
 * `/ui/review`: the review list: what ODS changed that people must look at, with the facts and
 * the `deno task merge` commands a maintainer would likely run.
 *
 * @module
 */
import type { ReviewItem, ReviewReason } from "../../sync/review.ts";
import { Command, Instant, SummaryList, Tag, type TagColour } from "../components.tsx";
import { formatValue, kindLabel, plural } from "../format.ts";
import { href, Layout, type PageContext } from "../layout.tsx";

/** Labels and tag colours of the review reasons. */
export const REASONS: { readonly [R in ReviewReason]: { text: string; colour: TagColour } } = {
  closure: { text: "Closure", colour: "red" },
  reopened: { text: "Reopened", colour: "green" },
  succession: { text: "Succession", colour: "purple" },
  new_parent: { text: "New parent", colour: "blue" },
  new_site: { text: "Site of a PDU created", colour: "blue" },
  reparent: { text: "Moved to another parent", colour: "orange" },
  not_found: { text: "Not found in ODS", colour: "yellow" },
  gap: { text: "Gap in ODS publication", colour: "yellow" },
  scheduled: { text: "Takes effect later", colour: "blue" },
  overlap: { text: "Overlapping relationships", colour: "orange" },
  deleted: { text: "Deleted by ODS", colour: "red" },
};

const FACT_LABELS: Record<string, string> = {
  last_change_date: "ODS LastChangeDate",
  end_date: "End date",
  successors: "Successors",
  predecessors: "Predecessors",
  from: "From",
  to: "To",
  network_of_new_parent: "OPEN UK network of the new parent",
  name: "Name",
  ods_name: "Name as ODS spells it",
  pdu: "PDU",
  network: "OPEN UK network",
  days: "Days without records",
};

/** A fact's label: known ones by name, others with spaces for `_`. */
export function factLabel(key: string): string {
  return FACT_LABELS[key] ?? key.charAt(0).toUpperCase() + key.slice(1).replaceAll("_", " ");
}

function factValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatValue).join(", ") || "—";
  return formatValue(value) || "—";
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One item, with the name of its record when the item has none. */
export interface ReviewView {
  item: ReviewItem;
  name: string | null;
}

function Item(props: { ctx: PageContext; view: ReviewView }) {
  const { ctx } = props;
  const { item, name } = props.view;
  const reason = REASONS[item.reason] ?? { text: item.reason, colour: "grey" as const };
  const subject = item.code
    ? `${item.entity ? `${capitalise(kindLabel(item.entity))} ` : ""}${item.code}${
      name ? ` ${name}` : ""
    }`
    : "ODS";
  return (
    <li class="nhsuk-card" id={`item-${item.id}`}>
      <div class="nhsuk-card__content">
        <p class="nhsuk-u-margin-bottom-2">
          <Tag colour={reason.colour}>{reason.text}</Tag>{" "}
          {item.status === "done" ? <Tag colour="grey">Done</Tag> : null}
        </p>
        <h2 class="nhsuk-card__heading nhsuk-heading-s">
          {item.entity === "organisation" && item.code
            ? <a href={href(ctx, `/ui/organisations/${item.code}`)}>{subject}</a>
            : subject}
        </h2>
        <p class="nhsuk-card__description">{item.detail}</p>
        <SummaryList
          classes="nhsuk-summary-list--no-border app-facts"
          rows={[
            ...Object.entries(item.facts).map(([k, v]) =>
              [factLabel(k), factValue(v)] as [string, string]
            ),
            [
              "Found by",
              <span>
                the <a href={href(ctx, `/ui/sync/runs/${item.run_id}`)}>sync run</a> of{" "}
                <Instant iso={item.created_at} />
              </span>,
            ],
          ]}
        />
        {item.commands.length
          ? (
            <div>
              <h3 class="nhsuk-heading-xs nhsuk-u-margin-bottom-2">
                {item.commands.length === 1 ? "Command" : "Commands, in order"}
              </h3>
              {item.commands.map((cmd) => <Command text={cmd} />)}
            </div>
          )
          : (
            <p class="nhsuk-card__description app-muted">
              No merge command: check the memberships by hand.
            </p>
          )}
      </div>
    </li>
  );
}

/** The review list page. */
export function ReviewPage(props: {
  ctx: PageContext;
  views: ReviewView[];
  status: string;
  reason: string;
  counts: { open: number; done: number };
}) {
  const { ctx, views, status, reason } = props;
  const statuses = [["open", "Open"], ["done", "Done"], ["all", "All"]];
  return (
    <Layout ctx={ctx} title="Review list" section="review">
      <h1>Review list</h1>
      <p>
        Changes in ODS that people must look at, because paediatric diabetes unit and OPEN UK
        network membership is curated by hand. {plural(props.counts.open, "item")} open,{" "}
        {props.counts.done} done.
      </p>
      <form method="get" action={href(ctx, "/ui/review")} class="app-filters">
        <div class="nhsuk-grid-row">
          <div class="nhsuk-grid-column-one-third">
            <div class="nhsuk-form-group">
              <label class="nhsuk-label" for="status">Status</label>
              <select class="nhsuk-select" id="status" name="status">
                {statuses.map(([v, t]) => <option value={v} selected={v === status}>{t}</option>)}
              </select>
            </div>
          </div>
          <div class="nhsuk-grid-column-one-third">
            <div class="nhsuk-form-group">
              <label class="nhsuk-label" for="reason">Reason</label>
              <select class="nhsuk-select" id="reason" name="reason">
                <option value="">Any reason</option>
                {Object.entries(REASONS).map(([v, r]) => (
                  <option value={v} selected={v === reason}>{r.text}</option>
                ))}
              </select>
            </div>
          </div>
          <div class="nhsuk-grid-column-one-third">
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">
              Show items
            </button>
          </div>
        </div>
      </form>
      <h2 class="nhsuk-heading-m">{plural(views.length, "item")}</h2>
      {views.length
        ? (
          <ul class="nhsuk-list">
            {views.map((v) => <Item ctx={ctx} view={v} />)}
          </ul>
        )
        : <p>Nothing to review.</p>}
      <p class="app-muted">
        The list as JSON is at <code>/sync/review</code> (with an API key when keys are set).
      </p>
    </Layout>
  );
}
