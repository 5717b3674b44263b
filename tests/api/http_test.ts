import { deepEqual, equal, ok } from "node:assert/strict";
import { asciiJson, etagMatches, hashText, makeEtag, SHAPES_REVISION } from "../../lib/api/http.ts";

Deno.test("asciiJson writes the same JSON value in pure ASCII", () => {
  const value = { name: "St John’s Ysbyty Gwynedd ŵ", emoji: "🏥", ascii: 'A&B "q"', n: 1.5 };
  const json = asciiJson(value);
  ok([...json].every((ch) => ch.charCodeAt(0) < 0x7f), json);
  deepEqual(JSON.parse(json), value);
  ok(json.includes("\\u2019"), json);
});

Deno.test("asciiJson of ASCII-only data is plain JSON.stringify", () => {
  equal(asciiJson({ plain: "ADDENBROOKE'S" }), JSON.stringify({ plain: "ADDENBROOKE'S" }));
});

const tag = makeEtag("00000000000000da0000", "organisations|RGT01");

Deno.test("ETags: shape revision, data version and a hash of the answer's key", () => {
  ok(new RegExp(`^"${SHAPES_REVISION}\\.00000000000000da0000\\.[0-9a-f]{14}"$`).test(tag), tag);
  equal(makeEtag("00000000000000da0000", "organisations|RGT01"), tag);
});

Deno.test("ETags: another data version or another answer gives another tag", () => {
  ok(makeEtag("00000000000000db0000", "organisations|RGT01") !== tag);
  ok(makeEtag("00000000000000da0000", "organisations|RGT02") !== tag);
  equal(hashText(""), hashText(""));
  ok(hashText("a") !== hashText("b"));
});

Deno.test("ETags: If-None-Match matches weakly, in a list, or with *", () => {
  ok(etagMatches(tag, tag));
  ok(etagMatches(`W/${tag}`, tag));
  ok(etagMatches(`"x", ${tag}`, tag));
  ok(etagMatches("*", tag));
});

Deno.test("ETags: a missing or other If-None-Match doesn't match", () => {
  ok(!etagMatches(undefined, tag));
  ok(!etagMatches('"x"', tag));
});
