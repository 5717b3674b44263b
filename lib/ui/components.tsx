/**
 * Small NHS.UK frontend components used by several pages: tags, summary lists, timestamps,
 * command blocks, error summaries and pagination.
 *
 * @module
 */
import type { Child } from "hono/jsx";
import type { RunRecord } from "../sync/run.ts";
import type { SyncMode } from "../sync/state.ts";
import { formatAge, formatDay, formatInstant } from "./format.ts";

/** Tag colours of NHS.UK frontend. */
export type TagColour =
  | "grey"
  | "green"
  | "blue"
  | "red"
  | "orange"
  | "yellow"
  | "white"
  | "purple";

/** An NHS.UK tag: a short status word. */
export function Tag(props: { colour?: TagColour; children?: Child }) {
  return (
    <strong class={`nhsuk-tag${props.colour ? ` nhsuk-tag--${props.colour}` : ""}`}>
      {props.children}
    </strong>
  );
}

const OUTCOME: Record<RunRecord["outcome"], [string, TagColour]> = {
  success: ["Success", "green"],
  empty: ["No records", "yellow"],
  failed: ["Failed", "red"],
  busy: ["Skipped (busy)", "grey"],
};

/** A run's outcome as a tag. */
export function OutcomeTag(props: { outcome: RunRecord["outcome"] }) {
  const [text, colour] = OUTCOME[props.outcome] ?? [props.outcome, "grey"];
  return <Tag colour={colour}>{text}</Tag>;
}

/** The defensive algorithm's state as a tag, with its description. */
export function ModeTag(props: { mode: SyncMode; description: string }) {
  const colour: TagColour = props.mode === "alert"
    ? "red"
    : props.mode === "requery"
    ? "orange"
    : "green";
  const text = props.description.charAt(0).toUpperCase() + props.description.slice(1);
  return <Tag colour={colour}>{text}</Tag>;
}

/** Active or closed. */
export function ActiveTag(props: { active: boolean }) {
  return props.active ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Closed</Tag>;
}

/** An instant in UK time, machine-readable in `datetime`, optionally with its age. */
export function Instant(props: { iso: string | null | undefined; now?: Date }) {
  if (!props.iso) return <span>—</span>;
  return (
    <span>
      <time datetime={props.iso}>{formatInstant(props.iso)}</time>
      {props.now ? <span class="app-muted">{` (${formatAge(props.iso, props.now)})`}</span> : ""}
    </span>
  );
}

/** A calendar date. */
export function Day(props: { date: string | null | undefined }) {
  return props.date ? <time datetime={props.date}>{formatDay(props.date)}</time> : <span>—</span>;
}

/** One row of a {@linkcode SummaryList}. */
export type SummaryRow = [key: string, value: Child];

/** An NHS.UK summary list (`<dl>`) of key and value rows. */
export function SummaryList(props: { rows: SummaryRow[]; classes?: string }) {
  return (
    <dl class={`nhsuk-summary-list${props.classes ? ` ${props.classes}` : ""}`}>
      {props.rows.map(([key, value]) => (
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">{key}</dt>
          <dd class="nhsuk-summary-list__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A command to copy, in a code block with an accessible label. */
export function Command(props: { text: string }) {
  return (
    <pre class="app-code" aria-label="Command">
      <code>{props.text}</code>
    </pre>
  );
}

/** A scrollable wrapper for wide tables (with a focusable region name for keyboard users). */
export function TableWrap(props: { label: string; children?: Child }) {
  return (
    <div class="app-table-wrap" role="region" aria-label={props.label} tabindex={0}>
      {props.children}
    </div>
  );
}

/** An NHS.UK error summary. */
export function ErrorSummary(props: { title: string; errors: { text: string; href: string }[] }) {
  return (
    <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert">
      <h2 class="nhsuk-error-summary__title" id="error-summary-title">{props.title}</h2>
      <div class="nhsuk-error-summary__body">
        <ul class="nhsuk-list nhsuk-error-summary__list">
          {props.errors.map((e) => (
            <li>
              <a href={e.href}>{e.text}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

const ARROW_LEFT =
  "M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z";
const ARROW_RIGHT =
  "m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z";

/** Completes "Previous" and "Next" for screen readers. */
const PAGE = " page";

/** An NHS.UK 16 px icon (`nhsuk-icon--{name}`) drawn from one SVG path, hidden from readers. */
export function Icon(props: { name: string; d: string }) {
  return (
    <svg
      class={`nhsuk-icon nhsuk-icon--${props.name}`}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      focusable="false"
      aria-hidden="true"
    >
      <path d={props.d} />
    </svg>
  );
}

/** NHS.UK previous/next pagination. `prev`/`next` are URLs or `null`. */
export function Pagination(props: {
  prev: string | null;
  next: string | null;
  prevLabel: string;
  nextLabel: string;
}) {
  if (!props.prev && !props.next) return null;
  return (
    <nav class="nhsuk-pagination" role="navigation" aria-label="Pagination">
      <ul class="nhsuk-list nhsuk-pagination__list">
        {props.prev && (
          <li class="nhsuk-pagination-item--previous">
            <a class="nhsuk-pagination__link nhsuk-pagination__link--prev" href={props.prev}>
              <span class="nhsuk-pagination__title">
                Previous<span class="nhsuk-u-visually-hidden">{PAGE}</span>
              </span>
              <span class="nhsuk-u-visually-hidden">:</span>
              <span class="nhsuk-pagination__page">{props.prevLabel}</span>
              <Icon name="arrow-left" d={ARROW_LEFT} />
            </a>
          </li>
        )}
        {props.next && (
          <li class="nhsuk-pagination-item--next">
            <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href={props.next}>
              <span class="nhsuk-pagination__title">
                Next<span class="nhsuk-u-visually-hidden">{PAGE}</span>
              </span>
              <span class="nhsuk-u-visually-hidden">:</span>
              <span class="nhsuk-pagination__page">{props.nextLabel}</span>
              <Icon name="arrow-right" d={ARROW_RIGHT} />
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}
