import { CheckFailure, quoteBytes, type ClientRun } from "../../harness/index.ts";
import { expectedOutcome, questionFor, type Outcome } from "./expected-output.ts";
import type { LabServer } from "./lab-server.ts";
import { asked, expectAsked } from "./question-verdict.ts";
import { expectRecords } from "./records-verdict.ts";
import { describeEnd, stderrDetails, stderrLines, type Lookup } from "./run-text.ts";

export { argsOf, type Lookup } from "./run-text.ts";

/** The contract's limit for giving up on a silent server, and the slack allowed for starting the program. */
export const GIVE_UP_MS = 5000;
export const GIVE_UP_SLACK_MS = 5500;

const LOOKUP_ERROR_HINT =
  "Catch the failed lookup, print \"error: <reason>\" on stderr (console.error) and exit with code 1 (process.exitCode = 1; sys.exit(1) in Python).";

const GIVE_UP_HINT =
  "UDP gives no error when nobody answers, so the program must stop waiting by itself, within 5 s in all: new Resolver({ timeout: 500, tries: 2 }) (c-ares's defaults keep trying for about 20 s), and a setTimeout that calls resolver.cancel() as a backstop; in Python, sock.settimeout(2) and catch socket.timeout (TimeoutError). Then print \"error: <reason>\" on stderr and exit with code 1.";

/**
 * Judges one run: first whether the program asked the grader's server the
 * right question (from the server's log), then what it printed and how it
 * ended, against what the zone says.
 */
export function judgeLookup(lookup: Lookup, run: ClientRun, server: LabServer, limitMs: number): void {
  if (server.bug) throw new Error(server.bug);
  const question = questionFor(lookup.type, lookup.name);
  expectAsked(lookup, question, run, server, limitMs);
  if (lookup.silent) return expectGaveUp(lookup, run, server, limitMs);
  const outcome = expectedOutcome(lookup.zone, question);
  if (outcome.kind === "records") expectRecords(lookup, outcome, run, limitMs);
  else expectLookupError(lookup, outcome, run, limitMs);
}

/** For NXDOMAIN and NODATA: nothing on stdout, "error: ..." on stderr, exit code 1. */
function expectLookupError(lookup: Lookup, outcome: Outcome, run: ClientRun, limitMs: number): void {
  const situation =
    outcome.kind === "nxdomain"
      ? `${lookup.name} does not exist (the grader's DNS server answered NXDOMAIN)`
      : `${lookup.name} has no ${lookup.type} records (the grader's DNS server answered NOERROR with no answers: the name has records of other types only)`;
  const code = outcome.kind === "nxdomain" ? "ENOTFOUND" : "ENODATA";
  const rcodeHint =
    outcome.kind === "nxdomain"
      ? "NXDOMAIN is an answer, and the final one: the name does not exist. Node's resolver rejects with code ENOTFOUND; in a hand-made client, RCODE (the low 4 bits of byte 3) is 3."
      : "no records of the type is an answer too (NODATA): RCODE 0 with ANCOUNT 0. Node's resolver rejects with code ENODATA; in a hand-made client, count the answers of the asked type.";
  const expected = ["nothing on stdout", '"error: <reason>" on stderr', "exit code 1"];
  if (run.timedOut) {
    throw new CheckFailure(`your program was still running after ${limitMs} ms, though ${situation}`, { expected, hint: `${rcodeHint} ${LOOKUP_ERROR_HINT}` });
  }
  if (run.exit.code === 0 || run.stdout !== "") {
    const did = [run.exit.code === 0 ? "exited with code 0" : describeEnd(run, limitMs), ...(run.stdout === "" ? [] : [`printed ${quoteBytes(run.stdout, 120)} on stdout`])];
    throw new CheckFailure(`for ${lookup.type} ${lookup.name}, your program ${did.join(" and ")}, but ${situation}`, {
      details: stderrDetails(run),
      expected,
      hint: `${rcodeHint} ${LOOKUP_ERROR_HINT} The error goes to stderr, and stdout stays empty.`,
    });
  }
  expectErrorExit(run, limitMs, `for ${lookup.type} ${lookup.name} (${outcome.kind === "nxdomain" ? "NXDOMAIN" : "no records of that type"})`, `${LOOKUP_ERROR_HINT} In Node, the rejection's code is ${code}.`);
}

