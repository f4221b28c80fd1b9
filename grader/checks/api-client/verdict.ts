import { CheckFailure, describeDifference, judgingRun, quoteBytes, type ClientRun } from "../../harness/index.ts";
import type { Seen } from "./fixture-api.ts";
import { expectedLines, type User } from "./users.ts";

export const ASK_HINT =
  "read the base URL from the environment and the id from the arguments, then GET `${API_URL}/users/${id}`: const url = `${process.env.API_URL}/users/${process.argv[2]}`; const res = await fetch(url); (Python: os.environ[\"API_URL\"], sys.argv[1], urllib.request.urlopen(url)).";
const ELSEWHERE_HINT =
  "your program seems to connect somewhere else. Do not hard-code a host or port: the grader's API is on a new port every time, and API_URL says where. Build the URL from it: `${process.env.API_URL}/users/${id}`.";
const LINES_HINT =
  "print exactly three lines on stdout: console.log(`User: ${user.name}`), console.log(`Email: ${user.email}`), console.log(`Company: ${user.company.name}`) (print(f\"User: {user['name']}\") in Python).";
const STDERR_HINT =
  "stdout carries only the three lines of a user. Write errors to stderr: console.error(...) in Node, print(..., file=sys.stderr) in Python.";

/** What a run should have asked the API for. */
export interface Asked {
  run: ClientRun;
  /** The requests the API saw during this run. */
  seen: Seen[];
  apiUrl: string;
  /** The path the client must request: the path of API_URL, then /users/<id>. */
  path: string;
  id: number;
  limitMs: number;
}

/** The API got GET `path` from the program, or the failure says what it got instead. */
export function expectAsked(asked: Asked): void {
  const { run, seen, apiUrl, path, id } = asked;
  if (seen.some((s) => s.method === "GET" && s.path === path)) return;
  const end = `your program ${describeEnd(run, asked.limitMs)}`;
  if (seen.length === 0) {
    const elsewhere = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|getaddrinfo|Connection refused|Name or service not known|nodename nor servname/.test(run.stderr);
    throw new CheckFailure(`the grader's API at ${apiUrl} got no request from your program`, {
      details: [end],
      expected: [`GET ${path}, then the user's name, email and company on stdout`],
      hint: elsewhere ? ELSEWHERE_HINT : ASK_HINT,
    });
  }
  const first = seen.find((s) => s.path === path) ?? seen[0]!;
  const details = [`the grader's API got ${seen.map((s) => `${s.method} ${s.target}`).slice(0, 3).join(", then ")}`, end];
  const expected = [`GET ${path}`];
  if (first.path === path) {
    throw new CheckFailure(`the grader's API got ${first.method} ${first.target}: a user is read with GET`, {
      details,
      expected,
      hint: 'fetch(url) sends GET unless you pass another method: leave out { method: "..." }.',
    });
  }
  const prefix = path.slice(0, path.length - `/users/${id}`.length);
  if (prefix !== "" && first.path === `/users/${id}`) {
    throw new CheckFailure(`the grader's API got GET ${first.target}, which drops the path of API_URL (${prefix})`, {
      details: [`API_URL is ${apiUrl}`, ...details],
      expected,
      hint: `API_URL may end in a path: append to it, \`\${process.env.API_URL}/users/\${id}\`. new URL("/users/${id}", API_URL) starts again from the host, so it drops ${prefix} (a leading "/" means "from the root"); Python's urljoin does the same.`,
    });
  }
  const user = /\/users\/([^/]*)$/.exec(first.path)?.[1];
  if (user !== undefined && ["", "undefined", "None", "null"].includes(user)) {
    throw new CheckFailure(`the grader's API got GET ${first.target}: the id is missing from the path`, {
      details: [`your program was run with the argument ${id}`, ...details],
      expected,
      hint: "the id is the first argument after the program: process.argv[2] in Node (argv[0] is node, argv[1] the script), sys.argv[1] in Python.",
    });
  }
  if (user !== undefined && /^\d+$/.test(user)) {
    throw new CheckFailure(`the grader's API got GET ${first.target}: user ${user}, but your program was run with the id ${id}`, {
      details,
      expected,
      hint: "take the id from the command line (process.argv[2] in Node, sys.argv[1] in Python); the grader picks a new one every time.",
    });
  }
  throw new CheckFailure(`the grader's API got ${first.method} ${first.target}, not GET ${path}`, {
    details: [`API_URL is ${apiUrl}`, ...details],
    expected,
    hint: `the path is API_URL's own path, then /users/<id>, with nothing added: \`\${process.env.API_URL}/users/\${id}\` (API_URL has no trailing slash).`,
  });
}

