/**
 * The page shell of the web pages, in NHS.UK frontend markup: skip link, header with the
 * service name, organisation search and navigation, breadcrumbs, main landmark and footer.
 *
 * Every URL in a page is relative to the page (see {@linkcode relativeBase}), so the pages also
 * work behind a path prefix (API Management), like `/docs`.
 *
 * @module
 */
import type { Child } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";
import { Icon } from "./components.tsx";

/** A rendered JSX element (what a component returns). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What every page needs to know about the request. */
export interface PageContext {
  /** Relative URL of the site root from this page, e.g. `./../`. */
  base: string;
  /** The request signed in with a session cookie (offer "Sign out"). */
  signedIn: boolean;
  /** The service's clock. */
  now: Date;
}

/** Sections of the site, for the navigation. */
export type Section = "status" | "sync" | "review" | "organisations" | "networks" | "none";

/** The service name shown in the header and titles. */
export const SERVICE_NAME = "RCPCH NHS Organisations";

/**
 * The relative URL of the site root as seen from a page at `pathname`: `./` at `/`, `./../` at
 * `/ui/sync`, `./../../` at `/ui/sync/` or `/ui/organisations/RGT01`.
 */
export function relativeBase(pathname: string): string {
  const depth = Math.max(0, (pathname.match(/\//g) ?? []).length - 1);
  return "./" + "../".repeat(depth);
}

/** A site path (`/ui/sync`) as a URL relative to the page. */
export function href(ctx: Pick<PageContext, "base">, path: string): string {
  return ctx.base + path.replace(/^\//, "");
}

const NAV: { id: Exclude<Section, "none">; path: string; text: string }[] = [
  { id: "status", path: "/", text: "Status" },
  { id: "sync", path: "/ui/sync", text: "Sync history" },
  { id: "review", path: "/ui/review", text: "Review list" },
  { id: "organisations", path: "/ui/organisations", text: "Organisations" },
  { id: "networks", path: "/ui/networks", text: "Networks" },
];

/** A breadcrumb trail entry. */
export interface Crumb {
  text: string;
  path: string;
}

const SEARCH_ICON =
  "m20.7 18.9-4.1-4.1a7 7 0 1 0-1.4 1.4l4 4.1a1 1 0 0 0 1.5 0c.4-.4.4-1 0-1.4ZM6 10.6a5 5 0 1 1 10 0 5 5 0 0 1-10 0Z";

/** The header's organisation search form (it submits to the organisation browser). */
function HeaderSearch(props: { ctx: PageContext }) {
  return (
    <search class="nhsuk-header__search">
      <form
        class="nhsuk-header__search-form"
        id="search"
        action={href(props.ctx, "/ui/organisations")}
        method="get"
        novalidate
      >
        <div class="nhsuk-form-group">
          <label class="nhsuk-label nhsuk-u-visually-hidden" for="search-field">
            Search organisations by name, ODS code or postcode
          </label>
          <div class="nhsuk-input-wrapper">
            <input
              class="nhsuk-input"
              id="search-field"
              name="q"
              type="search"
              autocomplete="off"
              placeholder="Search organisations"
            />
            <button
              class="nhsuk-button nhsuk-button--icon nhsuk-button--small"
              type="submit"
              aria-label="Search"
            >
              <Icon name="search" d={SEARCH_ICON} />
            </button>
          </div>
        </div>
      </form>
    </search>
  );
}

/** The header's account menu: a "Sign out" button. */
function AccountMenu(props: { ctx: PageContext }) {
  return (
    <nav class="nhsuk-header__account" aria-label="Account">
      <ul class="nhsuk-header__account-list">
        <li class="nhsuk-header__account-item">
          <form
            class="nhsuk-header__account-form"
            action={href(props.ctx, "/ui/logout")}
            method="post"
            novalidate
          >
            <button class="nhsuk-header__account-button" type="submit">Sign out</button>
          </form>
        </li>
      </ul>
    </nav>
  );
}

/** One section in the navigation, marked current when the page is in it. */
function NavItem(props: { ctx: PageContext; item: (typeof NAV)[number]; current: boolean }) {
  const { item, current } = props;
  return (
    <li
      class={`nhsuk-header__navigation-item${
        current ? " nhsuk-header__navigation-item--current" : ""
      }`}
    >
      <a
        class="nhsuk-header__navigation-link"
        href={href(props.ctx, item.path)}
        aria-current={current ? "true" : undefined}
      >
        {current
          ? <strong class="nhsuk-header__navigation-item-current-fallback">{item.text}</strong>
          : item.text}
      </a>
    </li>
  );
}

/** The navigation bar under the header: every section of the site. */
function Navigation(props: { ctx: PageContext; section: Section }) {
  return (
    <nav class="nhsuk-header__navigation" aria-label="Menu">
      <div class="nhsuk-header__navigation-container nhsuk-width-container">
        <ul class="nhsuk-header__navigation-list">
          {NAV.map((item) => (
            <NavItem ctx={props.ctx} item={item} current={item.id === props.section} />
          ))}
        </ul>
      </div>
    </nav>
  );
}

/** The NHS.UK header: service name, search, account menu (when signed in) and navigation. */
function Header(props: { ctx: PageContext; section: Section }) {
  const { ctx, section } = props;
  return (
    <header class="nhsuk-header" role="banner">
      <div class="nhsuk-header__container nhsuk-width-container">
        <div class="nhsuk-header__service">
          <a class="nhsuk-header__service-name" href={href(ctx, "/")}>{SERVICE_NAME}</a>
        </div>
        <HeaderSearch ctx={ctx} />
        {ctx.signedIn && <AccountMenu ctx={ctx} />}
      </div>
      <Navigation ctx={ctx} section={section} />
    </header>
  );
}

const BACK_TO = "Back to ";

function Breadcrumbs(props: { ctx: PageContext; trail: Crumb[] }) {
  const { ctx, trail } = props;
  const last = trail[trail.length - 1];
  return (
    <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
      <ol class="nhsuk-breadcrumb__list">
        {trail.map((c) => (
          <li class="nhsuk-breadcrumb__list-item">
            <a class="nhsuk-breadcrumb__link" href={href(ctx, c.path)}>{c.text}</a>
          </li>
        ))}
      </ol>
      <a class="nhsuk-back-link" href={href(ctx, last.path)}>
        <span class="nhsuk-u-visually-hidden">{BACK_TO}</span>
        {last.text}
      </a>
    </nav>
  );
}

function Footer(props: { ctx: PageContext }) {
  const { ctx } = props;
  const links = [
    { path: "/docs", text: "API documentation" },
    { path: "/schema/", text: "OpenAPI document" },
    { path: "/health", text: "Health check (JSON)" },
  ];
  return (
    <footer class="nhsuk-footer" role="contentinfo">
      <div class="nhsuk-width-container">
        <div class="nhsuk-footer__meta">
          <h2 class="nhsuk-u-visually-hidden">Support links</h2>
          <ul class="nhsuk-footer__list">
            {links.map((l) => (
              <li class="nhsuk-footer__list-item">
                <a class="nhsuk-footer__list-item-link" href={href(ctx, l.path)}>{l.text}</a>
              </li>
            ))}
          </ul>
          <p class="nhsuk-body-s">
            {SERVICE_NAME}: data from the NHS Organisation Data Service, curated memberships from
            the Royal College of Paediatrics and Child Health.
          </p>
        </div>
      </div>
    </footer>
  );
}

/** Props of {@linkcode Layout}. */
export interface LayoutProps {
  ctx: PageContext;
  /** The page's own title (the `<title>` adds the service name). */
  title: string;
  section: Section;
  /** Breadcrumbs above the main content: the pages above this one. */
  trail?: Crumb[];
  children?: Child;
}

/** A whole page. Render it with {@linkcode renderPage}. */
export function Layout(props: LayoutProps) {
  const { ctx } = props;
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} – ${SERVICE_NAME}`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={href(ctx, "/ui/assets/nhsuk-frontend.css")} />
        <link rel="stylesheet" href={href(ctx, "/ui/assets/app.css")} />
      </head>
      <body>
        <a class="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
        <Header ctx={ctx} section={props.section} />
        <div class="nhsuk-width-container">
          {props.trail?.length ? <Breadcrumbs ctx={ctx} trail={props.trail} /> : null}
          <main class="nhsuk-main-wrapper" id="maincontent" role="main">
            {props.children}
          </main>
        </div>
        <Footer ctx={ctx} />
      </body>
    </html>
  );
}

/** A page element as an HTML document. */
export async function renderPage(page: Html): Promise<string> {
  return "<!DOCTYPE html>" + (await page).toString();
}
