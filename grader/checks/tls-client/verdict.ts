import { CheckFailure, describeDifference, quoteBytes, type ClientRun } from "../../harness/index.ts";
import type { Credential } from "./certificates.ts";
import { HINTS } from "./hints.ts";
import type { Connection, GraderTlsServer } from "./tls-server.ts";

/** A run against a server whose certificate is good: it must print four lines and exit 0. */
export interface GoodRun {
  run: ClientRun;
  server: GraderTlsServer;
  servername: string;
  /** What the server presented. */
  credential: Credential;
  limitMs: number;
}

/** A run against a server whose certificate is bad: error, exit 1, no application data. */
export interface RefusedRun {
  run: ClientRun;
  server: GraderTlsServer;
  /** "an expired certificate for shop.lab-7.test (it expired on 2026-11-19)". */
  what: string;
  /** The chain is bad (expired, self-signed, unknown CA), or only the name is. */
  flaw: "chain" | "name";
  limitMs: number;
}

/** A run that must fail without a TLS connection: refused, no handshake, missing variables. */
export interface FailedRun {
  run: ClientRun;
  /** "nothing listened on 127.0.0.1:4321": said after "when". */
  situation: string;
  exitCode: 1 | 2;
  limitMs: number;
  hint: string;
}

const UNTRUSTED = /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate|unable to get local issuer certificate|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|self[- ]signed certificate in certificate chain/i;
const VERSION = /ERR_SSL_UNSUPPORTED_PROTOCOL|PROTOCOL_VERSION|protocol version|unsupported protocol|no protocols available/i;
const NAME = /ERR_TLS_CERT_ALTNAME_INVALID|altnames|hostname mismatch|does(?: not|n't) match/i;

/**
 * The four lines and exit code 0, judged against what the server saw: that
 * the program connected, sent SERVERNAME as SNI, finished the handshake,
 * sent "hello\n", printed what was negotiated and the reply, and closed.
 */
export function judgeSuccess(good: GoodRun): void {
  const { run, server, servername } = good;
  const connection = server.first;
  if (!connection) throw notConnected(run, server, good.limitMs, "the four lines, then exit code 0");
  expectSni(run, connection, servername, good.limitMs);
  if (connection.received.length === 0) throw noHello(good, connection);
  const received = connection.received.toString("utf8");
  if (!/^hello\r?\n/.test(received)) {
    const bare = received === "hello";
    throw new CheckFailure(bare ? 'your program sent "hello" without the "\\n" that ends the line' : `your program sent ${quoteBytes(connection.received)}, not "hello\\n"`, {
      details: [`it ${describeEnd(run, good.limitMs)}`],
      expected: ['"hello\\n" after the handshake, and nothing before it'],
      hint: bare ? 'the server answers a whole line: write "hello\\n", with its newline.' : HINTS.hello,
    });
  }
  expectLines(good, connection);
  if (run.timedOut) {
    throw new CheckFailure(`your program printed the four lines, but was still running after ${seconds(good.limitMs)}, so the grader stopped it`, {
      expected: ["the four lines, then close the connection and exit with code 0"],
      hint: HINTS.close,
    });
  }
  if (run.exit.code !== 0) {
    throw new CheckFailure(`your program printed the four lines, then ${describeEnd(run, good.limitMs)}`, {
      details: stderrDetails(run),
      expected: ["exit code 0"],
      hint: "once the reply line is printed, close the connection (socket.end()) and let the program end by itself, with code 0; an 'error' or 'close' after that is not a failure.",
    });
  }
}

/** The server got the SNI the program was told to send, or it gets the blame for what follows. */
function expectSni(run: ClientRun, connection: Connection, servername: string, limitMs: number): void {
  if (connection.sni === undefined || connection.sni === servername) return;
  const sent = connection.sni === null ? "your program sent no SNI in its ClientHello" : `your program sent the SNI ${quoteBytes(connection.sni)} in its ClientHello`;
  const said = reportedError(run.stderr);
  throw new CheckFailure(`${sent}; it must be SERVERNAME (${servername})`, {
    details: [
      ...(connection.sni === "127.0.0.1" || connection.sni === null ? ["HOST is 127.0.0.1: an IP address says where to connect, not which name the certificate must have"] : []),
      `your program ${describeEnd(run, limitMs)}${said ? `, saying ${quoteBytes(said)}` : ""}`,
    ],
    expected: [`SNI ${servername}, and the certificate checked against ${servername}`],
    hint: HINTS.sni,
  });
}

/** The handshake failed or the program stopped before it sent "hello\n": say why, from what both sides said. */
function noHello(good: GoodRun, connection: Connection): CheckFailure {
  const { run, server, credential } = good;
  const said = reportedError(run.stderr) ?? "";
  const end = `your program ${describeEnd(run, good.limitMs)}${said ? `, saying ${quoteBytes(said)}` : ""}`;
  const serverSide = connection.failure ? [`the grader's TLS server: ${connection.failure.text}`] : [];
  const expected = ['"hello\\n" once the handshake is done, then the four lines and exit code 0'];
  const both = `${run.stderr}\n${connection.failure?.code ?? ""} ${connection.failure?.text ?? ""}`;
  if (!run.timedOut && UNTRUSTED.test(both)) {
    return new CheckFailure(`your program did not trust the grader's certificate for ${credential.dnsNames.join(", ")}, signed by the CA in CA_FILE`, {
      details: [end, ...serverSide],
      expected,
      hint: HINTS.ca,
    });
  }
  if (!run.timedOut && (VERSION.test(both) || /no TLS version/.test(connection.failure?.text ?? ""))) {
    return new CheckFailure(`your program and the grader's TLS server found no TLS version in common: the server speaks ${server.options.maxVersion === "TLSv1.2" ? "TLS 1.2 only" : "TLS 1.2 and 1.3"}`, {
      details: [end, ...serverSide],
      expected,
      hint: HINTS.version,
    });
  }
  if (!run.timedOut && NAME.test(both)) {
    return new CheckFailure(`your program refused a certificate for ${credential.dnsNames.join(", ")} (CN ${credential.commonName}), which is valid for SERVERNAME (${good.servername})`, {
      details: [end, ...serverSide],
      expected,
      hint: HINTS.nameMatch,
    });
  }
  if (connection.failure?.text.includes("not a TLS handshake")) {
    return new CheckFailure("your program did not start a TLS handshake: the grader's TLS server got bytes that are not a ClientHello", {
      details: [...serverSide, end],
      expected,
      hint: "speak TLS: connect with tls.connect(...) from node:tls, not net.connect (Python: wrap the socket with ssl.create_default_context(cafile=CA_FILE).wrap_socket(sock, server_hostname=SERVERNAME)). TLS wraps the TCP connection: the handshake comes first, then your data, encrypted.",
    });
  }
  if (run.timedOut) {
    const where = connection.handshake ? "after the handshake was done" : "and the handshake never finished";
    return new CheckFailure(`your program never sent "hello\\n" ${where}: it was still running after ${seconds(good.limitMs)}, so the grader stopped it`, {
      details: [...serverSide, printedLines(run)],
      expected,
      hint: connection.handshake ? HINTS.hello : HINTS.connect,
    });
  }
  const crash = crashLine(run.stderr);
  return new CheckFailure(
    connection.handshake ? `your program ended the connection after the handshake without sending "hello\\n"` : `the handshake did not finish, though the grader's certificate is valid for ${good.servername} and signed by the CA in CA_FILE`,
    {
      details: [end, ...serverSide, ...(crash ? [`it crashed with ${quoteBytes(crash)}`] : [])],
      expected,
      hint: connection.handshake ? HINTS.hello : HINTS.connect,
    },
  );
}

/** Stdout is the four lines: protocol, cipher, subject as negotiated, then the reply as sent. */
function expectLines(good: GoodRun, connection: Connection): void {
  const { run, credential } = good;
  const handshake = connection.handshake!;
  const reply = (connection.reply ?? good.server.options.reply).replace(/\n$/, "");
  const { cipher, protocol } = handshake;
  const cipherNames = [cipher.name, ...(cipher.standardName ? [cipher.standardName] : [])];
  const want = [`protocol: ${protocol}`, `cipher: ${cipher.standardName ?? cipher.name}`, `subject: ${credential.commonName}`, reply];
  const iana = cipher.standardName && cipher.standardName !== cipher.name ? ` (or its IANA name, "cipher: ${cipher.standardName}")` : "";
  const expected = [`"protocol: ${protocol}"`, `"cipher: ${cipher.name}"${iana}`, `"subject: ${credential.commonName}"`, quoteBytes(reply)];
  const got = outputLines(run.stdout);
  const at = (i: number, text: string) => `line ${i + 1} of your output is ${quoteBytes(text)}`;
  const fail = (message: string, hint: string, details: string[] = []) => new CheckFailure(message, { details, expected, hint });
  for (const [i, line] of want.entries()) {
    const printed = got[i];
    if (printed === undefined) {
      const what = ["the protocol", "the cipher", "the subject", "the server's reply"][i]!;
      const waiting = i === 3 && run.timedOut ? ["the server had replied, and your program was still waiting when the grader stopped it"] : [];
      throw fail(`your program printed ${got.length === 0 ? "nothing" : `${got.length} line${got.length === 1 ? "" : "s"}`} on stdout: ${what} is missing`, i === 3 ? HINTS.readLine : HINTS.lines, waiting);
    }
    if (i === 1 && cipherNames.some((name) => printed === `cipher: ${name}`)) continue;
    if (printed === line) continue;
    const label = ["protocol: ", "cipher: ", "subject: ", ""][i]!;
    if (!printed.startsWith(label)) {
      const bare = printed.trim() === line.slice(label.length) || (i === 1 && cipherNames.includes(printed.trim()));
      throw fail(`${at(i, printed)}, expected ${quoteBytes(line)}`, bare ? `put the label in front: "${label}" then the value.` : HINTS.lines, describe(line, printed));
    }
    const value = printed.slice(label.length);
    if (i === 0) throw fail(`${at(i, printed)}, but the server negotiated ${protocol}`, "print what this connection negotiated, socket.getProtocol() (Python: ssock.version()); do not write it down yourself.");
    if (i === 1) {
      if (value === cipher.version) throw fail(`${at(i, printed)}: that is the cipher's version field, not its name`, `print getCipher().name ("${cipher.name}") or getCipher().standardName; getCipher().version is the protocol the suite was defined for. (Python: ssock.cipher()[0].)`);
      if (value.startsWith("(") || value.startsWith("{") || value === "[object Object]") throw fail(`${at(i, printed)}: that is the whole cipher description, not its name`, 'print only the name: socket.getCipher().name (Python: ssock.cipher()[0], the first item of the tuple).');
      throw fail(`${at(i, printed)}, but the server negotiated ${cipherNames.join(", also called ")}`, "print the suite this connection negotiated: socket.getCipher().name (Python: ssock.cipher()[0]).", describe(line, printed));
    }
    if (i === 2) {
      if (value === credential.issuerName) throw fail(`${at(i, printed)}: that is the issuer (the CA that signed the certificate), not the subject`, "print the subject's CN: socket.getPeerCertificate().subject.CN, not .issuer.CN.");
      if (value === "[object Object]" || value.startsWith("{") || value.startsWith("((") || value.includes("CN=") || value.includes("commonName")) {
        throw fail(`${at(i, printed)}: that is the whole subject, not its CN`, 'print only the common name: socket.getPeerCertificate().subject.CN (Python: dict(x[0] for x in cert["subject"])["commonName"]).');
      }
      if (value === good.servername) throw fail(`${at(i, printed)}: that is SERVERNAME, but this certificate's CN is ${quoteBytes(credential.commonName)}`, "print the CN of the certificate the server sent: socket.getPeerCertificate().subject.CN, not the name you asked for.");
      throw fail(`${at(i, printed)}, but the certificate's CN is ${quoteBytes(credential.commonName)}`, "print socket.getPeerCertificate().subject.CN.", describe(line, printed));
    }
    if (reply.startsWith(printed) && printed !== "") {
      throw fail(`${at(i, printed)}: only the first piece of the reply ${quoteBytes(`${reply}\n`)}`, HINTS.readLine, ["the server sent its reply in two TLS records, 20 ms apart"]);
    }
    throw fail(`${at(i, printed)}, expected the server's reply ${quoteBytes(reply)}`, HINTS.readLine, describe(line, printed));
  }
  if (got.length > want.length) {
    const extra = got[want.length]!;
    const why = extra === "" ? `an empty line: the reply's own "\\n" was printed, and then another` : quoteBytes(extra);
    throw new CheckFailure(`your program printed ${got.length} lines on stdout, not 4: line 5 is ${why}`, {
      expected,
      hint: extra === "" ? 'print the reply without its "\\n": the line is what comes before it (console.log adds its own).' : "print only the four lines on stdout; anything else goes to stderr (console.error).",
    });
  }
}

/**
 * A bad certificate: the program must connect, refuse it (error on stderr,
 * exit 1, nothing on stdout) and send no application data.
 */
export function judgeRefusal(bad: RefusedRun): void {
  const { run, server, what } = bad;
  const connection = server.first;
  const expected = [`error: <reason> on stderr, nothing on stdout, exit code 1, and no data sent`];
  if (!connection) throw notConnected(run, server, bad.limitMs, `a connection, then ${expected[0]}`);
  const data = server.received;
  const end = `your program ${describeEnd(run, bad.limitMs)}`;
  if (data.length > 0) {
    const said = reportedError(run.stderr);
    if (run.timedOut || run.exit.code === 0 || run.stdout !== "") {
      const why = bad.flaw === "chain" ? "it did not verify the certificate (rejectUnauthorized: false? verify_mode = CERT_NONE?)" : "it did not check the name in the certificate (checkServerIdentity: () => undefined? check_hostname = False?)";
      throw new CheckFailure(`your program sent ${quoteBytes(data)} to a server that presented ${what}: ${why}`, {
        details: [end, printedLines(run)],
        expected,
        hint: bad.flaw === "chain" ? HINTS.verify : HINTS.nameCheck,
      });
    }
    throw new CheckFailure(`your program sent ${quoteBytes(data)} to a server that presented ${what}, before it knew the certificate was bad`, {
      details: [`${end}${said ? `, saying ${quoteBytes(said)}` : ""}: it found out, but only after the data had gone`],
      expected,
      hint: HINTS.early,
    });
  }
  const situation = `the grader's TLS server presented ${what}`;
  expectReported({ run, situation, exitCode: 1, limitMs: bad.limitMs, hint: HINTS.errorLine });
}

/** Nothing on stdout, "error: <reason>" on stderr, and the exit code. */
export function expectReported(failed: FailedRun): void {
  const { run, situation, exitCode } = failed;
  const when = `when ${situation}`;
  const expected = [`error: <reason> on stderr, nothing on stdout, exit code ${exitCode}`];
  const end = `your program ${describeEnd(run, failed.limitMs)}`;
  if (run.timedOut) {
    throw new CheckFailure(`${when}, your program was still running after ${seconds(failed.limitMs)}, so the grader stopped it`, { details: [printedLines(run)], expected, hint: failed.hint });
  }
  const printed = outputLines(run.stdout);
  if (printed.length > 0) {
    const onStdout = printed.find((line) => /^error\b/i.test(line));
    if (onStdout !== undefined) throw new CheckFailure(`${when}, your program wrote its error ${quoteBytes(onStdout)} to stdout`, { details: [end], expected, hint: "write errors to stderr: console.error(...) in Node, print(..., file=sys.stderr) in Python." });
    throw new CheckFailure(`${when}, your program printed ${quoteBytes(run.stdout)} on stdout`, {
      details: [end],
      expected,
      hint: "stdout stays empty when the program fails: print the four lines only once the handshake has succeeded (in 'secureConnect').",
    });
  }
  const errors = outputLines(run.stderr).filter((line) => line.startsWith("error: "));
  if (errors.length === 0) {
    const crash = crashLine(run.stderr);
    if (crash !== undefined) {
      throw new CheckFailure(`${when}, your program crashed with ${quoteBytes(crash)}`, { details: [end], expected, hint: `${failed.hint} An uncaught exception prints a stack trace, not a message for the user.` });
    }
    const other = outputLines(run.stderr).find((line) => /^error\b/i.test(line.trim()));
    if (other !== undefined) {
      throw new CheckFailure(`${when}, your program printed ${quoteBytes(other)}: the line must start with "error: " exactly`, { details: [end], expected, hint: 'start the line with "error: ": lower case, a colon and one space.' });
    }
    throw new CheckFailure(`${when}, your program ${run.stderr.trim() === "" ? "printed nothing on stderr" : 'printed no line starting with "error: " on stderr'}`, {
      details: [end, ...stderrDetails(run)],
      expected,
      hint: failed.hint,
    });
  }
  if (run.exit.code !== exitCode) {
    const how = run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`;
    throw new CheckFailure(`${when}, your program printed ${quoteBytes(errors[0]!)} on stderr, but ${how}`, {
      expected: [`exit code ${exitCode}`],
      hint: `end with exit code ${exitCode}: process.exitCode = ${exitCode} in Node, sys.exit(${exitCode}) in Python. Scripts read the code, not the text.`,
    });
  }
}

/** The server never saw the program: it failed before connecting, or connected elsewhere. */
function notConnected(run: ClientRun, server: GraderTlsServer, limitMs: number, expected: string): CheckFailure {
  const elsewhere = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|getaddrinfo|Connection refused/.test(run.stderr);
  const crash = crashLine(run.stderr);
  const said = reportedError(run.stderr);
  return new CheckFailure(`the grader's TLS server at 127.0.0.1:${server.port} got no connection from your program`, {
    details: [`your program ${describeEnd(run, limitMs)}${crash ? `, crashing with ${quoteBytes(crash)}` : said ? `, saying ${quoteBytes(said)}` : ""}`],
    expected: [expected],
    hint: elsewhere ? HINTS.elsewhere : HINTS.connect,
  });
}

