import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

const CHECKS = 17;
const CURL_CHECK = "answers curl, reusing the connection for a second URL";
const hasCurl = spawnSync("curl", ["--version"], { stdio: "ignore" }).status === 0;

describe("http-server checks", () => {
  if (hasCurl) {
    referenceSolutionPasses("http-server", CHECKS);
  } else {
    it(`pass the reference solution, all ${CHECKS} of them but the curl check (skipped: curl is not installed)`, async () => {
      const { report } = await gradeJson("http-server", ["--solution", "--all"]);
      expect(report.checks).toHaveLength(CHECKS);
      expect(report.checks.map((c) => [c.name, c.status])).toEqual(report.checks.map((c) => [c.name, c.name === CURL_CHECK ? "skipped" : "passed"]));
    });
  }

  it("fail the stub at the first check, saying nothing came back and what a response looks like", async () => {
    const { exitCode, report } = await gradeJson("http-server", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("answers GET / with the hello page");
    expect(failed.transcript.some((line) => /^\[client-1\] sent  "GET \/ HTTP\/1\.1\\r\\nHost: 127\.0\.0\.1:\d+\\r\\n\\r\\n"$/.test(line))).toBe(true);
    expect(failed.message).toMatch(/\[client-1\] got\s+nothing within 1000 ms/);
    expect(failed.expected).toEqual(["a response to GET /"]);
    expect(failed.hint).toContain('"HTTP/1.1 200 OK\\r\\nContent-Type: text/html; charset=utf-8\\r\\nContent-Length: 48\\r\\n\\r\\n<html>');
    expect(failed.output?.lines.some((line) => line.startsWith('"GET / HTTP/1.1\\r\\n'))).toBe(true);
    expect(report.checks.slice(1).every((c) => c.status === "skipped")).toBe(true);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "http-server/no-content-length.ts",
      check: "answers GET / with the hello page",
      says: [/your response has no Content-Length, so a keep-alive client cannot tell where the body ends/, /Buffer\.byteLength\(body\)/],
    },
    {
      fixture: "http-server/bare-lf.py",
      check: "answers GET / with the hello page",
      says: [/got\s+"HTTP\/1\.1 200 OK\\nContent-Type/, /your response's status line ends in a bare "\\n", without the "\\r" before it/, /RFC 9112 says a sender MUST use CRLF/],
    },
    {
      fixture: "http-server/closes-after-response.ts",
      check: "keeps the connection open for the next request (HTTP/1.1 keep-alive)",
      says: [/the connection was closed by your program after the response to GET \/, before GET \/echo\?msg=\w+ was answered/, /HTTP\/1\.1 keep-alive/, /connections are persistent/],
    },
    {
      fixture: "http-server/decode-uri-component.ts",
      check: "answers GET /echo?msg= with the decoded text",
      says: [/is "hello\+world!"/, /expected "hello world!"|"hello world!"/, /decodeURIComponent leaves "\+" alone/, /URLSearchParams/],
    },
    {
      fixture: "http-server/length-in-characters.ts",
      check: "counts Content-Length in bytes, not characters",
      says: [/got\s+"é" after the 3 bytes of body that "Content-Length: 3" announced/, /counts bytes, not characters/, /Buffer\.byteLength/],
    },
    {
      fixture: "http-server/head-with-body.ts",
      check: "answers HEAD like GET, without a body",
      says: [/after the head of the response to HEAD \/, which must have no body/, /a response to HEAD has no body/],
    },
    {
      fixture: "http-server/query-on-root.ts",
      check: "routes by path: 404 for an unknown one, and the query is not part of the path",
      says: [/got\s+"HTTP\/1\.1 404 Not Found" in reply to GET \/\?page=2/, /"HTTP\/1\.1 200 OK"/, /Split the target at the first "\?"/],
    },
    {
      fixture: "http-server/no-allow.ts",
      check: "answers 405 with Allow for a known path and another method",
      says: [/your 405 response to DELETE \/ has no Allow header/, /"Allow: GET, HEAD" \(in any order\)/, /RFC 9110/],
    },
    {
      fixture: "http-server/crashes-on-bad-request-line.ts",
      check: "answers 400 and closes on a malformed request line or header",
      says: [/sent\s+"GET \/\\r\\n\\r\\n"/, /your program exited with code 1 after \[client-1\] sent a request line with no version/, /TypeError/, /400 Bad Request/],
    },
    {
      fixture: "http-server/no-header-limit.ts",
      check: "answers 431 and closes when the headers pass 8 KiB",
      says: [/got\s+"HTTP\/1\.1 200 OK" in reply to GET \/ with 9 KiB of headers/, /"HTTP\/1\.1 431 Request Header Fields Too Large"/, /8192 bytes/],
    },
    {
      fixture: "http-server/chunk-is-a-request.ts",
      check: "answers a request that arrives 1 byte at a time",
      says: [/one byte per write, 1 ms apart/, /got\s+"HTTP\/1\.1 400 Bad Request" in reply to GET \/echo/, /one 'data' event \(one recv\) is not one request/],
    },
    {
      fixture: "http-server/drops-pipelined.ts",
      check: "answers pipelined requests sent in one write, in order",
      says: [/sent\s+5 requests in one write/, /got\s+nothing more within 1000 ms/, /request 2 of the 5 sent in one write/, /may hold several requests/],
    },
    {
      fixture: "http-server/ignores-connection-close.ts",
      check: "closes the connection after a request with Connection: close",
      says: [/Connection: close\\r\\n/, /your program kept the connection open after answering GET \/echo\?msg=bye/, /"Connection: close" header, then close the connection/],
    },
    {
      fixture: "http-server/http10-keeps-open.ts",
      check: "answers an HTTP/1.0 request and closes",
      says: [/sent\s+"GET \/echo\?msg=old\+times HTTP\/1\.0\\r\\n\\r\\n"/, /kept the connection open after answering GET \/echo\?msg=old\+times HTTP\/1\.0/, /Keep-alive is for HTTP\/1\.1/],
    },
    {
      fixture: "http-server/sequential-accept.py",
      check: "a connected, silent client does not delay another",
      says: [/\[client-3\] got its answer only after \[client-1\], \[client-2\] disconnected/, /sequential accept loop/, /thread per client or selectors/],
    },
    {
      fixture: "http-server/case-sensitive-headers.ts",
      check: "answers Node's fetch, on one kept-alive connection",
      says: [/\[fetch\] got the body "" for POST \/echo/, /header names are case-insensitive/, /toLowerCase/],
    },
  ];
  knownWrongPrograms("http-server", knownWrong);
});