/** A run that must print `user`: it asked the right path, ended with code 0 and printed the three lines. */
/** Judges a run that should have printed `user`; a failure shows that run's output. */
export function expectUser(asked: Asked & { user: User; delayMs?: number; startedAt?: number }): void {
  judgingRun(asked.run, () => judgeUser(asked));
}

function judgeUser(asked: Asked & { user: User; delayMs?: number; startedAt?: number }): void {
  expectAsked(asked);
  const { run, path, user, delayMs } = asked;
  const answered = `the grader's API answered GET ${path} with 200 OK${delayMs ? ` after ${delayMs / 1000} s` : ""}`;
  if (run.timedOut) {
    throw new CheckFailure(`your program was still running after ${seconds(asked.limitMs)}, though ${answered}`, {
      details: [printedLines(run)],
      expected: [`the three lines, then the end of the program, exit code 0`],
      hint: "print the three lines and let the program end: Node stops by itself once nothing is pending, so do not leave a timer, a server or stdin open.",
    });
  }
  if (run.exit.code !== 0) {
    const crash = crashLine(run.stderr);
    // Timed from the request, not from the start: a program can be slow to start on a busy machine.
    const request = asked.seen.find((s) => s.path === path);
    const gaveUp = delayMs !== undefined && request !== undefined && asked.startedAt !== undefined && asked.startedAt + run.durationMs - request.at < delayMs;
    throw new CheckFailure(
      gaveUp
        ? `your program gave up ${(asked.startedAt! + run.durationMs - request!.at).toLocaleString("en-US")} ms after its request, but ${answered}`
        : `your program ${describeEnd(run, asked.limitMs)}, though ${answered}`,
      {
        details: [...(crash ? [`it crashed with ${quoteBytes(crash)}`] : []), ...stderrDetails(run)],
        expected: [...expectedLines(user).map((line) => quoteBytes(line)), "and exit code 0"],
        hint: gaveUp
          ? "a slow API is not a dead one: wait up to 5 s for the whole answer (AbortSignal.timeout(5000); urlopen(url, timeout=5) in Python) before giving up."
          : "its error output says why it stopped. The API sent a complete user: print its three lines and let the program end with code 0.",
      },
    );
  }
  expectLines(run, user);
}

/** Stdout is exactly `User: <name>`, `Email: <email>`, `Company: <company.name>`. */
function expectLines(run: ClientRun, user: User): void {
  const got = outputLines(run.stdout);
  const want = expectedLines(user);
  const expected = want.map((line) => quoteBytes(line));
  for (const [i, line] of want.entries()) {
    const printed = got[i];
    if (printed === line) continue;
    if (printed === undefined) {
      throw new CheckFailure(`your program printed ${got.length === 0 ? "nothing" : `${got.length} line${got.length === 1 ? "" : "s"}`} on stdout: ${quoteBytes(line)} is missing`, {
        expected,
        hint: LINES_HINT,
      });
    }
    throw explainLine(i, printed, line, user, expected);
  }
  if (got.length > want.length) {
    throw new CheckFailure(`your program printed ${got.length} lines on stdout, not 3: ${quoteBytes(got[want.length]!)} is one too many`, {
      expected,
      hint: "print only the three lines on stdout; anything else (progress, debugging) goes to stderr: console.error(...).",
    });
  }
}