/** The line a program gave as its reason: its "error:" line, its crash, or its last word on stderr. */
export function reportedError(stderr: string): string | undefined {
  const lines = outputLines(stderr).filter((line) => line.trim() !== "");
  return lines.find((line) => line.startsWith("error: ")) ?? crashLine(stderr) ?? lines.find((line) => !/^\(node:\d+\)|^\(Use `node/.test(line));
}

/**
 * The line that names an uncaught exception: the last line of a Python
 * traceback, or Node's "Error: ..." under its source excerpt.
 */
export function crashLine(stderr: string): string | undefined {
  const lines = outputLines(stderr);
  if (lines.some((line) => line.startsWith("Traceback (most recent call last):"))) return lines.filter((line) => line !== "" && !/^\s/.test(line)).at(-1);
  if (!lines.some((line) => /^Node\.js v\d+/.test(line) || /^\s+at .+:\d+:\d+\)?$/.test(line))) return undefined;
  return lines.find((line) => /^(?:[A-Za-z_$][\w$]*(?:Error|Exception)|Uncaught \w+)(?::|\s*\[|$)/.test(line));
}

/** Lines without the last newline and without a "\r" before each "\n". */
export function outputLines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n").map((line) => line.replace(/\r$/, ""));
}

/** "exited with code 1 after 120 ms", "was still running after 4 s, so the grader stopped it". */
export function describeEnd(run: ClientRun, limitMs: number): string {
  if (run.timedOut) return `was still running after ${seconds(limitMs)}, so the grader stopped it`;
  const how = run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`;
  return `${how} after ${run.durationMs.toLocaleString("en-US")} ms`;
}

function stderrDetails(run: ClientRun): string[] {
  const said = reportedError(run.stderr);
  return said === undefined ? ["its stderr was empty"] : [`its stderr says ${quoteBytes(said)}`];
}

function printedLines(run: ClientRun): string {
  const n = outputLines(run.stdout).length;
  return n === 0 ? "it printed nothing on stdout" : `it printed ${n} line${n === 1 ? "" : "s"} on stdout`;
}

function describe(want: string, got: string): string[] {
  return describeDifference(Buffer.from(want), Buffer.from(got))?.split("\n") ?? [];
}

export function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
