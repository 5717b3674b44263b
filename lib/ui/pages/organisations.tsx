// deno-lint-ignore-file jsx-key -- server-rendered to a string once: no list reconciliation.
/**
 * `/ui/organisations`: search and filter organisations; `/ui/organisations/{code}`: one
 * organisation with its parents, memberships and change history.
 *
 * @module
 */
import type { Dataset } from "../../api/dataset.ts";
import { parentTimeline } from "../../api/timeline.ts";
import type { Organisation } from "../../model.ts";
import type { ChangeEntry } from "../../store.ts";
import {
  ActiveTag,
  Day,
  Instant,
  Pagination,
  SummaryList,
  TableWrap,
  Tag,
} from "../components.tsx";
import { FILTER_FIELDS, type OrgQuery, type Page, queryString } from "../filters.ts";
import { formatValue, plural } from "../format.ts";
import { href, Layout, type PageContext } from "../layout.tsx";

const th = "nhsuk-table__header";
const td = "nhsuk-table__cell";

/** One choice of a filter. */
export interface Choice {
  value: string;
  text: string;
}

/** The choices of every filter. */
export interface FilterChoices {
  trust: Choice[];
  icb: Choice[];
  region: Choice[];
  pdu: Choice[];
  network: Choice[];
  openuk: Choice[];
}

/** The filter fields' labels in the form. */
const FILTER_LABELS: Record<keyof FilterChoices, string> = {
  trust: "Trust or local health board",
  icb: "Integrated care board",
  region: "NHS England region",
  pdu: "Paediatric diabetes unit",
  network: "Paediatric diabetes network",
  openuk: "OPEN UK network",
};

/** Filter choices from the records of one data version. */
export function filterChoices(data: Dataset): FilterChoices {
  const named = (items: Iterable<{ code: string; name: string }>) =>
    [...items]
      .map((i) => ({ value: i.code, text: `${i.name} (${i.code})` }))
      .sort((a, b) => a.text.localeCompare(b.text, "en-GB"));
  const r = data.records;
  const pduName = (pz: string) =>
    data.organisationsOf("paediatric_diabetes_unit_code", pz)[0]?.name;
  return {
    trust: named([
      ...[...r.trust.values()].map((t) => ({ code: t.ods_code, name: t.name })),
      ...[...r.local_health_board.values()].map((t) => ({ code: t.ods_code, name: t.name })),
    ]),
    icb: named([...r.integrated_care_board.values()].map((i) => ({
      code: i.ods_code,
      name: i.name,
    }))),
    region: named([...r.nhs_england_region.values()].map((i) => ({
      code: i.region_code,
      name: i.name,
    }))),
    pdu: [...r.paediatric_diabetes_unit.values()].map((u) => {
      const name = pduName(u.pz_code);
      return { value: u.pz_code, text: name ? `${u.pz_code}: ${name}` : u.pz_code };
    }),
    network: named([...r.paediatric_diabetes_network.values()].map((n) => ({
      code: n.pn_code,
      name: n.name,
    }))),
    openuk: named([...r.openuk_network.values()].map((n) => ({
      code: n.boundary_identifier,
      name: n.name,
    }))),
  };
}

function Select(props: {
  id: keyof FilterChoices;
  label: string;
  choices: Choice[];
  value: string;
}) {
  return (
    <div class="nhsuk-form-group">
      <label class="nhsuk-label" for={`filter-${props.id}`}>{props.label}</label>
      <select class="nhsuk-select" id={`filter-${props.id}`} name={props.id}>
        <option value="">Any</option>
        {props.choices.map((c) => (
          <option value={c.value} selected={c.value === props.value}>{c.text}</option>
        ))}
      </select>
    </div>
  );
}

/** The parent (trust or health board) of an organisation, as a code. */
function parentCode(o: Organisation): string {
  return o.trust_code ?? o.local_health_board_code ?? "—";
}

/** The "Status" select: active, closed or either. */
function StatusSelect(props: { value: OrgQuery["active"] }) {
  return (
    <div class="nhsuk-form-group">
      <label class="nhsuk-label" for="filter-active">Status</label>
      <select class="nhsuk-select" id="filter-active" name="active">
        <option value="">Active or closed</option>
        <option value="true" selected={props.value === "true"}>Active</option>
        <option value="false" selected={props.value === "false"}>Closed</option>
      </select>
    </div>
  );
}

/** The filters in three columns: parents, memberships, status. */
function Filters(props: { query: OrgQuery; choices: FilterChoices }) {
  const { query, choices } = props;
  return (
    <fieldset class="nhsuk-fieldset">
      <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Filters</legend>
      <div class="nhsuk-grid-row">
        {[FILTER_FIELDS.slice(0, 3), FILTER_FIELDS.slice(3)].map((column) => (
          <div class="nhsuk-grid-column-one-third">
            {column.map((field) => (
              <Select
                id={field}
                label={FILTER_LABELS[field]}
                choices={choices[field]}
                value={query[field]}
              />
            ))}
          </div>
        ))}
        <div class="nhsuk-grid-column-one-third">
          <StatusSelect value={query.active} />
        </div>
      </div>
    </fieldset>
  );
}

