import { STATUS_CODES } from "node:http";
import { check, gradeExercise, freePort, CheckFailure, quoteBytes, type CheckContext, type ClientRun } from "../harness/index.ts";
import { FixtureApi, fetchRefuses, type Answer, type Seen } from "./api-client/fixture-api.ts";
import { makeAnyUser, makeUser, pickIds, type User } from "./api-client/users.ts";
import { expectAsked, expectReported, expectUser, describeEnd, outputLines } from "./api-client/verdict.ts";

gradeExercise("api-client");

/** A run that should be over in a fraction of a second; room for a slow start, short for a stuck one. */
const RUN_LIMIT_MS = 4000;
/** The contract's timeout is 5 s: a client that gives up on time is done within 6 s of its request. */
const GIVE_UP_MS = 6000;
/** Counted from the start, so it adds room for a program slow to start on a busy machine. */
const HANG_LIMIT_MS = 7000;
const SLOW_MS = 2000;
const PREFIXES = ["/api", "/api/v1", "/v2", "/placeholder/api"];

const STATUS_HINT =
  "check the status before reading the body: if (res.status !== 200) { console.error(`Error: Unable to fetch user data. Status code: ${res.status}`); process.exitCode = 1; return; } (Python: urlopen raises urllib.error.HTTPError for 4xx and 5xx; catch it and use e.code).";
const JSON_HINT =
  'a 200 answer can still carry a body that is not JSON (an HTML error page, a body cut short): wrap res.json() (or JSON.parse) in try/catch, print "Error: the API sent invalid JSON" on stderr and exit with code 1 (Python: except json.JSONDecodeError).';
const FIELD_HINT =
  'check each field before printing anything: typeof user.name === "string", typeof user.email === "string", typeof user.company?.name === "string". If one is not, print "Error: missing field company.name" (naming the field) on stderr and exit with code 1 (Python: isinstance(value, str)).';
const REFUSED_HINT =
  'fetch rejects when it cannot connect: a TypeError "fetch failed" whose cause says ECONNREFUSED. Catch it, print "Error: <why>" on stderr (error.cause.message says why) and exit with code 1 (Python: except urllib.error.URLError as e, e.reason).';
const TIMEOUT_HINT =
  'give fetch a signal: fetch(url, { signal: AbortSignal.timeout(5000) }), then catch its TimeoutError and print "Error: no answer within 5 s (timeout)" on stderr, exit code 1 (Python: urlopen(url, timeout=5), and catch TimeoutError).';
const BODY_TIMEOUT_HINT =
  "the 5 s limit must cover the body too: AbortSignal.timeout(5000) passed to fetch() keeps counting while res.json() reads the body, but a setTimeout you clear as soon as fetch() resolves does not. (Python: urlopen's timeout applies to every read, and a read that times out raises TimeoutError, which is not a URLError.)";
const USAGE_HINT =
  'check the input first: with no id argument, or with API_URL unset or empty, print "Error: usage: API_URL=<base url> api-client <id>" on stderr and exit with code 2 (process.exitCode = 2; sys.exit(2) in Python), without sending any request.';
const MENTION_TIMEOUT = {
  test: (line: string) => /time/i.test(line),
  what: "that it timed out",
  hint: 'say why it gave up, e.g. "Error: no answer from the API within 5 s (timeout)": a learner, or a script, must tell a dead API from a broken one.',
};

/** Proxy variables would send a Python client's requests for 127.0.0.1 to the proxy; the grader's API is local. */
const NO_PROXY: Record<string, string> = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"].some((name) => process.env[name]) ? { NO_PROXY: "127.0.0.1,localhost", no_proxy: "127.0.0.1,localhost" } : {};
const envFor = (apiUrl: string) => ({ API_URL: apiUrl, ...NO_PROXY });

/** One run of the learner's client, and the requests the API saw during it. */
async function runClient(ctx: CheckContext, api: FixtureApi | undefined, args: string[], apiUrl: string, limitMs = RUN_LIMIT_MS): Promise<{ run: ClientRun; seen: Seen[] }> {
  const from = api?.requests.length ?? 0;
  const run = await ctx.run(args, { env: envFor(apiUrl), timeoutMs: limitMs });
  return { run, seen: api?.since(from) ?? [] };
}

/**
 * Runs the client once per id, all at once (each run spends most of its time
 * starting up), and gives each run the requests that name its id, or, when
 * there are none, those that name no id at all.
 */
