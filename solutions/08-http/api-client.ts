// api-client, reference solution (lesson 8).

/** A failure the user should read: printed as "Error: <message>", exit code 1. */
class Failure extends Error {}

/** GETs `url` and parses its JSON; every way that can go wrong becomes a Failure. */
async function fetchJson(url: string): Promise<unknown> {
  // One deadline for the whole exchange: the signal also aborts res.text()
  // when the headers came in time but the body stalls.
  const signal = AbortSignal.timeout(5000);
  try {
    const res = await fetch(url, { signal }); // follows redirects by default
    if (res.status !== 200) throw new Failure(`Unable to fetch user data. Status code: ${res.status}`);
    const body = await res.text();
    try {
      return JSON.parse(body);
    } catch {
      throw new Failure("the API did not send valid JSON");
    }
  } catch (error) {
    if (error instanceof Failure) throw error;
    if (signal.aborted) throw new Failure("no answer from the API within 5 s (timeout)");
    // fetch's own message is just "fetch failed"; the cause says why (ECONNREFUSED, ...).
    const cause = (error as Error).cause;
    throw new Failure(cause instanceof Error ? cause.message : String((error as Error).message));
  }
}

/** The string at `path` ("company.name") in `data`, or a Failure naming the field. */
function stringAt(data: unknown, path: string): string {
  let value = data;
  for (const key of path.split(".")) {
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (value === undefined) throw new Failure(`missing field ${path}`);
  if (typeof value !== "string") throw new Failure(`field ${path} is not a string`);
  return value;
}

async function main(): Promise<number> {
  const apiUrl = process.env.API_URL;
  const id = process.argv[2];
  if (!apiUrl || !id) {
    console.error("Error: usage: API_URL=<base url> api-client <id>");
    return 2;
  }
  try {
    // Appended, not new URL("/users/...", apiUrl): that would drop a path in API_URL such as /api.
    const user = await fetchJson(`${apiUrl}/users/${encodeURIComponent(id)}`);
    // Check every field before printing any, so a failure leaves stdout empty.
    const lines = [`User: ${stringAt(user, "name")}`, `Email: ${stringAt(user, "email")}`, `Company: ${stringAt(user, "company.name")}`];
    console.log(lines.join("\n"));
    return 0;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    console.error(`Error: ${error.message}`);
    return 1;
  }
}

// No process.exit(): setting the code lets Node finish writing stdout and stderr first.
process.exitCode = await main();