/** The search form: the search text, the filters and the buttons. */
function SearchForm(props: { action: string; query: OrgQuery; choices: FilterChoices }) {
  const { action, query } = props;
  return (
    <form method="get" action={action} class="app-filters" role="search">
      <div class="nhsuk-form-group">
        <label class="nhsuk-label nhsuk-label--s" for="q">
          Search by name, ODS code or postcode
        </label>
        <div class="nhsuk-hint" id="q-hint">For example: Addenbrooke, RGT01 or CB2 0QQ</div>
        <input
          class="nhsuk-input nhsuk-u-width-two-thirds"
          id="q"
          name="q"
          type="search"
          value={query.q}
          aria-describedby="q-hint"
          autocomplete="off"
        />
      </div>
      <Filters query={query} choices={props.choices} />
      <div class="nhsuk-button-group">
        <button class="nhsuk-button" type="submit">Find organisations</button>
        <a class="nhsuk-link" href={action}>Clear search and filters</a>
      </div>
    </form>
  );
}

/** The organisations of one page of results, linked to their pages. */
function ResultsTable(props: { ctx: PageContext; orgs: Organisation[] }) {
  const { ctx } = props;
  return (
    <TableWrap label="Organisations found">
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">
          Organisations found
        </caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class={`${th} app-nowrap`} scope="col">ODS code</th>
            <th class={th} scope="col">Name</th>
            <th class={th} scope="col">Parent</th>
            <th class={th} scope="col">Postcode</th>
            <th class={th} scope="col">PDU</th>
            <th class={th} scope="col">Status</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {props.orgs.map((o) => (
            <tr class="nhsuk-table__row">
              <td class={td}>
                <a href={href(ctx, `/ui/organisations/${o.ods_code}`)}>{o.ods_code}</a>
              </td>
              <td class={td}>{o.name}</td>
              <td class={td}>{parentCode(o)}</td>
              <td class={`${td} app-nowrap`}>{o.postcode ?? ""}</td>
              <td class={td}>{o.paediatric_diabetes_unit_code ?? ""}</td>
              <td class={td}>
                <ActiveTag active={o.active} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Previous and next links of the results; `link` makes a page's URL. */
function ResultsPagination(props: { page: Page<Organisation>; link: (page: number) => string }) {
  const { page, link } = props;
  return (
    <Pagination
      prev={page.page > 1 ? link(page.page - 1) : null}
      next={page.page < page.pages ? link(page.page + 1) : null}
      prevLabel={`Page ${page.page - 1} of ${page.pages}`}
      nextLabel={`Page ${page.page + 1} of ${page.pages}`}
    />
  );
}

/** The organisation browser. */
export function OrganisationsPage(props: {
  ctx: PageContext;
  query: OrgQuery;
  page: Page<Organisation>;
  choices: FilterChoices;
}) {
  const { ctx, query, page } = props;
  const base = href(ctx, "/ui/organisations");
  return (
    <Layout ctx={ctx} title="Organisations" section="organisations">
      <h1>Organisations</h1>
      <SearchForm action={base} query={query} choices={props.choices} />

      <h2 id="results">
        {plural(page.total, "organisation")}
        {page.total > page.items.length ? ` (showing ${page.from} to ${page.to})` : ""}
      </h2>
      {page.items.length
        ? <ResultsTable ctx={ctx} orgs={page.items} />
        : <p>No organisation matches. Try fewer words, or clear the filters.</p>}
      <ResultsPagination page={page} link={(p) => base + queryString(query, { page: p })} />
    </Layout>
  );
}

/** A parent or membership: its name and code, linked to the filtered list. */
function Ref(props: {
  ctx: PageContext;
  code: string | null;
  name: string | null | undefined;
  filter?: string;
  extra?: string;
}) {
  if (!props.code) return <span>—</span>;
  const text = props.name ? `${props.name} (${props.code})` : props.code;
  return (
    <span>
      {props.filter
        ? (
          <a href={href(props.ctx, `/ui/organisations?${props.filter}=${props.code}`)}>
            {text}
          </a>
        )
        : text}
      {props.extra ?? ""}
    </span>
  );
}

function CodeLinks(props: { ctx: PageContext; codes: string[] }) {
  if (!props.codes.length) return <span>—</span>;
  return (
    <span>
      {props.codes.map((c, i) => (
        <span>
          {i ? ", " : ""}
          <a href={href(props.ctx, `/ui/organisations/${c}`)}>{c}</a>
        </span>
      ))}
    </span>
  );
}

const CAUSES: Record<ChangeEntry["cause"], string> = {
  seed: "reference seed",
  sync: "ODS sync",
  merge: "deno task merge",
  effective: "ODS date taking effect",
};

const OPS: Record<ChangeEntry["op"], string> = {
  create: "Created",
  update: "Updated",
  delete: "Deleted",
};

/** One change log entry in the timeline. */
function TimelineEntry(props: { ctx: PageContext; entry: ChangeEntry; n: number }) {
  const { ctx, entry } = props;
  const heading = `${OPS[entry.op]} by ${CAUSES[entry.cause] ?? entry.cause}`;
  const changes = (
    <TableWrap label={`Change ${props.n}: ${heading}, fields`}>
      <table class="nhsuk-table nhsuk-table--compact">
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class={th} scope="col">Field</th>
            <th class={th} scope="col">Old</th>
            <th class={th} scope="col">New</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {entry.changes.map((c) => (
            <tr class="nhsuk-table__row">
              <td class={td}>{c.field}</td>
              <td class={td}>{formatValue(c.old)}</td>
              <td class={td}>{formatValue(c.new)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
  return (
    <li class="app-timeline__item">
      <h3 class="app-timeline__heading">{heading}</h3>
      <p class="nhsuk-body-s nhsuk-u-margin-bottom-2">
        <Instant iso={entry.time} />
        {entry.last_change_date ? `; ODS LastChangeDate ${entry.last_change_date}` : ""}
        {entry.cause === "sync"
          ? (
            <span>
              {"; "}
              <a href={href(ctx, `/ui/sync/runs/${entry.run_id}`)}>run report</a>
            </span>
          )
          : ""}
      </p>
      {entry.op === "create"
        ? (
          <details class="nhsuk-details">
            <summary class="nhsuk-details__summary">
              <span class="nhsuk-details__summary-text">
                {plural(entry.changes.length, "field")} set
              </span>
            </summary>
            <div class="nhsuk-details__text">{changes}</div>
          </details>
        )
        : changes}
    </li>
  );
}

/** The record filed under `code` in `records`, if there is a code. */
function lookup<T>(
  records: ReadonlyMap<string, T>,
  code: string | null | undefined,
): T | undefined {
  return code ? records.get(code) : undefined;
}

/** The organisation's code, name and tags: active or closed, from ODS or curated. */
function OrganisationHeading(props: { org: Organisation }) {
  const { org } = props;
  return (
    <>
      <span class="nhsuk-caption-l">Organisation {org.ods_code}</span>
      <h1>{org.name}</h1>
      <p>
        <ActiveTag active={org.active} />{" "}
        <Tag colour={org.source === "ods" ? "blue" : "purple"}>
          {org.source === "ods" ? "Kept current from ODS" : "Curated"}
        </Tag>
      </p>
    </>
  );
}

/** The organisation's parents (trust or health board, ICB, region, country, borough). */
function Parents(props: { ctx: PageContext; org: Organisation; data: Dataset }) {
  const { ctx, org } = props;
  const r = props.data.records;
  const lhb = lookup(r.local_health_board, org.local_health_board_code);
  const trust = lookup(r.trust, org.trust_code);
  return (
    <SummaryList
      rows={[
        org.local_health_board_code
          ? [
            "Local health board",
            <Ref ctx={ctx} code={org.local_health_board_code} name={lhb?.name} filter="trust" />,
          ]
          : ["Trust", <Ref ctx={ctx} code={org.trust_code} name={trust?.name} filter="trust" />],
        [
          "Integrated care board",
          <Ref
            ctx={ctx}
            code={org.integrated_care_board_code}
            name={lookup(r.integrated_care_board, org.integrated_care_board_code)?.name}
            filter="icb"
          />,
        ],
        [
          "NHS England region",
          <Ref
            ctx={ctx}
            code={org.nhs_england_region_code}
            name={lookup(r.nhs_england_region, org.nhs_england_region_code)?.name}
            filter="region"
          />,
        ],
        [
          "Country",
          <Ref
            ctx={ctx}
            code={org.country_code}
            name={lookup(r.country, org.country_code)?.name}
          />,
        ],
        [
          "London borough",
          <Ref
            ctx={ctx}
            code={org.london_borough_code}
            name={lookup(r.london_borough, org.london_borough_code)?.name}
          />,
        ],
      ]}
    />
  );
}

/** The organisation's curated memberships (diabetes unit and its network, OPEN UK network). */
function Memberships(props: { ctx: PageContext; org: Organisation; data: Dataset }) {
  const { ctx, org } = props;
  const r = props.data.records;
  const pdu = lookup(r.paediatric_diabetes_unit, org.paediatric_diabetes_unit_code);
  const pdn = lookup(r.paediatric_diabetes_network, pdu?.paediatric_diabetes_network_code);
  const openuk = lookup(r.openuk_network, org.openuk_network_code);
  return (
    <>
      <SummaryList
        rows={[
          [
            "Paediatric diabetes unit",
            <Ref
              ctx={ctx}
              code={org.paediatric_diabetes_unit_code}
              name={null}
              filter="pdu"
              extra={pdn ? `, in ${pdn.name} (${pdn.pn_code})` : ""}
            />,
          ],
          [
            "OPEN UK network",
            <Ref ctx={ctx} code={org.openuk_network_code} name={openuk?.name} filter="openuk" />,
          ],
        ]}
      />
      <p class="app-muted">
        Memberships are curated: change them with{" "}
        <code>deno task merge -o {org.ods_code} --link-pdu PZnnn</code> or{" "}
        <code>--link-network CODE</code>.
      </p>
    </>
  );
}

/** The organisation's own details: address, contacts, dates, successors and predecessors. */
function Details(props: { ctx: PageContext; org: Organisation }) {
  const { ctx, org } = props;
  const address = [org.address1, org.address2, org.address3, org.city, org.county].filter(Boolean);
  return (
    <SummaryList
      rows={[
        ["ODS code", org.ods_code],
        ["Address", address.length ? address.join(", ") : "—"],
        ["Postcode", org.postcode ?? "—"],
        ["Telephone", org.telephone ?? "—"],
        ["Website", org.website ?? "—"],
        ["ODS LastChangeDate", <Day date={org.last_change_date} />],
        ["Operational", `${org.operational_start ?? "—"} to ${org.operational_end ?? "now"}`],
        ["Legal", `${org.legal_start ?? "—"} to ${org.legal_end ?? "now"}`],
        ["Successors", <CodeLinks ctx={ctx} codes={org.successors} />],
        ["Predecessors", <CodeLinks ctx={ctx} codes={org.predecessors} />],
        ["Last written by this service", <Instant iso={org.updated_at} />],
      ]}
    />
  );
}

/** The change log as a timeline, newest first (numbered from the oldest). */
function ChangeHistory(props: { ctx: PageContext; history: ChangeEntry[] }) {
  const newestFirst = [...props.history].reverse();
  if (!newestFirst.length) return <p>No changes recorded.</p>;
  return (
    <ol class="app-timeline" reversed>
      {newestFirst.map((e, i) => (
        <TimelineEntry ctx={props.ctx} entry={e} n={newestFirst.length - i} />
      ))}
    </ol>
  );
}

const RELATIONSHIP: Readonly<Record<string, string>> = {
  RE6: "operated by",
  RE5: "in the geography of",
};

/** The dated parents ODS gives the organisation, newest first (what `?as_of=` answers from). */
function ParentsOverTime(props: { org: Organisation }) {
  const periods = parentTimeline(props.org.ods_facts).reverse();
  if (!periods.length) {
    return <p>No dated parents from ODS yet (the record has not been synced).</p>;
  }
  return (
    <TableWrap label="Parents over time">
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Parents over time</caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class={th} scope="col">From</th>
            <th class={th} scope="col">To</th>
            <th class={th} scope="col">Parent</th>
            <th class={th} scope="col">Relationship</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {periods.map((p) => (
            <tr class="nhsuk-table__row">
              <td class={`${td} app-nowrap`}>{p.from ?? ""}</td>
              <td class={`${td} app-nowrap`}>{p.to ?? "open"}</td>
              <td class={td}>{p.parent}</td>
              <td class={td}>{RELATIONSHIP[p.relationship] ?? p.relationship}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** One organisation's page. */
export function OrganisationPage(props: {
  ctx: PageContext;
  org: Organisation;
  data: Dataset;
  history: ChangeEntry[];
}) {
  const { ctx, org, data } = props;
  return (
    <Layout
      ctx={ctx}
      title={`${org.name} (${org.ods_code})`}
      section="organisations"
      trail={[{ text: "Status", path: "/" }, { text: "Organisations", path: "/ui/organisations" }]}
    >
      <OrganisationHeading org={org} />

      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-one-half">
          <h2>Parents</h2>
          <Parents ctx={ctx} org={org} data={data} />
        </div>
        <div class="nhsuk-grid-column-one-half">
          <h2>Memberships</h2>
          <Memberships ctx={ctx} org={org} data={data} />
        </div>
      </div>

      <h2>Parents over time</h2>
      <ParentsOverTime org={org} />

      <h2>Details</h2>
      <Details ctx={ctx} org={org} />

      <h2>Change history</h2>
      <ChangeHistory ctx={ctx} history={props.history} />
      <p class="app-muted">
        As JSON: <code>/organisations/{org.ods_code}/</code> and{" "}
        <code>/organisations/{org.ods_code}/history/</code>.
      </p>
    </Layout>
  );
}