async function runEach(ctx: CheckContext, api: FixtureApi, ids: number[], limitMs = RUN_LIMIT_MS): Promise<{ run: ClientRun; seen: Seen[] }[]> {
  const from = api.requests.length;
  const runs = await Promise.all(ids.map((id) => ctx.run([String(id)], { env: envFor(api.url), timeoutMs: limitMs })));
  const seen = api.since(from);
  const names = (s: Seen, id: number) => s.path.split("/").includes(String(id));
  return runs.map((run, k) => {
    const own = seen.filter((s) => names(s, ids[k]!));
    return { run, seen: own.length > 0 ? own : seen.filter((s) => !ids.some((id) => names(s, id))) };
  });
}

function ok(user: unknown, extra: Partial<Extract<Answer, { kind: "json" }>> = {}): Answer {
  return { kind: "json", status: 200, body: JSON.stringify(user), ...extra };
}

/** Serves `user` at its path and checks that the client prints it. */
async function expectPrinted(ctx: CheckContext, api: FixtureApi, user: User, answer: Answer = ok(user)): Promise<void> {
  const path = new URL(api.url).pathname.replace(/\/$/, "") + `/users/${user.id}`;
  api.on(path, answer);
  const { run, seen } = await runClient(ctx, api, [String(user.id)], api.url);
  expectUser({ run, seen, apiUrl: api.url, path, id: user.id, limitMs: RUN_LIMIT_MS, user });
}

check("prints the user's name, email and company from GET <API_URL>/users/<id>", async (ctx) => {
  const api = await FixtureApi.open(ctx);
  const [id] = pickIds(ctx.random, 1);
  await expectPrinted(ctx, api, makeUser(ctx.random, id!, "ascii"));
});

check("prints names in any script byte for byte: accents, CJK, emoji", async (ctx) => {
  const api = await FixtureApi.open(ctx);
  const [id] = pickIds(ctx.random, 1);
  const user = makeUser(ctx.random, id!, "unicode");
  await expectPrinted(ctx, api, user, ok(user, { inPieces: true }));
});

check("keeps the path of API_URL: GET <API_URL path>/users/<id>", async (ctx) => {
  const api = await FixtureApi.open(ctx, ctx.random.pick(PREFIXES));
  const [id] = pickIds(ctx.random, 1);
  await expectPrinted(ctx, api, makeAnyUser(ctx.random, id!));
});

check("follows redirects (301, then 307) to the user", async (ctx) => {
  const api = await FixtureApi.open(ctx);
  const [id] = pickIds(ctx.random, 1);
  const user = makeAnyUser(ctx.random, id!);
  // A relative Location, then an absolute one.
  const hops: [string, Answer][] = [
    [`/users/${id}`, { kind: "redirect", status: 301, location: `/v2/users/${id}` }],
    [`/v2/users/${id}`, { kind: "redirect", status: 307, location: `${api.origin}/v2/people/${id}` }],
    [`/v2/people/${id}`, ok(user)],
  ];
  for (const [path, answer] of hops) api.on(path, answer);
  const { run, seen } = await runClient(ctx, api, [String(id)], api.url);
  const asked = { run, seen, apiUrl: api.url, path: `/users/${id}`, id: id!, limitMs: RUN_LIMIT_MS };
  expectAsked(asked);
  const reached = hops.filter(([path]) => seen.some((s) => s.path === path)).length;
  if (reached < hops.length) {
    const [path, hop] = hops[reached - 1]!;
    const status = hop.kind === "redirect" ? `${hop.status} ${STATUS_CODES[hop.status]} (Location: ${hop.location})` : "";
    const said = outputLines(run.stderr).find((l) => l.startsWith("Error"));
    throw new CheckFailure(`the grader's API answered GET ${path} with ${status}, and your program did not follow it`, {
      details: [`the grader's API got ${seen.map((s) => `GET ${s.target}`).join(", then ")}`, `your program ${describeEnd(run, RUN_LIMIT_MS)}${said ? `, saying ${quoteBytes(said)}` : ""}`],
      expected: hops.map(([p]) => `GET ${p}`).join(", then "),
      hint: 'a 3xx answer is not the final one: fetch follows redirects by itself (redirect: "follow" is the default), so leave out redirect: "manual". (Python\'s urlopen follows them too; with node:http or http.client, request the Location yourself.)',
    });
  }
  expectUser({ ...asked, user });
});

