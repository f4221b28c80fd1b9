/**
 * dig (BIND's DNS client) against the learner's server. dig is pickier than
 * a raw socket in ways a learner meets in real life: it sends an EDNS OPT
 * record with a cookie (unless +noedns), sets the AD bit in its queries
 * (flags 0x0120), connects its socket to the server's port, and warns about
 * a mismatched ID or question. Its output is read for the status, the flags
 * and the answer section.
 */
import { execFile } from "node:child_process";
import { CheckFailure, type CheckContext } from "../../harness/index.ts";
import { Rcode, RecordType, rcodeName, typeName, type ResourceRecord } from "../../protocols/dns-message.ts";
import type { GradedZone } from "./answers.ts";
import { HINTS } from "./hints.ts";
import { explainWithRawQuery } from "./raw-diagnosis.ts";
import { expectedFor } from "./verdict.ts";
import { rdataText } from "./zone-file.ts";

export interface DigQuery {
  name: string;
  type: number;
  /** "+noedns", or nothing for dig's default (EDNS with a cookie). */
  options: string[];
}

interface DigRun {
  query: DigQuery;
  command: string;
  output: string;
  exitCode: number | null;
}

let available: Promise<boolean> | undefined;

/** Whether dig can run here: checked once per grading. */
export function digIsInstalled(): Promise<boolean> {
  available ??= new Promise((resolve) => execFile("dig", ["-v"], (error) => resolve(!error || (error as NodeJS.ErrnoException).code !== "ENOENT")));
  return available;
}

function runDig(ctx: CheckContext, query: DigQuery): Promise<DigRun> {
  const args = ["@127.0.0.1", "-p", String(ctx.port), query.name, typeName(query.type), "+tries=1", "+time=1", ...query.options];
  const command = `dig ${args.join(" ")}`;
  ctx.scope.transcript.add("dig", command);
  return new Promise((resolve) => {
    const child = execFile("dig", args, { timeout: 5000 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ query, command, output: `${stderr}${stdout}`, exitCode });
    });
    ctx.scope.track(() => child.kill("SIGKILL"));
  });
}

/** dig's answer line for a record, lower-cased names, without the TTL: "www.example.test. IN A 192.0.2.1". */
function expectedLine(rr: ResourceRecord): string {
  const rdata = rr.data.type === "TXT" ? rdataText(rr) : rdataText(rr).toLowerCase();
  return `${rr.name.toLowerCase()}. IN ${typeName(rr.type)} ${rdata}`;
}

/** The same from one of dig's lines: "www.Example.test.\t300\tIN\tA\t192.0.2.1". */
function answerLine(line: string): string {
  const m = /^(\S+)\s+\d+\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line.trim());
  if (!m) return line.trim();
  const [, name, klass, type, rdata] = m;
  return `${name!.toLowerCase()} ${klass} ${type} ${type === "TXT" ? rdata : rdata!.toLowerCase()}`;
}

function answerSection(output: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((l) => l.startsWith(";; ANSWER SECTION:"));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.trim() === "");
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => !l.startsWith(";"));
}

/** The lines of dig's output worth reading: not its banner, not the timing. */
function shown(run: DigRun): string[] {
  const noise = /^(; <<>> DiG|;; global options|; \(1 server found\)|;; Query time|;; WHEN|;; MSG SIZE|;; SERVER)/;
  return run.output.split("\n").filter((l) => l.trim() !== "" && !noise.test(l)).slice(0, 20).map((l) => `  │ ${l.replace(/\t/g, " ")}`);
}

export async function digAll(ctx: CheckContext, graded: GradedZone, queries: DigQuery[]): Promise<void> {
  ctx.scope.transcript.step(`waiting for ${queries.length} dig runs`);
  const runs = await Promise.all(queries.map((q) => runDig(ctx, q)));
  for (const run of runs) {
    const status = /status: (\w+)/.exec(run.output)?.[1];
    ctx.scope.transcript.add("dig", `${[run.query.name, typeName(run.query.type), ...run.query.options].join(" ")}: ${status ? `status ${status}, ${plural(answerSection(run.output).length, "answer")}` : `no answer (exit code ${run.exitCode})`}`);
  }
  for (const run of runs) await judgeDig(ctx, graded, run);
}

