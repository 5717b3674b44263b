import { equal } from "node:assert/strict";
import { redactText, redactUrl } from "../../lib/ods/redact.ts";

// Bug caught: a password in ORD_BASE_URL printed in a failed run's message.
Deno.test("redactUrl hides the user name and password", () => {
  equal(
    redactUrl("https://me:pw@ods.example/ORD/2-0-0/sync"),
    "https://***:***@ods.example/ORD/2-0-0/sync",
  );
});

// Bug caught: an API key put in ODT_BASE_URL's query printed in a failed run's message.
Deno.test("redactUrl hides secret query values and keeps the others", () => {
  equal(
    redactUrl("https://ods.example/fhir/Organization?_count=5&apikey=s3cret&API_KEY=x&token=t"),
    "https://ods.example/fhir/Organization?_count=5&apikey=***&API_KEY=***&token=***",
  );
});

// Bug caught: a URL quoted inside an error message escaping redaction.
Deno.test("redactText redacts every URL inside a message", () => {
  equal(
    redactText("error sending request for url (https://u:p@x.example/a?key=k): refused"),
    "error sending request for url (https://***:***@x.example/a?key=***): refused",
  );
});
