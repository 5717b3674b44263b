/**
 * What the simulator serves for ODS's dated facts: moves published in advance and marked Active
 * (as ODS does), and the `ods-organization-code` CodeSystem `$lookup` with successions.
 */
import { deepEqual, equal } from "node:assert/strict";
import { startOdsSimulator } from "../../testing/ods_sim/server.ts";

const NOW = "2025-06-10T09:00:00Z"; // Tuesday; today = 2025-06-10
const SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";

Deno.test("a move published in advance is marked Active before its date, both rels dated", async () => {
  const sim = await startOdsSimulator({ now: NOW });
  try {
    sim.dataset.reparent("RVVKC", "RZB", "2025-06-10", {
      effective: "2025-10-01",
      activeInAdvance: true,
    });
    sim.publish("2025-06-11");
    const res = await fetch(`${sim.ordBaseUrl}/organisations/RVVKC`);
    const org = (await res.json()).Organisation;
    const re6 = org.Rels.Rel.filter((r: { id: string }) => r.id === "RE6").map((
      r: { Status: string; Target: { OrgId: { extension: string } }; Date: unknown[] },
    ) => [r.Target.OrgId.extension, r.Status, r.Date]);
    deepEqual(re6, [
      ["RVV", "Active", [{ Type: "Operational", Start: "1999-04-01", End: "2025-09-30" }]],
      ["RZB", "Active", [{ Type: "Operational", Start: "2025-10-01" }]],
    ]);
  } finally {
    await sim.close();
  }
});

Deno.test("FHIR CodeSystem $lookup names a record's successions", async () => {
  const sim = await startOdsSimulator({ now: NOW });
  try {
    const url = `${sim.fhirBaseUrl}/CodeSystem/$lookup?system=${SYSTEM}&code=RZA&property=*`;
    const res = await fetch(url);
    equal(res.status, 200);
    const body = await res.json();
    equal(body.resourceType, "Parameters");
    const successions = body.parameter
      .filter((p: { name: string }) => p.name === "property")
      .map((p: { part: { name: string; valueCode?: string }[] }) => p.part.map((x) => x.valueCode))
      .filter(([code]: string[]) => code === "successor" || code === "predecessor");
    deepEqual(successions, [["successor", "RZB"]]);
  } finally {
    await sim.close();
  }
});

Deno.test("FHIR CodeSystem $lookup of an unknown code is a 404 not-found", async () => {
  const sim = await startOdsSimulator({ now: NOW });
  try {
    const res = await fetch(`${sim.fhirBaseUrl}/CodeSystem/$lookup?system=${SYSTEM}&code=D82626`);
    equal(res.status, 404);
    const body = await res.json();
    equal(body.issue[0].code, "not-found");
  } finally {
    await sim.close();
  }
});

Deno.test("the FHIR address carries no county, as the real API's", async () => {
  const sim = await startOdsSimulator({ now: NOW });
  try {
    const res = await fetch(`${sim.fhirBaseUrl}/Organization/RVVKC`);
    const body = await res.json();
    equal(body.address[0].district, undefined);
    equal(body.address[0].city, "CANTERBURY");
  } finally {
    await sim.close();
  }
});
