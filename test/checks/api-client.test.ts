import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

const TIMEOUTS = "waits for an answer that takes 2 s, and gives up on a silent API within 6 s";
const STATUS = "reports a 404 or a 500 as `Error: Unable to fetch user data. Status code: <code>`, exit code 1";

describe("api-client checks", () => {
  referenceSolutionPasses("api-client", 10);

  it("fail the stub at the first check: the API got no request", async () => {
    const { exitCode, report, durationMs } = await gradeJson("api-client", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("prints the user's name, email and company from GET <API_URL>/users/<id>");
    expect(failed.message).toMatch(/^the grader's API at http:\/\/127\.0\.0\.1:\d+ got no request from your program$/);
    expect(failed.expected.join("\n")).toMatch(/^GET \/users\/\d+, then the user's name, email and company on stdout$/);
    expect(failed.hint).toMatch(/process\.env\.API_URL/);
    expect(failed.hint).toMatch(/process\.argv\[2\]/);
    expect(failed.transcript.join("\n")).toMatch(/\[your program\] stderr: "TODO: GET http:\/\/127\.0\.0\.1:\d+\/users\/\d+/);
    expect(durationMs).toBeLessThan(5000);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "api-client/hard-coded-url.ts",
      check: "prints the user's name, email and company from GET <API_URL>/users/<id>",
      says: [/got no request from your program/, /ECONNREFUSED 127\.0\.0\.1:3000/, /Do not hard-code a host or port/],
    },
    {
      fixture: "api-client/decodes-each-chunk.ts",
      check: "prints names in any script byte for byte: accents, CJK, emoji",
      says: [/in pieces cut inside its characters/, /line \d of your output is "(?:User|Company): [^"]*\\xef\\xbf\\xbd.*U\+FFFD \(�\) stands where the JSON has multi-byte characters/, /res\.setEncoding\("utf8"\)/],
    },
    {
      fixture: "api-client/drops-prefix.ts",
      check: "keeps the path of API_URL: GET <API_URL path>/users/<id>",
      says: [/\[grader's API\] got GET \/users\/\d+: nothing is there/, /the grader's API got GET \/users\/\d+, which drops the path of API_URL \(\/[a-z0-9/]+\)/, /new URL\("\/users\/\d+", API_URL\)/],
    },
    {
      fixture: "api-client/no-redirects.ts",
      check: "follows redirects (301, then 307) to the user",
      says: [
        /the grader's API answered GET \/users\/\d+ with 301 Moved Permanently \(Location: \/v2\/users\/\d+\), and your program did not follow it/,
        /saying "Error: Unable to fetch user data\. Status code: 301"/,
        /leave out redirect: "manual"/,
      ],
    },
    {
      fixture: "api-client/ignores-status.ts",
      check: STATUS,
      says: [/when the grader's API answered 404 Not Found with "\{\}", your program printed "User: undefined\\nEmail: undefined.* on stdout and exited with code 0/, /if \(res\.status !== 200\)/],
    },
    {
      fixture: "api-client/error-on-stdout.ts",
      check: STATUS,
      says: [/your program wrote its error "Error: Unable to fetch user data\. Status code: 404" to stdout/, /console\.error/],
    },
    {
      fixture: "api-client/exits-0-on-error.ts",
      check: STATUS,
      says: [/printed "Error: Unable to fetch user data\. Status code: 404" on stderr, but exited with code 0/, /process\.exitCode = 1/],
    },
    {
      fixture: "api-client/http-error-message.py",
      check: STATUS,
      says: [/your program printed "Error: HTTP Error 404: Not Found" on stderr/, /the line "Error: Unable to fetch user data\. Status code: 404", exactly/, /catch HTTPError before any broader except/],
    },
    {
      fixture: "api-client/no-json-try-catch.ts",
      check: "reports a body that is not JSON: `Error: <reason>`, exit code 1",
      says: [/when the grader's API answered 200 OK with a JSON body cut off halfway, your program crashed with "SyntaxError: /, /wrap res\.json\(\) \(or JSON\.parse\) in try\/catch/],
    },
    {
      fixture: "api-client/prints-undefined.ts",
      check: "reports a missing or non-string field, naming it: `Error: <reason>`, exit code 1",
      says: [/line 3 of your output is "Company: undefined": the JSON has no company\.name \(its company is \{"catchPhrase"/, /typeof user\.company\?\.name === "string"/],
    },
    {
      fixture: "api-client/crashes-on-refused.ts",
      check: "reports a refused connection: `Error: <reason>`, exit code 1",
      says: [/\[grader\] nothing listens on 127\.0\.0\.1:\d+/, /your program crashed with "TypeError: fetch failed"/, /error\.cause\.message/],
    },
    {
      fixture: "api-client/no-usage-check.ts",
      check: "rejects a missing id or API_URL: `Error: <usage>`, exit code 2",
      says: [/when there was no id argument, your program still sent GET \/users\/undefined to the grader's API/, /exit with code 2/],
    },
    {
      fixture: "api-client/no-timeout.ts",
      check: TIMEOUTS,
      says: [/\[grader's API\] got GET \/users\/\d+: will never answer/, /never answered, your program was still running after 7 s/, /AbortSignal\.timeout\(5000\)/],
    },
    {
      fixture: "api-client/no-timeout.py",
      check: TIMEOUTS,
      says: [/never answered, your program was still running after 7 s/, /urlopen\(url, timeout=5\)/],
    },
    {
      fixture: "api-client/timeout-headers-only.ts",
      check: TIMEOUTS,
      says: [/sent the headers of a 200 OK and the first third of the body/, /the headers and part of the body for \/users\/\d+, then nothing more, your program was still running after 7 s/, /must cover the body too/],
    },
    {
      fixture: "api-client/gives-up-after-1s.ts",
      check: TIMEOUTS,
      says: [/your program gave up (?:\d{3}|1,\d{3}) ms after its request, but the grader's API answered GET \/users\/\d+ with 200 OK after 2 s/, /wait up to 5 s/],
    },
  ];
  // Most of these wait out a 2 s or 6 s timeout; side by side they take a third of the time.
  knownWrongPrograms("api-client", knownWrong, { concurrent: true });
});