async function judgeDig(ctx: CheckContext, graded: GradedZone, run: DigRun): Promise<void> {
  const { query } = run;
  const expected = expectedFor(graded, query);
  const expectedLines = expected.answers.map(expectedLine);
  const wanted = [`status: ${rcodeName(expected.rcode)}, flags qr aa, ${plural(expectedLines.length, "answer")}${expectedLines.length ? ":" : ""}`, ...expectedLines.map((l) => `  ${l}`)];
  const details = [`${run.command} printed:`, ...shown(run)];
  const header = /->>HEADER<<- opcode: (\w+), status: (\w+), id: (\d+)/.exec(run.output);
  if (!header) {
    return explainWithRawQuery(ctx, graded, query, {
      happened: `[dig] ${run.command} got no reply it would accept (exit code ${run.exitCode})`,
      details,
      expected: wanted,
      fallbackHint: hintFromWarnings(run.output) ?? HINTS.sameSocket,
    });
  }
  const warning = /;; (Warning: Message parser reports malformed message packet|Got bad packet.*|Question section mismatch.*|Warning: query response not set|WARNING: Message has \d+ extra bytes at end)/.exec(run.output)?.[1];
  if (warning) {
    return explainWithRawQuery(ctx, graded, query, { happened: `[dig] ${run.command}: dig says "${warning}"`, details, expected: wanted, fallbackHint: HINTS.counts });
  }
  const status = header[2]!;
  if (status !== rcodeName(expected.rcode)) {
    const edns = !query.options.includes("+noedns");
    const hint =
      status === "NOTIMP"
        ? "dig sets the AD bit in its queries (flags 0x0120, not 0x0100): read the opcode from bits 11-14 alone, (flags >> 11) & 0xf, instead of comparing the whole flags word, and answer NOTIMP only when it is not 0."
        : status === "FORMERR" && edns
          ? `${HINTS.edns} dig also sets the AD bit (flags 0x0120): only the opcode bits decide whether you can answer.`
          : expected.rcode === Rcode.NXDOMAIN
            ? HINTS.nxdomain
            : HINTS.noReply;
    throw new CheckFailure(`[dig] ${run.command}: status ${status}, expected ${rcodeName(expected.rcode)}`, { details, expected: wanted, hint });
  }
  const flags = /;; flags: ([a-z ]*);/.exec(run.output)?.[1]?.split(" ") ?? [];
  if (!flags.includes("qr") || !flags.includes("aa")) {
    throw new CheckFailure(`[dig] ${run.command}: the reply's flags are "${flags.join(" ")}", without ${["qr", "aa"].filter((f) => !flags.includes(f)).join(" and ")}`, {
      details,
      expected: wanted,
      hint: flags.includes("qr") ? HINTS.aa : HINTS.qr,
    });
  }
  const got = answerSection(run.output).map(answerLine).sort();
  if (JSON.stringify(got) !== JSON.stringify([...expectedLines].sort())) {
    const cname = expected.answers[0]?.type === RecordType.CNAME;
    throw new CheckFailure(`[dig] ${run.command}: the answer section is not the zone's`, { details, expected: wanted, hint: cname ? HINTS.cname : query.type === RecordType.TXT ? HINTS.txt : HINTS.noReply });
  }
}

function hintFromWarnings(output: string): string | undefined {
  if (/ID mismatch/.test(output)) return HINTS.id;
  if (/Question section mismatch/.test(output)) return HINTS.question;
  if (/unexpected source/.test(output)) return HINTS.sameSocket;
  return undefined;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
