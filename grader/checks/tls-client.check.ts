/**
 * tls-client: a TLS client that checks the certificate. Each check starts
 * the grader's own TLS server on a free port and runs the learner's client
 * against it once or a few times, with HOST, PORT, SERVERNAME (a random name
 * such as shop.lab-7.test) and CA_FILE (the grader's CA). The server writes
 * down the SNI, the protocol and cipher, the handshake and every byte of
 * application data, so a verdict never rests on the client's word alone.
 *
 * Decisions where COURSE.md leaves room (notes/decisions-chat-lb-tls.md, and
 * the lesson says the same):
 * - The cipher may be printed with its OpenSSL or its IANA name.
 * - The reply line comes in two TLS records, 20 ms apart: a client reads up
 *   to "\n", as every line protocol in the course asks. The server keeps the
 *   connection open after it; the client closes.
 * - "hello\r\n" is taken as "hello" (a "\r" before "\n" is dropped).
 * - An empty variable counts as missing. Missing HOST or PORT is in the
 *   contract but not checked (SERVERNAME, CA_FILE and an unreadable CA_FILE are).
 * - A refusal's reason is not judged beyond "error: <something>".
 */
import { afterAll } from "vitest";
import { check, gradeExercise, freePort, CheckFailure, type CheckContext } from "../harness/index.ts";
import { CertificateLab, day, type CertificateSet } from "./tls-client/certificate-lab.ts";
import type { Credential } from "./tls-client/certificates.ts";
import { HINTS } from "./tls-client/hints.ts";
import { StalledServer } from "./tls-client/stalled-server.ts";
import { GraderTlsServer } from "./tls-client/tls-server.ts";
import { describeEnd, expectReported, judgeRefusal, judgeSuccess, seconds } from "./tls-client/verdict.ts";

gradeExercise("tls-client");

const lab = new CertificateLab();
afterAll(() => lab.dispose());

/** A handshake and one line on loopback take milliseconds: room for a slow start, short for a stuck client. */
const RUN_LIMIT_MS = 4000;
/** The contract's 5 s, and a second for the program's start and exit. */
const GIVE_UP_MS = 6000;
/** Counted from the start: room for a slow start before the 6 s. */
const STALL_LIMIT_MS = 7000;
const LABEL = "grader's TLS server";

/** The variables a run gets, for `server` and `certificates`. */
function envFor(port: number, certificates: CertificateSet): Record<string, string> {
  return { HOST: "127.0.0.1", PORT: String(port), SERVERNAME: certificates.servername, CA_FILE: certificates.caFile };
}

/** A line the client cannot guess: it names the server and carries a seeded token. */
function replyFor(ctx: CheckContext, certificates: CertificateSet): string {
  return `welcome to ${certificates.servername}, token ${ctx.random.int(10000, 99999)}`;
}

/** Runs the client against a server presenting a good certificate, and judges the four lines. */
async function expectGoodRun(ctx: CheckContext, certificates: CertificateSet, credential: Credential, presents: string, maxVersion: "TLSv1.2" | "TLSv1.3"): Promise<void> {
  const server = await GraderTlsServer.open(ctx, { label: LABEL, credential, presents, maxVersion, reply: replyFor(ctx, certificates) });
  const run = await ctx.run([], { env: envFor(server.port, certificates), timeoutMs: RUN_LIMIT_MS });
  await server.settle();
  judgeSuccess({ run, server, servername: certificates.servername, credential, limitMs: RUN_LIMIT_MS });
}

/** Runs the client against a server presenting a bad certificate, and expects a refusal. */
async function expectRefused(ctx: CheckContext, certificates: CertificateSet, bad: { label: string; credential: Credential; chain?: Credential[]; presents: string; what: string; flaw: "chain" | "name" }): Promise<void> {
  const server = await GraderTlsServer.open(ctx, {
    label: bad.label,
    credential: bad.credential,
    ...(bad.chain ? { chain: bad.chain } : {}),
    presents: bad.presents,
    maxVersion: "TLSv1.3",
    reply: replyFor(ctx, certificates),
  });
  const run = await ctx.run([], { env: envFor(server.port, certificates), timeoutMs: RUN_LIMIT_MS });
  await server.settle();
  judgeRefusal({ run, server, what: bad.what, flaw: bad.flaw, limitMs: RUN_LIMIT_MS });
}

check("connects over TLS 1.3 with SERVERNAME as SNI, and prints protocol, cipher, subject and the reply", async (ctx) => {
  const certificates = await lab.certificatesFor(ctx.random);
  const presents = `a certificate for ${certificates.servername} (CN ${certificates.good.commonName}), signed by the grader's CA (${certificates.ca.commonName}, the one in CA_FILE)`;
  await expectGoodRun(ctx, certificates, certificates.good, presents, "TLSv1.3");
});

check("connects to a server limited to TLS 1.2 with a wildcard certificate", async (ctx) => {
  const certificates = await lab.certificatesFor(ctx.random);
  const { wildcard } = certificates;
  const presents = `a wildcard certificate for ${wildcard.dnsNames.join(", ")} (CN ${wildcard.commonName}), signed by the grader's CA (${certificates.ca.commonName})`;
  await expectGoodRun(ctx, certificates, wildcard, presents, "TLSv1.2");
});