const FIELDS = ["name", "email", "company.name"] as const;

/** Why line i is not the expected one, said as precisely as the printed text allows. */
function explainLine(i: number, printed: string, line: string, user: User, expected: string[]): CheckFailure {
  const label = line.slice(0, line.indexOf(": ") + 2);
  const field = FIELDS[i]!;
  const message = `line ${i + 1} of your output is ${quoteBytes(printed)}`;
  const want = line.slice(label.length);
  if (!printed.startsWith(label)) {
    const elsewhere = expectedLines(user).indexOf(printed);
    if (elsewhere !== -1) return new CheckFailure(`${message}, which belongs on line ${elsewhere + 1}`, { expected, hint: "print the lines in this order: User, Email, Company." });
    const bare = printed.trim() === want;
    return new CheckFailure(`${message}, expected ${quoteBytes(line)}`, {
      details: bare ? [] : (describeDifference(Buffer.from(line), Buffer.from(printed))?.split("\n") ?? []),
      expected,
      hint: bare ? `put the label in front of the value: \`${label}\${...}\`.` : `each line starts with its label exactly: "User: ", "Email: ", "Company: " (a capital letter, a colon and one space).`,
    });
  }
  const value = printed.slice(label.length);
  const fieldText = `the JSON's ${field} is ${quoteBytes(want)}`;
  if (["undefined", "None", "null", ""].includes(value)) {
    return new CheckFailure(`${message}: your program read a property the JSON does not have`, {
      details: [fieldText],
      expected,
      hint: 'mind the names and the nesting: user.name, user.email, and user.company.name (user["company"]["name"] in Python), where user is the parsed JSON.',
    });
  }
  if (value === "[object Object]" || value.startsWith("{")) {
    return new CheckFailure(`${message}: that is the whole company object, not its name`, { details: [fieldText], expected, hint: "company is an object: print its name, user.company.name." });
  }
  if (value.includes("\uFFFD")) {
    return new CheckFailure(`${message}: U+FFFD (�) stands where the JSON has multi-byte characters`, {
      details: [fieldText, "the API sent the body in pieces cut inside characters, as a slow network may"],
      expected,
      hint: 'decode the body as a whole, not chunk by chunk: await res.json() (or res.text()) does; with node:http, call res.setEncoding("utf8") or Buffer.concat() the chunks before toString(). (Python: read() everything, then decode.)',
    });
  }
  if (Buffer.from(value, "latin1").toString("utf8") === want) {
    return new CheckFailure(`${message}: the UTF-8 bytes were read as Latin-1`, { details: [fieldText], expected, hint: 'the JSON is UTF-8: decode it as UTF-8 (res.json() does; buffer.toString("utf8"); data.decode("utf-8") in Python).' });
  }
  const other = otherField(user, value, field);
  if (other) {
    return new CheckFailure(`${message}: that is the user's ${other}, not its ${field}`, { details: [fieldText], expected, hint: LINES_HINT });
  }
  if (value === JSON.stringify(want) || value === `'${want}'`) {
    return new CheckFailure(`${message}: the value is in quotes`, { details: [fieldText], expected, hint: "print the string itself, not its JSON form or repr: `User: ${user.name}`." });
  }
  return new CheckFailure(`${message}, expected ${quoteBytes(line)}`, {
    details: describeDifference(Buffer.from(line), Buffer.from(printed))?.split("\n") ?? [],
    expected,
    hint: LINES_HINT,
  });
}

/** The name of another field of the user that holds `value`, if one does. */
function otherField(user: User, value: string, field: string): string | undefined {
  const fields: [string, unknown][] = [
    ["name", user.name],
    ["username", user.username],
    ["email", user.email],
    ["id", user.id],
    ["website", user.website],
    ["phone", user.phone],
    ["address.city", user.address.city],
    ["company.name", user.company.name],
    ["company.catchPhrase", user.company.catchPhrase],
    ["company.bs", user.company.bs],
  ];
  return fields.find(([name, v]) => name !== field && String(v) === value)?.[0];
}

