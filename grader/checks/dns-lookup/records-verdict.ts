import { CheckFailure, describeDifference, quoteBytes, type ClientRun } from "../../harness/index.ts";
import { RecordType } from "../../protocols/dns-message.ts";
import { byteOrder, compareKeys, numericKey, recordLine, type LookupType, type Outcome } from "./expected-output.ts";
import { RESOLVE_METHOD } from "./question-verdict.ts";
import { argsOf, describeEnd, firstDifference, lines, quoteArgs, quoteLines, stderrDetails, type Lookup } from "./run-text.ts";

const FORMAT_HINT: Record<LookupType, string> = {
  A: "print each address on its own line, as Node's resolve4 gives it, and nothing else.",
  AAAA: 'print each address on its own line in RFC 5952 form (lower case, no leading zeros, the longest run of zero groups as "::"), as Node\'s resolve6 gives it; Python: socket.inet_ntop(socket.AF_INET6, data).',
  CNAME: "print the name the alias points to, without the trailing dot, and nothing else.",
  MX: 'one line per record: "<priority> <exchange>", e.g. `${mx.priority} ${mx.exchange}` with resolveMx.',
  TXT: "one line per record: its strings joined with nothing between them (strings.join(\"\") with resolveTxt).",
  NS: "one line per record: the name server's name, without the trailing dot.",
  SRV: 'one line per record: "<priority> <weight> <port> <target>", e.g. `${s.priority} ${s.weight} ${s.port} ${s.name}` with resolveSrv.',
  SOA: 'one line: "<mname> <rname> <serial> <refresh> <retry> <expire> <minimum>". Node\'s resolveSoa names them nsname, hostmaster, serial, refresh, retry, expire and minttl.',
  PTR: "print each name the address points to, without the trailing dot, and nothing else.",
};

const SORT_HINT =
  'sort the lines as text, in byte order, after formatting them: lines.sort() in Node, sorted(lines) in Python. So "10.0.0.10" comes before "10.0.0.9", "10 mx.example.test" before "5 mx.example.test".';

/** The program got its answer: it must print the records, formatted and sorted, and exit 0. */
export function expectRecords(lookup: Lookup, outcome: Extract<Outcome, { kind: "records" }>, run: ClientRun, limitMs: number): void {
  const what = `${lookup.type} ${lookup.name}`;
  const expected = outcome.lines.map((line) => quoteBytes(`${line}\n`, 200));
  const answered = `the grader's DNS server answered its query with ${outcome.records.length} ${lookup.type} record${outcome.records.length === 1 ? "" : "s"}`;
  if (run.timedOut) {
    throw new CheckFailure(`your program was still running after ${limitMs} ms, though ${answered}`, {
      details: run.stdout === "" ? [] : [`it had printed ${quoteBytes(run.stdout, 200)}`],
      expected: [...expected, "then exit code 0"],
      hint: "once the answer is printed, let the program end: close the socket (socket.close()) and clear any timer you set (clearTimeout).",
    });
  }
  if (run.exit.code !== 0) {
    const caseHint = lookup.typeArg && run.exit.code === 2 ? `TYPE is case-insensitive: "${lookup.typeArg}" means ${lookup.type}; compare typeArg.toUpperCase(). ` : "";
    throw new CheckFailure(`for ${quoteArgs(argsOf(lookup))}, your program ${describeEnd(run, limitMs)}, though ${answered}`, {
      details: stderrDetails(run),
      expected: [...expected, "then exit code 0"],
      hint: `${caseHint}print each record (${FORMAT_HINT[lookup.type]}), one per line, and exit with code 0. Its error output says why it stopped.`,
    });
  }
  const printed = lines(run.stdout);
  if (printed.length === outcome.lines.length && printed.every((line, i) => line === outcome.lines[i])) return;
  const failure = (happened: string, hint: string, details: string[] = []) =>
    new CheckFailure(`for ${what}, ${happened}`, { details: [...details, `your program printed ${quoteLines(printed)}`], expected, hint });

  const withoutDots = printed.map((line) => line.replace(/\.(?=\s|$)/g, ""));
  const dotted = printed.find((line, i) => withoutDots[i] !== line && outcome.lines.includes(withoutDots[i]!));
  if (dotted !== undefined) {
    throw failure(
      `your program printed the name with a trailing dot: ${quoteBytes(dotted)}`,
      'print names without the trailing dot: "www.example.test", not "www.example.test." (the dot is the root label, which every name on the wire ends with). Drop it: name.replace(/\\.$/, "").',
    );
  }
  if (outcome.aliasOf !== undefined && printed.some((line) => line.replace(/\.$/, "").toLowerCase() === outcome.aliasOf!.toLowerCase())) {
    throw failure(
      `your program printed ${quoteBytes(outcome.aliasOf)}, the target of the CNAME record, among the ${lookup.type} records`,
      `${lookup.name} is an alias: the answer holds its CNAME record, then the ${lookup.type} records of ${outcome.aliasOf}. Print only the answers whose TYPE is the one you asked for (${RecordType[lookup.type]} for ${lookup.type}); Node's resolver.${RESOLVE_METHOD[lookup.type]} does that for you.`,
      [`the answer was the CNAME ${lookup.name} → ${outcome.aliasOf}, then ${outcome.records.length} ${lookup.type} record${outcome.records.length === 1 ? "" : "s"} of ${outcome.aliasOf}`],
    );
  }
  if (lookup.type === "TXT") expectTxtJoined(outcome, printed, failure);
  if (printed.length === outcome.lines.length && byteOrder(printed).every((line, i) => line === outcome.lines[i])) {
    throw failure(describeOrder(outcome, printed), SORT_HINT);
  }
  const undefinedField = printed.some((line) => /\bundefined\b|\bNaN\b|\[object Object\]/.test(line));
  const at = firstDifference(printed, outcome.lines);
  const got = printed[at];
  const want = outcome.lines[at];
  const happened =
    got === undefined
      ? `your program printed ${printed.length} line${printed.length === 1 ? "" : "s"}, not ${outcome.lines.length}: ${quoteBytes(want!)} is missing`
      : want === undefined
        ? `your program printed ${printed.length} lines, not ${outcome.lines.length}: ${quoteBytes(got)} is one too many`
        : `line ${at + 1} of your output is ${quoteBytes(got, 120)}, not ${quoteBytes(want, 120)}`;
  const diff = got !== undefined && want !== undefined ? (describeDifference(Buffer.from(`${want}\n`), Buffer.from(`${got}\n`))?.split("\n") ?? []) : [];
  throw failure(happened, undefinedField ? `a line shows undefined (or NaN, or [object Object]): a field name is wrong. ${FORMAT_HINT[lookup.type]}` : FORMAT_HINT[lookup.type], diff);
}

