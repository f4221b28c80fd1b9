import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../grader/harness/index.ts";
import { CertificateLab } from "../../grader/checks/tls-client/certificate-lab.ts";
import { expectDiagnosis, knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

const GOOD = "connects over TLS 1.3 with SERVERNAME as SNI, and prints protocol, cipher, subject and the reply";
const TLS12 = "connects to a server limited to TLS 1.2 with a wildcard certificate";
const BAD_CHAIN = "refuses an expired, a self-signed and an unknown CA's certificate: error, exit 1, no data sent";
const OTHER_NAME = "refuses a certificate for another name: error, exit 1, no data sent";
const REFUSED = "reports a refused connection: error, exit 1";
const STALLED = "gives up within 5 s on a server that never finishes the handshake: error, exit 1";
const USAGE = "rejects a missing SERVERNAME or CA_FILE, or a CA_FILE it cannot read: error, exit 2";

describe("tls-client certificates", () => {
  it("are what a TLS client sees: names, issuers, dates and signatures", async () => {
    const lab = new CertificateLab();
    try {
      const set = await lab.certificatesFor(new SeededRandom("test"));
      const read = (pem: string) => new X509Certificate(pem);
      const ca = read(set.ca.certPem);
      expect(ca.ca).toBe(true);
      expect(ca.verify(ca.publicKey)).toBe(true);
      const good = read(set.good.certPem);
      expect(set.servername).toMatch(/^[a-z]+\.lab-\d+\.test$/);
      expect(good.subject).toContain(`CN=${set.servername}`);
      expect(good.subjectAltName).toBe(`DNS:${set.servername}`);
      expect(good.checkHost(set.servername)).toBe(set.servername);
      expect(good.checkIssued(ca)).toBe(true);
      expect(good.verify(ca.publicKey)).toBe(true);
      expect(good.ca).toBe(false);
      expect(Date.parse(good.validFrom)).toBeLessThan(Date.now());
      expect(Date.parse(good.validTo)).toBeGreaterThan(Date.now());
      expect(read(set.wildcard.certPem).checkHost(set.servername)).toBe(`*.${set.domain}`);
      expect(read(set.otherName.certPem).checkHost(set.servername)).toBeUndefined();
      expect(Date.parse(read(set.expired.certPem).validTo)).toBeLessThan(Date.now());
      const selfSigned = read(set.selfSigned.certPem);
      expect(selfSigned.verify(selfSigned.publicKey)).toBe(true);
      expect(selfSigned.verify(ca.publicKey)).toBe(false);
      const unknown = read(set.unknownCa.certPem);
      expect(unknown.verify(ca.publicKey)).toBe(false);
      expect(unknown.verify(read(set.rogueCa.certPem).publicKey)).toBe(true);
    } finally {
      await lab.dispose();
    }
  });
});

describe("tls-client checks", () => {
  referenceSolutionPasses("tls-client", 7);

  it("fail the stub at the first check: the server got no connection", async () => {
    const { exitCode, report, durationMs } = await gradeJson("tls-client", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe(GOOD);
    expect(failed.message).toMatch(/^the grader's TLS server at 127\.0\.0\.1:\d+ got no connection from your program$/);
    expect(failed.details.join("\n")).toMatch(/exited with code 1 after [\d,]+ ms, saying "TODO: /);
    expect(failed.hint).toMatch(/tls\.connect\(\{ host: process\.env\.HOST, port: Number\(process\.env\.PORT\), servername: process\.env\.SERVERNAME, ca: readFileSync\(process\.env\.CA_FILE\) \}\)/);
    expect(failed.transcript.join("\n")).toMatch(/\[grader\] ran your program with HOST=127\.0\.0\.1 PORT=\d+ SERVERNAME=[a-z]+\.lab-\d+\.test CA_FILE=/);
    expect(durationMs).toBeLessThan(5000);
  });

  it("accept writing before 'secureConnect' as far as certificates go: Node sends nothing to a bad server, but the timeout doubles", { concurrent: true }, async () => {
    const report = await expectDiagnosis("tls-client", {
      fixture: "tls-client/writes-before-handshake.ts",
      check: STALLED,
      says: [/got \d+ bytes \(a TLS ClientHello\), and answers nothing/, /your program was still running after 7 s/, /write "hello\\n" only in 'secureConnect'/, /5 s become 10 s/],
    });
    const status = (name: string) => report.checks.find((c) => c.name === name)?.status;
    expect([status(BAD_CHAIN), status(OTHER_NAME)]).toEqual(["passed", "passed"]);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "tls-client/no-verification.ts",
      check: BAD_CHAIN,
      says: [
        /\[grader's TLS server, expired certificate\] got "hello\\n"/,
        /your program sent "hello\\n" to a server that presented a certificate for [a-z.0-9-]+ that expired on \d{4}-\d\d-\d\d: it did not verify the certificate \(rejectUnauthorized: false\?/,
        /no rejectUnauthorized: false/,
      ],
    },
    {
      fixture: "tls-client/servername-is-host.ts",
      check: GOOD,
      says: [/\[grader's TLS server\] got a ClientHello with SNI 127\.0\.0\.1/, /your program sent the SNI "127\.0\.0\.1" in its ClientHello; it must be SERVERNAME \([a-z]+\.lab-\d+\.test\)/, /servername: process\.env\.SERVERNAME/],
    },
    {
      fixture: "tls-client/no-servername.ts",
      check: GOOD,
      says: [/\[grader's TLS server\] got a ClientHello with no SNI/, /your program sent no SNI in its ClientHello; it must be SERVERNAME/, /ERR_TLS_CERT_ALTNAME_INVALID/, /servername: process\.env\.SERVERNAME/],
    },
    {
      fixture: "tls-client/ignores-ca-file.ts",
      check: GOOD,
      says: [/your program did not trust the grader's certificate for [a-z.0-9-]+, signed by the CA in CA_FILE/, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/, /ca: readFileSync\(process\.env\.CA_FILE\)/],
    },
    {
      fixture: "tls-client/no-hostname-check.ts",
      check: OTHER_NAME,
      says: [/your program sent "hello\\n" to a server that presented a certificate for [a-z.0-9-]+, not for SERVERNAME \([a-z.0-9-]+\): it did not check the name in the certificate \(checkServerIdentity: \(\) => undefined\?/, /do not replace checkServerIdentity/],
    },
    {
      fixture: "tls-client/cipher-version.ts",
      check: GOOD,
      says: [/line 2 of your output is "cipher: TLSv1\.3": that is the cipher's version field, not its name/, /getCipher\(\)\.name/],
    },
    {
      fixture: "tls-client/hard-coded-protocol.ts",
      check: TLS12,
      says: [/handshake done: TLSv1\.2, ECDHE-/, /line 1 of your output is "protocol: TLSv1\.3", but the server negotiated TLSv1\.2/, /socket\.getProtocol\(\)/],
    },
    {
      fixture: "tls-client/tls13-only.ts",
      check: TLS12,
      says: [/your program offered no TLS version this server speaks \(it speaks TLS 1\.2 only\)/, /found no TLS version in common/, /minVersion/],
    },
    {
      fixture: "tls-client/first-chunk-only.ts",
      check: GOOD,
      says: [/in two TLS records/, /line 4 of your output is "welcome to [a-z.0-9-]+": only the first piece of the reply/, /collect them until "\\n"/],
    },
    {
      fixture: "tls-client/plain-tcp.ts",
      check: GOOD,
      says: [/the handshake did not finish: what your program sent is not a TLS handshake/, /your program did not start a TLS handshake/, /tls\.connect\(\.\.\.\) from node:tls, not net\.connect/],
    },
    {
      fixture: "tls-client/no-timeout.ts",
      check: STALLED,
      says: [/\[grader's stalled server\] got \d+ bytes \(a TLS ClientHello\), and answers nothing/, /never answered the ClientHello, your program was still running after 7 s/, /socket\.on\("timeout"/],
    },
    {
      fixture: "tls-client/no-variable-check.ts",
      check: USAGE,
      says: [/when SERVERNAME was not set, your program printed "error: ERR_TLS_CERT_ALTNAME_INVALID" on stderr, but exited with code 1/, /connected to the grader's TLS server anyway/, /exit code 2/],
    },
    {
      fixture: "tls-client/no-check-hostname.py",
      check: OTHER_NAME,
      says: [/\[grader's TLS server\] got "hello\\n"/, /it did not check the name in the certificate \(checkServerIdentity: \(\) => undefined\? check_hostname = False\?\)/, /keep check_hostname = True/],
    },
    {
      fixture: "tls-client/catches-only-ssl-errors.py",
      check: REFUSED,
      says: [/your program crashed with "ConnectionRefusedError: \[Errno \d+\] Connection refused"/, /except \(ssl\.SSLError, OSError\)/],
    },
  ];
  // Side by side: most of the time goes into waiting (program starts, the 5 s handshake timeout).
  knownWrongPrograms("tls-client", knownWrong, { concurrent: true });
});