/** An error the program must report: what happened, the line or exit code the contract asks for. */
export interface Report {
  run: ClientRun;
  limitMs: number;
  /** "the grader's API answered 404 Not Found": said after "when". */
  situation: string;
  exitCode: 1 | 2;
  /** The exact stderr line the contract asks for, if it names one; otherwise any "Error: <reason>". */
  line?: string;
  /** Something the error line must say, e.g. the field's name. */
  mention?: { test: (errorLine: string) => boolean; what: string; hint: string };
  /** What to do in this situation. */
  hint: string;
  /** Explains a stdout line the situation makes likely ("Company: undefined"), if it can. */
  explainStdout?: (line: string) => string | undefined;
}

/** Nothing on stdout, the error line on stderr, the exit code. */
/** Judges a run that should have reported an error; a failure shows that run's output. */
export function expectReported(report: Report): void {
  judgingRun(report.run, () => judgeReported(report));
}

function judgeReported(report: Report): void {
  const { run, situation, exitCode } = report;
  const when = `when ${situation}`;
  const want = report.line === undefined ? `"Error: <reason>" on stderr` : `${quoteBytes(report.line)} on stderr`;
  const expected = [`${want}, nothing on stdout, and exit code ${exitCode}`];
  if (run.timedOut) {
    throw new CheckFailure(`${when}, your program was still running after ${seconds(report.limitMs)}, so the grader stopped it`, {
      details: [printedLines(run)],
      expected,
      hint: report.hint,
    });
  }
  const printed = outputLines(run.stdout);
  const errors = run.stderr.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.startsWith("Error: "));
  if (printed.length > 0) {
    const explained = printed.map((line, k) => [k, line, report.explainStdout?.(line)] as const).find(([, , why]) => why !== undefined);
    const end = `your program ${describeEnd(run, report.limitMs)}`;
    if (explained) {
      const [k, line, why] = explained;
      throw new CheckFailure(`line ${k + 1} of your output is ${quoteBytes(line)}: ${why}`, { details: [`${when}, ${end}`], expected, hint: report.hint });
    }
    const onStdout = printed.find((l) => /^error\b/i.test(l));
    if (onStdout !== undefined) {
      throw new CheckFailure(`${when}, your program wrote its error ${quoteBytes(onStdout)} to stdout`, { details: [end], expected, hint: STDERR_HINT });
    }
    if (run.exit.code === 0) {
      throw new CheckFailure(`${when}, your program printed ${quoteBytes(run.stdout)} on stdout and exited with code 0`, { expected, hint: report.hint });
    }
    throw new CheckFailure(`${when}, your program printed ${quoteBytes(run.stdout)} on stdout before it failed`, {
      details: [end],
      expected,
      hint: "when the program fails, stdout stays empty: find out everything first (the status, the JSON, every field), and print the three lines only when all is well.",
    });
  }
  const right = report.line === undefined ? errors[0] : errors.find((l) => l === report.line);
  if (right === undefined) throw wrongError(report, errors, expected);
  if (report.mention && !errors.some(report.mention.test)) {
    throw new CheckFailure(`${when}, your program's error ${quoteBytes(right)} does not say ${report.mention.what}`, { expected: [`"Error: <reason>", the reason saying ${report.mention.what}`], hint: report.mention.hint });
  }
  if (run.exit.code !== exitCode) {
    const how = run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`;
    throw new CheckFailure(`${when}, your program printed ${quoteBytes(right)} on stderr, but ${how}`, {
      expected: [`exit code ${exitCode}`],
      hint: `end with exit code ${exitCode}: process.exitCode = ${exitCode} in Node (then return, so nothing else is printed), sys.exit(${exitCode}) in Python. A program that fails must not end with 0: scripts and CI read the code, not the text.`,
    });
  }
}

/** Stderr lacks the error line: crashed, wrong words, wrong case, or nothing. */
function wrongError(report: Report, errors: string[], expected: string[]): CheckFailure {
  const { run } = report;
  const when = `when ${report.situation}`;
  const end = `your program ${describeEnd(run, report.limitMs)}`;
  const crash = crashLine(run.stderr);
  if (errors.length === 0 && crash !== undefined) {
    return new CheckFailure(`${when}, your program crashed with ${quoteBytes(crash)}`, {
      details: [end],
      expected,
      hint: `${report.hint} An uncaught exception prints a stack trace, not a message for the user.`,
    });
  }
  const lower = run.stderr.split("\n").find((l) => /^error:/i.test(l));
  if (errors.length === 0 && lower !== undefined) {
    return new CheckFailure(`${when}, your program printed ${quoteBytes(lower)}: the line must start with "Error: " exactly`, { details: [end], expected, hint: 'start the line with "Error: ", a capital E, a colon and one space.' });
  }
  if (errors.length > 0 && report.line !== undefined) {
    const got = errors[0]!;
    const python = /HTTP Error \d+/.test(got);
    const pythonHint = `urlopen raises urllib.error.HTTPError for a 4xx or 5xx status, and str(e) is "HTTP Error 404: Not Found": catch HTTPError before any broader except, and print the contract's line with e.code: print(f"${report.line.replace(/\d+$/, "{e.code}")}", file=sys.stderr).`;
    return new CheckFailure(`${when}, your program printed ${quoteBytes(got)} on stderr`, {
      details: [...(describeDifference(Buffer.from(report.line), Buffer.from(got))?.split("\n") ?? []), end],
      expected: [`the line ${quoteBytes(report.line)}, exactly`],
      hint: python ? pythonHint : report.hint,
    });
  }
  if (run.stderr.trim() === "") {
    return new CheckFailure(`${when}, your program printed nothing on stderr and ${describeEnd(run, report.limitMs)}`, { expected, hint: report.hint });
  }
  return new CheckFailure(`${when}, your program's stderr has no line starting with "Error: "`, { details: [...stderrDetails(run), end], expected, hint: report.hint });
}

