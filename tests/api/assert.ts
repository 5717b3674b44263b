/**
 * Assertions shared by the API tests.
 *
 * @module
 */
import { ApiError } from "../../lib/api/errors.ts";

/** A `throws` validator: an {@linkcode ApiError} with this status and error text. */
export function apiError(status: number, error: string): (err: unknown) => boolean {
  return (err: unknown) => err instanceof ApiError && err.status === status && err.error === error;
}

/** Query parameters from a query string. */
export const q = (s: string): URLSearchParams => new URLSearchParams(s);