check("reports a 404 or a 500 as `Error: Unable to fetch user data. Status code: <code>`, exit code 1", async (ctx) => {
  const api = await FixtureApi.open(ctx);
  const cases: [number, string][] = [
    [404, "{}"],
    [500, JSON.stringify({ error: "Internal Server Error", message: "the user database is not answering" })],
  ];
  const ids = pickIds(ctx.random, cases.length);
  for (const [k, [status, body]] of cases.entries()) api.on(`/users/${ids[k]}`, { kind: "json", status, body });
  const runs = await runEach(ctx, api, ids);
  for (const [k, [status, body]] of cases.entries()) {
    const { run, seen } = runs[k]!;
    expectAsked({ run, seen, apiUrl: api.url, path: `/users/${ids[k]}`, id: ids[k]!, limitMs: RUN_LIMIT_MS });
    expectReported({
      run,
      limitMs: RUN_LIMIT_MS,
      situation: `the grader's API answered ${status} ${status === 404 ? "Not Found" : "Internal Server Error"} with ${quoteBytes(body, 40)}`,
      exitCode: 1,
      line: `Error: Unable to fetch user data. Status code: ${status}`,
      hint: STATUS_HINT,
    });
  }
});

check("reports a body that is not JSON: `Error: <reason>`, exit code 1", async (ctx) => {
  const api = await FixtureApi.open(ctx);
  const [cutId, htmlId] = pickIds(ctx.random, 2);
  const whole = JSON.stringify(makeAnyUser(ctx.random, cutId!));
  const cases: [number, Answer, string][] = [
    [cutId!, { kind: "json", status: 200, body: whole.slice(0, Math.floor(whole.length / 2)) }, "200 OK with a JSON body cut off halfway"],
    [
      htmlId!,
      { kind: "json", status: 200, contentType: "text/html; charset=utf-8", body: "<!DOCTYPE html>\n<html><body><h1>Service temporarily unavailable</h1></body></html>\n" },
      "200 OK with an HTML page",
    ],
  ];
  for (const [id, answer] of cases) api.on(`/users/${id}`, answer);
  const runs = await runEach(ctx, api, cases.map(([id]) => id));
  for (const [k, [id, , what]] of cases.entries()) {
    const { run, seen } = runs[k]!;
    expectAsked({ run, seen, apiUrl: api.url, path: `/users/${id}`, id, limitMs: RUN_LIMIT_MS });
    expectReported({ run, limitMs: RUN_LIMIT_MS, situation: `the grader's API answered ${what}`, exitCode: 1, hint: JSON_HINT });
  }
});

check("reports a missing or non-string field, naming it: `Error: <reason>`, exit code 1", async (ctx) => {
  const api = await FixtureApi.open(ctx);
  const ids = pickIds(ctx.random, 3);
  const users = ids.map((id) => makeAnyUser(ctx.random, id) as unknown as Record<string, unknown>);
  const [noCompanyName, noEmail, nullName] = users as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  const company = noCompanyName.company as Record<string, unknown>;
  delete company.name;
  delete noEmail.email;
  nullName.name = null;
  const cases: { user: Record<string, unknown>; field: string; word: string; label: string; why: string }[] = [
    { user: noCompanyName, field: "company.name", word: "company", label: "Company: ", why: `the JSON has no company.name (its company is ${JSON.stringify(company)})` },
    { user: noEmail, field: "email", word: "email", label: "Email: ", why: "the JSON has no email" },
    { user: nullName, field: "name", word: "name", label: "User: ", why: "the JSON's name is null, not a string" },
  ];
  for (const [k, { user }] of cases.entries()) api.on(`/users/${ids[k]}`, ok(user));
  const runs = await runEach(ctx, api, ids);
  for (const [k, { field, word, label, why }] of cases.entries()) {
    const id = ids[k]!;
    const { run, seen } = runs[k]!;
    expectAsked({ run, seen, apiUrl: api.url, path: `/users/${id}`, id, limitMs: RUN_LIMIT_MS });
    expectReported({
      run,
      limitMs: RUN_LIMIT_MS,
      situation: `the grader's API sent a user ${field === "name" ? "whose name is null" : `with no ${field}`}`,
      exitCode: 1,
      mention: {
        test: (line) => line.toLowerCase().includes(word),
        what: `which field: ${field}`,
        hint: `name the field in the message, e.g. "Error: missing field ${field}", so whoever reads it knows what the API got wrong.`,
      },
      hint: FIELD_HINT,
      explainStdout: (line) => (line.startsWith(label) ? why : undefined),
    });
  }
});