/** A record of several TXT strings printed with something between them, or one string a line. */
function expectTxtJoined(outcome: Extract<Outcome, { kind: "records" }>, printed: string[], failure: (happened: string, hint: string, details?: string[]) => CheckFailure): void {
  for (const data of outcome.records) {
    if (data.type !== "TXT" || data.strings.length < 2) continue;
    const joined = data.strings.join("");
    const strings = data.strings.map((s) => quoteBytes(s)).join(", ");
    const separated = printed.find((line) => line !== joined && line.replace(/[\s,"]/g, "") === joined.replace(/[\s,"]/g, ""));
    if (separated !== undefined) {
      throw failure(
        `your program printed ${quoteBytes(separated, 120)} for a TXT record of ${data.strings.length} strings (${strings})`,
        'the strings of one TXT record are one text, cut in pieces of at most 255 bytes: join them with nothing between, strings.join("") in Node (resolveTxt gives each record as an array of strings), b"".join(parts) in Python.',
      );
    }
    if (data.strings.every((s) => printed.includes(s))) {
      throw failure(
        `your program printed each string of a TXT record on its own line (${strings})`,
        'one line per TXT record: its strings joined with nothing between, strings.join("") in Node (resolveTxt gives each record as an array of strings).',
      );
    }
  }
}

/** Why lines that are all there are in the wrong order: as the server sent them, or sorted as numbers. */
function describeOrder(outcome: Extract<Outcome, { kind: "records" }>, printed: string[]): string {
  const at = firstDifference(printed, outcome.lines);
  const pair = `${quoteBytes(printed[at]!)} before ${quoteBytes(outcome.lines[at]!)}`;
  const serverOrder = outcome.records.map(recordLine);
  if (printed.every((line, i) => line === serverOrder[i])) return `your program printed the records in the order the server sent them, not in byte order: ${pair}`;
  const keys = printed.map((line) => outcome.records.find((data) => recordLine(data) === line)).map((data) => (data ? numericKey(data) : undefined));
  const numeric = keys.every((k) => k !== undefined) && keys.every((k, i) => i === 0 || compareKeys(keys[i - 1]!, k!) <= 0);
  if (numeric) return `your program sorted the records as numbers, not as text in byte order: ${pair}`;
  return `your program printed the right records in the wrong order: ${pair}`;
}
