/**
 * `/ui/login`: sign in with an API key (when `API_KEYS` is set); and the pages' "not found".
 *
 * @module
 */
import { ErrorSummary } from "../components.tsx";
import { href, Layout, type PageContext } from "../layout.tsx";

/** The sign-in page; `error` after a refused key. */
export function LoginPage(props: { ctx: PageContext; next: string; error: boolean }) {
  const { ctx, next, error } = props;
  const message = "Enter a valid API key";
  return (
    <Layout ctx={ctx} title={error ? "Error: Sign in" : "Sign in"} section="none">
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          {error
            ? (
              <ErrorSummary
                title="There is a problem"
                errors={[{ text: message, href: "#key" }]}
              />
            )
            : null}
          <h1>Sign in</h1>
          <p>
            These pages need one of the service's API keys, like the API. Signing in keeps you
            signed in on this browser for 8 hours.
          </p>
          <form method="post" action={href(ctx, "/ui/login")} novalidate>
            <input type="hidden" name="next" value={next} />
            <div class={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
              <label class="nhsuk-label" for="key">API key</label>
              <div class="nhsuk-hint" id="key-hint">One of the keys in API_KEYS</div>
              {error
                ? (
                  <span class="nhsuk-error-message" id="key-error">
                    <span class="nhsuk-u-visually-hidden">Error:</span> {message}
                  </span>
                )
                : null}
              <input
                class={`nhsuk-input${error ? " nhsuk-input--error" : ""}`}
                id="key"
                name="key"
                type="password"
                autocomplete="off"
                spellcheck={false}
                aria-describedby={error ? "key-hint key-error" : "key-hint"}
              />
            </div>
            <button class="nhsuk-button" type="submit">Sign in</button>
          </form>
        </div>
      </div>
    </Layout>
  );
}

/** The pages' "not found". */
export function NotFoundPage(props: { ctx: PageContext; what: string }) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title="Page not found" section="none">
      <h1>Page not found</h1>
      <p>{props.what}</p>
      <p>
        <a href={href(ctx, "/")}>Go to the service status</a> or{" "}
        <a href={href(ctx, "/ui/organisations")}>search the organisations</a>.
      </p>
    </Layout>
  );
}