/**
 * The line that names an uncaught exception: Node's "SyntaxError: ..." under
 * its source excerpt, or the last line of a Python traceback.
 */
export function crashLine(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.replace(/\r$/, ""));
  if (lines.some((l) => l.startsWith("Traceback (most recent call last):"))) {
    return lines.filter((l) => l !== "" && !/^\s/.test(l)).at(-1);
  }
  if (!lines.some((l) => /^Node\.js v\d+/.test(l) || /^\s+at .+:\d+:\d+\)?$/.test(l))) return undefined;
  return lines.find((l) => /^(?:[A-Za-z_$][\w$]*(?:Error|Exception)|DOMException \[\w+\]|Uncaught \w+|\[\w+)(?::|\]|$)/.test(l));
}

/** Stdout's lines, without the last newline and without a "\r" before each "\n". */
export function outputLines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n").map((line) => line.replace(/\r$/, ""));
}

function stderrDetails(run: ClientRun): string[] {
  const lines = outputLines(run.stderr).filter((l) => l.trim() !== "");
  if (lines.length === 0) return ["its stderr was empty"];
  const crash = crashLine(run.stderr);
  return [`its stderr${lines.length > 1 ? ` (${lines.length} lines)` : ""}: ${quoteBytes(crash ?? lines.find((l) => l.startsWith("Error")) ?? lines[0]!)}`];
}

function printedLines(run: ClientRun): string {
  const n = outputLines(run.stdout).length;
  return n === 0 ? "it had printed nothing on stdout" : `it had printed ${n} line${n === 1 ? "" : "s"} on stdout`;
}

/** "exited with code 1 after 120 ms", "was still running after 6 s, so the grader stopped it". */
export function describeEnd(run: ClientRun, limitMs: number): string {
  if (run.timedOut) return `was still running after ${seconds(limitMs)}, so the grader stopped it`;
  const how = run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`;
  return `${how} after ${run.durationMs.toLocaleString("en-US")} ms`;
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
