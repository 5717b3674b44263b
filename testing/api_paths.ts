/**
 * The API routes put under load by the benchmarks and the reliability soak.
 *
 * @module
 */

/** The list routes measured (each answers every record of its kind). */
export const LIST_PATHS = [
  "/organisations/",
  "/trusts/",
  "/paediatric_diabetes_units/parent/",
] as const;
