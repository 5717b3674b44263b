// deno-lint-ignore-file jsx-key -- server-rendered to a string once: no list reconciliation.
/**
 * `/ui/networks`: paediatric diabetes networks with their units and organisations, and OPEN UK
 * networks with theirs.
 *
 * @module
 */
import type { Dataset } from "../../api/dataset.ts";
import type { OPENUKNetwork, Organisation, PaediatricDiabetesNetwork } from "../../model.ts";
import { ActiveTag, TableWrap } from "../components.tsx";
import { plural } from "../format.ts";
import { href, Layout, type PageContext } from "../layout.tsx";

const th = "nhsuk-table__header";
const td = "nhsuk-table__cell";

function OrgList(props: { ctx: PageContext; orgs: readonly Organisation[] }) {
  if (!props.orgs.length) return <span class="app-muted">No organisations</span>;
  return (
    <ul class="nhsuk-list nhsuk-u-margin-bottom-0">
      {props.orgs.map((o) => (
        <li>
          <a href={href(props.ctx, `/ui/organisations/${o.ods_code}`)}>{o.ods_code}</a> {o.name}
          {o.active ? null : (
            <span>
              {" "}
              <ActiveTag active={false} />
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

function UnitsTable(props: { ctx: PageContext; data: Dataset; units: string[]; label: string }) {
  const { ctx, data } = props;
  return (
    <TableWrap label={props.label}>
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{props.label}</caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class={th} scope="col">Unit</th>
            <th class={th} scope="col">Organisations</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {props.units.map((pz) => (
            <tr class="nhsuk-table__row" id={pz}>
              <td class={`${td} app-nowrap`}>
                <a href={href(ctx, `/ui/organisations?pdu=${pz}`)}>{pz}</a>
              </td>
              <td class={td}>
                <OrgList
                  ctx={ctx}
                  orgs={data.organisationsOf("paediatric_diabetes_unit_code", pz)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The PZ codes of the units of each network (`null`: units without one). */
function unitsByNetwork(data: Dataset): Map<string | null, string[]> {
  const unitsOf = new Map<string | null, string[]>();
  for (const u of data.records.paediatric_diabetes_unit.values()) {
    const key = u.paediatric_diabetes_network_code;
    unitsOf.set(key, [...(unitsOf.get(key) ?? []), u.pz_code]);
  }
  return unitsOf;
}

/** The page's contents list: links to its two parts. */
function Contents() {
  return (
    <nav class="nhsuk-contents-list" aria-label="Pages in this section">
      <h2 class="nhsuk-u-visually-hidden">Contents</h2>
      <ol class="nhsuk-contents-list__list">
        <li class="nhsuk-contents-list__item">
          <a class="nhsuk-contents-list__link" href="#diabetes">Paediatric diabetes networks</a>
        </li>
        <li class="nhsuk-contents-list__item">
          <a class="nhsuk-contents-list__link" href="#openuk">OPEN UK networks</a>
        </li>
      </ol>
    </nav>
  );
}

/** One paediatric diabetes network: its units and their organisations. */
function DiabetesNetwork(props: {
  ctx: PageContext;
  data: Dataset;
  network: PaediatricDiabetesNetwork;
  units: string[];
}) {
  const { ctx, network: n, units } = props;
  return (
    <section>
      <h3 id={`network-${n.pn_code}`}>
        {n.name} ({n.pn_code})
      </h3>
      <p>
        {plural(units.length, "unit")};{" "}
        <a href={href(ctx, `/ui/organisations?network=${n.pn_code}`)}>
          list its organisations
        </a>
      </p>
      {units.length
        ? <UnitsTable ctx={ctx} data={props.data} units={units} label={`Units of ${n.pn_code}`} />
        : null}
    </section>
  );
}

/** One OPEN UK network and its organisations. */
function OpenUkNetwork(props: { ctx: PageContext; data: Dataset; network: OPENUKNetwork }) {
  const n = props.network;
  const orgs = props.data.organisationsOf("openuk_network_code", n.boundary_identifier);
  return (
    <section>
      <h3 id={`openuk-${n.boundary_identifier}`}>
        {n.name} ({n.boundary_identifier})
      </h3>
      <p>
        {plural(orgs.length, "organisation")}
        {n.country ? `, ${n.country}` : ""}
      </p>
      <OrgList ctx={props.ctx} orgs={orgs} />
    </section>
  );
}

/** The networks page. */
export function NetworksPage(props: { ctx: PageContext; data: Dataset }) {
  const { ctx, data } = props;
  const r = data.records;
  const unitsOf = unitsByNetwork(data);
  const networks = [...r.paediatric_diabetes_network.values()];
  const openuk = [...r.openuk_network.values()].sort((a, b) =>
    a.name.localeCompare(b.name, "en-GB")
  );
  const orphans = unitsOf.get(null) ?? [];
  return (
    <Layout ctx={ctx} title="Networks" section="networks">
      <h1>Networks</h1>
      <p class="nhsuk-lede-text">
        Curated memberships: {plural(networks.length, "paediatric diabetes network")} with{" "}
        {plural(r.paediatric_diabetes_unit.size, "unit")}, and{" "}
        {plural(openuk.length, "OPEN UK network")}.
      </p>
      <Contents />

      <h2 id="diabetes">Paediatric diabetes networks</h2>
      {networks.map((n) => (
        <DiabetesNetwork ctx={ctx} data={data} network={n} units={unitsOf.get(n.pn_code) ?? []} />
      ))}
      {orphans.length
        ? (
          <section>
            <h3 id="network-none">Units without a network</h3>
            <UnitsTable ctx={ctx} data={data} units={orphans} label="Units without a network" />
          </section>
        )
        : null}

      <h2 id="openuk">OPEN UK networks</h2>
      {openuk.map((n) => <OpenUkNetwork ctx={ctx} data={data} network={n} />)}
    </Layout>
  );
}
