/**
 * Credentials out of messages: URLs shown to operators (errors, logs, run records) never carry a
 * user name, a password or an API key.
 *
 * @module
 */

/** Query parameters whose values are secrets (matched case-insensitively, `-`/`_` ignored). */
const SECRET_PARAM =
  /^(api ?key|key|token|access ?token|auth|authorization|password|passwd|pwd|secret|client ?secret|signature|sig|code ?challenge)$/i;

/** Shown instead of a secret. */
export const REDACTED = "***";

/**
 * `url` with its user name, password and secret query parameters (`apikey`, `token`, `key`,
 * `password`, …) replaced by `***`. Text that is not an absolute URL is returned unchanged.
 *
 * @example
 * ```ts
 * import { redactUrl } from "./redact.ts";
 *
 * redactUrl("https://me:pw@ods.example/fhir/Organization?apikey=s3cret&_count=5");
 * // "https://***:***@ods.example/fhir/Organization?apikey=***&_count=5"
 * ```
 */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return String(url);
  }
  if (u.username) u.username = REDACTED;
  if (u.password) u.password = REDACTED;
  const query = u.search.slice(1);
  if (query) {
    const parts = query.split("&").map((part) => {
      const eq = part.indexOf("=");
      const name = eq < 0 ? part : part.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
      return eq >= 0 && SECRET_PARAM.test(decoded.replace(/[-_]/g, " "))
        ? `${name}=${REDACTED}`
        : part;
    });
    u.search = parts.join("&");
  }
  return u.href.replaceAll("%2A%2A%2A", REDACTED);
}

/**
 * `text` with every `http(s)://…` URL in it passed through {@linkcode redactUrl}.
 *
 * @example
 * ```ts
 * import { redactText } from "./redact.ts";
 *
 * redactText("error sending request for url (https://u:p@x.example/a?token=t)");
 * // "error sending request for url (https://***:***@x.example/a?token=***)"
 * ```
 */
export function redactText(text: string): string {
  return text.replace(/https?:\/\/[^\s()<>"']+/g, (url) => redactUrl(url));
}