check("refuses an expired, a self-signed and an unknown CA's certificate: error, exit 1, no data sent", async (ctx) => {
  const certificates = await lab.certificatesFor(ctx.random);
  const { servername, expired, selfSigned, unknownCa, rogueCa, ca } = certificates;
  // One at a time, so each run's lines in the transcript follow the server they talk to.
  await expectRefused(ctx, certificates, {
    label: `${LABEL}, expired certificate`,
    credential: expired,
    presents: `a certificate for ${servername}, signed by the grader's CA, valid from ${day(expired.notBefore)} to ${day(expired.notAfter)}: expired`,
    what: `a certificate for ${servername} that expired on ${day(expired.notAfter)}`,
    flaw: "chain",
  });
  await expectRefused(ctx, certificates, {
    label: `${LABEL}, self-signed certificate`,
    credential: selfSigned,
    presents: `a self-signed certificate for ${servername} (issued by itself, not by ${ca.commonName})`,
    what: `a self-signed certificate for ${servername}`,
    flaw: "chain",
  });
  await expectRefused(ctx, certificates, {
    label: `${LABEL}, unknown CA`,
    credential: unknownCa,
    chain: [rogueCa],
    presents: `a certificate for ${servername} signed by "${rogueCa.commonName}", a CA that is not in CA_FILE (it sends that CA's certificate along)`,
    what: `a certificate for ${servername} signed by a CA that is not in CA_FILE`,
    flaw: "chain",
  });
});

check("refuses a certificate for another name: error, exit 1, no data sent", async (ctx) => {
  const certificates = await lab.certificatesFor(ctx.random);
  const { otherName, servername } = certificates;
  const other = otherName.dnsNames[0]!;
  await expectRefused(ctx, certificates, {
    label: LABEL,
    credential: otherName,
    presents: `a certificate for ${other}, not ${servername}, signed by the grader's CA (valid in every other way)`,
    what: `a certificate for ${other}, not for SERVERNAME (${servername})`,
    flaw: "name",
  });
});

check("reports a refused connection: error, exit 1", async (ctx) => {
  const certificates = await lab.certificatesFor(ctx.random);
  const port = await freePort("tcp");
  ctx.scope.transcript.add("grader", `nothing listens on 127.0.0.1:${port}, so a connection there is refused`);
  const run = await ctx.run([], { env: envFor(port, certificates), timeoutMs: RUN_LIMIT_MS });
  expectReported({ run, situation: `nothing listened on 127.0.0.1:${port} (connection refused)`, exitCode: 1, limitMs: RUN_LIMIT_MS, hint: HINTS.errorLine });
});

check("rejects a missing SERVERNAME or CA_FILE, or a CA_FILE it cannot read: error, exit 2", async (ctx) => {
  const certificates = await lab.certificatesFor(ctx.random);
  const server = await GraderTlsServer.open(ctx, {
    label: LABEL,
    credential: certificates.good,
    presents: `a certificate for ${certificates.servername}, signed by the grader's CA`,
    maxVersion: "TLSv1.3",
    reply: replyFor(ctx, certificates),
  });
  const env = envFor(server.port, certificates);
  const missing = `${certificates.caFile.replace(/lab-ca\.pem$/, "")}no-such-ca.pem`;
  const cases: [Record<string, string>, string][] = [
    [without(env, "SERVERNAME"), "SERVERNAME was not set"],
    [without(env, "CA_FILE"), "CA_FILE was not set"],
    [{ ...env, CA_FILE: missing }, `CA_FILE named a file that does not exist (${missing})`],
  ];
  for (const [variables, situation] of cases) {
    const from = server.connections.length;
    const run = await ctx.run([], { env: variables, timeoutMs: RUN_LIMIT_MS });
    await server.settle();
    const connected = server.connections.length > from;
    try {
      expectReported({ run, situation, exitCode: 2, limitMs: RUN_LIMIT_MS, hint: HINTS.usage });
    } catch (failure) {
      if (failure instanceof CheckFailure && connected) failure.details.push("it connected to the grader's TLS server anyway: check the variables before connecting");
      throw failure;
    }
  }
});

check("gives up within 5 s on a server that never finishes the handshake: error, exit 1", async (ctx) => {
  const certificates = await lab.certificatesFor(ctx.random);
  const server = await StalledServer.open(ctx, "grader's stalled server");
  const startedAt = Date.now();
  const run = await ctx.run([], { env: envFor(server.port, certificates), timeoutMs: STALL_LIMIT_MS });
  const situation = `the grader's server at 127.0.0.1:${server.port} accepted the connection and never answered the ClientHello`;
  if (server.acceptedAt === undefined) {
    throw new CheckFailure(`the grader's server at 127.0.0.1:${server.port} got no connection from your program`, {
      details: [`your program ${describeEnd(run, STALL_LIMIT_MS)}`],
      expected: ["a connection, then error: <reason> on stderr and exit code 1 within 5 s"],
      hint: HINTS.connect,
    });
  }
  expectReported({ run, situation, exitCode: 1, limitMs: STALL_LIMIT_MS, hint: HINTS.timeout });
  const after = startedAt + run.durationMs - server.acceptedAt;
  if (after > GIVE_UP_MS) {
    throw new CheckFailure(`when ${situation}, your program gave up only ${(after / 1000).toFixed(1)} s after it connected`, {
      expected: [`error: <reason> and exit code 1 within 5 s of connecting (up to ${seconds(GIVE_UP_MS)} is accepted)`],
      hint: HINTS.timeout,
    });
  }
});

/**
 * The variables without `name`. The program's environment starts from the
 * grader's own; if that has the variable, an empty value stands for unset.
 */
function without(env: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _, ...rest } = env;
  return process.env[name] === undefined ? rest : { ...rest, [name]: "" };
}