/** Exit code 1 with a line "error: ..." on stderr. */
function expectErrorExit(run: ClientRun, limitMs: number, when: string, hint: string): void {
  const expected = ['"error: <reason>" on stderr', "exit code 1"];
  if (run.exit.code !== 1) {
    const note = run.exit.code === 2 ? " (exit code 2 is for usage errors: bad arguments or DNS_SERVER)" : "";
    throw new CheckFailure(`${when}, your program ${describeEnd(run, limitMs)}${note}`, { details: stderrDetails(run), expected, hint });
  }
  if (!stderrLines(run).some((line) => line.startsWith("error: "))) {
    const crashed = /^\s+at |Traceback \(most recent call last\)|Unhandled|uncaught/im.test(run.stderr);
    throw new CheckFailure(`${when}, your program exited with code 1 without a line "error: <reason>" on stderr${crashed ? ": it crashed" : ""}`, {
      details: stderrDetails(run),
      expected,
      hint: crashed ? `An uncaught error is not a message. ${hint}` : hint,
    });
  }
}

/** The silent server: the program gave up by itself, within 5 s, with "error: ..." and exit code 1. */
function expectGaveUp(lookup: Lookup, run: ClientRun, server: LabServer, limitMs: number): void {
  const sent = server.queries.map((q) => server.since(q.at));
  const count = sent.length + server.uncounted;
  const times = sent.length > 8 ? `${sent.slice(0, 8).join(", ")}, …` : sent.join(", ");
  const details = [`the grader's DNS server got ${count === 1 ? "one query, at +0 ms" : `${count} queries, at ${times}`}, and answered none`];
  const expected = ['"error: <reason>" on stderr and exit code 1, within 5 s of starting'];
  if (run.timedOut) {
    throw new CheckFailure(`your program was still waiting for an answer after ${limitMs} ms: it never gave up on a server that does not answer`, { details, expected, hint: GIVE_UP_HINT });
  }
  if (run.durationMs > GIVE_UP_SLACK_MS) {
    throw new CheckFailure(`your program gave up after ${run.durationMs.toLocaleString("en-US")} ms: more than ${GIVE_UP_MS / 1000} s`, { details, expected, hint: GIVE_UP_HINT });
  }
  if (run.exit.code === 0 || run.stdout !== "") {
    const did = [run.exit.code === 0 ? "exited with code 0" : describeEnd(run, limitMs), ...(run.stdout === "" ? [] : [`printed ${quoteBytes(run.stdout, 120)} on stdout`])];
    throw new CheckFailure(`with no answer from the server, your program ${did.join(" and ")}`, {
      details: [...details, ...stderrDetails(run)],
      expected: ["nothing on stdout", ...expected],
      hint: `No answer is a failed lookup. ${LOOKUP_ERROR_HINT}`,
    });
  }
  expectErrorExit(run, limitMs, `with no answer from the server for ${lookup.type} ${lookup.name}`, `${LOOKUP_ERROR_HINT} In Node, a lookup that times out rejects with code ETIMEOUT (ECANCELLED after resolver.cancel()).`);
}

const USAGE_HINT =
  'check everything before any lookup: TYPE one of A AAAA CNAME MX TXT NS SRV SOA PTR (in any case), a name, an IP address for PTR (net.isIP), DNS_SERVER set as host:port. Anything else: print "error: <reason>" on stderr, nothing on stdout, and exit with code 2 (process.exitCode = 2; sys.exit(2) in Python).';

/** A usage error: "error: ..." on stderr, nothing on stdout, exit code 2. `situation` says what was wrong ("TYPE is missing"). */
export function expectUsageError(run: ClientRun, server: LabServer, situation: string, limitMs: number): void {
  const problems: string[] = [];
  if (run.timedOut) problems.push(`was still running after ${limitMs} ms`);
  else if (run.exit.code !== 2) problems.push(run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`);
  if (run.stdout !== "") problems.push(`printed ${quoteBytes(run.stdout, 120)} on stdout`);
  if (!run.timedOut && !stderrLines(run).some((line) => line.startsWith("error: "))) problems.push('printed no line "error: <reason>" on stderr');
  if (problems.length === 0) return;
  const queried = server.questions.map(asked);
  const details = [...stderrDetails(run), ...(queried.length ? [`it sent a query for ${[...new Set(queried)].join(", ")} to the grader's DNS server all the same`] : [])];
  const note = run.exit.code === 1 ? " Exit code 1 is for failed lookups; a mistake in how the program was started is 2." : "";
  throw new CheckFailure(`${situation}, your program ${problems.join(", and ")}`, {
    details,
    expected: ['"error: <reason>" on stderr, nothing on stdout, exit code 2'],
    hint: `${USAGE_HINT}${note}`,
  });
}
