/**
 * The throughput ceiling: a bare `Deno.serve` returning, for each path, the exact bytes the
 * service returned for it (fetched once at start). No framework, no store, no logging.
 *
 * `deno run -A bench/baseline_server.ts PORT SOURCE_ORIGIN PATHS_JSON_FILE`
 *
 * @module
 */

/** Build the bare handler over a fixed path → body table. */
export function bareHandler(
  bodies: ReadonlyMap<string, Uint8Array<ArrayBuffer>>,
): (req: Request) => Response {
  const headers = { "content-type": "application/json" };
  return (req) => {
    const url = req.url;
    const body = bodies.get(url.slice(url.indexOf("/", 8)));
    return body ? new Response(body, { headers }) : new Response(null, { status: 404 });
  };
}

if (import.meta.main) {
  const [port, origin, file] = Deno.args;
  const paths: string[] = JSON.parse(await Deno.readTextFile(file));
  const bodies = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const path of paths) {
    const res = await fetch(`${origin}${path}`);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    bodies.set(path, await res.bytes());
  }
  Deno.serve({
    port: Number(port),
    hostname: "127.0.0.1",
    onListen: () => console.error(`{"msg":"listening","paths":${bodies.size}}`),
  }, bareHandler(bodies));
}