check("reports a refused connection: `Error: <reason>`, exit code 1", async (ctx) => {
  let port = await freePort("tcp");
  while (fetchRefuses(port)) port = await freePort("tcp");
  const [id] = pickIds(ctx.random, 1);
  ctx.scope.transcript.add("grader", `nothing listens on 127.0.0.1:${port}, so a connection there is refused`);
  const { run } = await runClient(ctx, undefined, [String(id)], `http://127.0.0.1:${port}`);
  expectReported({ run, limitMs: RUN_LIMIT_MS, situation: `API_URL pointed at a port where nothing listens (connection refused)`, exitCode: 1, hint: REFUSED_HINT });
});

check("rejects a missing id or API_URL: `Error: <usage>`, exit code 2", async (ctx) => {
  const api = await FixtureApi.open(ctx);
  const [id] = pickIds(ctx.random, 1);
  const cases: [string[], string, string][] = [
    [[], api.url, "there was no id argument"],
    [[String(id)], "", "API_URL was empty (as good as unset)"],
  ];
  // At once; only the first can reach the grader's API, so what it saw is the first run's.
  const runs = await Promise.all(cases.map(([args, apiUrl]) => runClient(ctx, api, args, apiUrl)));
  for (const [k, [, , situation]] of cases.entries()) {
    const { run } = runs[k]!;
    const seen = k === 0 ? api.requests : [];
    if (seen.length > 0) {
      throw new CheckFailure(`when ${situation}, your program still sent ${seen.map((s) => `${s.method} ${s.target}`).join(" and ")} to the grader's API`, {
        details: [`your program ${describeEnd(run, RUN_LIMIT_MS)}`],
        expected: ['"Error: <usage>" on stderr, no request, nothing on stdout, and exit code 2'],
        hint: USAGE_HINT,
      });
    }
    expectReported({ run, limitMs: RUN_LIMIT_MS, situation, exitCode: 2, hint: USAGE_HINT });
  }
});

check("waits for an answer that takes 2 s, and gives up on a silent API within 6 s", async (ctx) => {
  const api = await FixtureApi.open(ctx);
  const [slowId, silentId, stallId] = pickIds(ctx.random, 3) as [number, number, number];
  const user = makeAnyUser(ctx.random, slowId);
  api.on(`/users/${slowId}`, ok(user, { delayMs: SLOW_MS }));
  api.on(`/users/${silentId}`, { kind: "silent" });
  api.on(`/users/${stallId}`, { kind: "stall", body: JSON.stringify(makeAnyUser(ctx.random, stallId)) });
  // At once, so the check takes as long as its longest wait, not the sum of them.
  const startedAt = Date.now();
  const [slow, silent, stall] = await runEach(ctx, api, [slowId, silentId, stallId], HANG_LIMIT_MS);
  expectUser({ run: slow!.run, seen: slow!.seen, apiUrl: api.url, path: `/users/${slowId}`, id: slowId, limitMs: HANG_LIMIT_MS, user, delayMs: SLOW_MS, startedAt });
  const hangs: [number, { run: ClientRun; seen: Seen[] }, string, string][] = [
    [silentId, silent!, `the grader's API took the request for /users/${silentId} and never answered`, TIMEOUT_HINT],
    [stallId, stall!, `the grader's API sent the headers and part of the body for /users/${stallId}, then nothing more`, BODY_TIMEOUT_HINT],
  ];
  for (const [id, { run, seen }, situation, hint] of hangs) {
    expectAsked({ run, seen, apiUrl: api.url, path: `/users/${id}`, id, limitMs: HANG_LIMIT_MS });
    expectReported({ run, limitMs: HANG_LIMIT_MS, situation, exitCode: 1, mention: MENTION_TIMEOUT, hint });
    const requestedAt = seen.find((s) => s.path === `/users/${id}`)!.at;
    const after = startedAt + run.durationMs - requestedAt;
    if (after > GIVE_UP_MS) {
      throw new CheckFailure(`when ${situation}, your program gave up only ${(after / 1000).toFixed(1)} s after its request`, {
        expected: [`"Error: <reason>" and exit code 1 within 5 s of the request (up to ${GIVE_UP_MS / 1000} s is accepted)`],
        hint: "give up after 5 s: AbortSignal.timeout(5000) in Node, urlopen(url, timeout=5) in Python.",
      });
    }
  }
});
