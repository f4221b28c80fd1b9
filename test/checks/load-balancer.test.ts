import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

const FIRST = "connects to a backend as soon as a client connects, and passes bytes both ways";
const ROUND_ROBIN = "sends consecutive connections to consecutive backends, wrapping around (round robin)";
const IDLE_CPU = "uses no CPU while a connection sits idle";
const INTACT = "passes 1 MiB each way intact, both ways at once";
const CONCURRENT = "serves 20 connections at once, each on its backend in turn and with its own data";
const ALL_DOWN = "closes the client's connection within 1 s when every backend refuses";
const SKIP = "skips a backend that refuses, and the next client gets the backend after the one that accepted";
const HALF_CLOSE = "passes a half-close on, both ways, while the other direction keeps flowing";
const RESET = "closes one side's connection when the other side resets";
const SLOW_READER = "keeps the other connections fast while one side stops reading, and does not pile up its bytes";

describe("load-balancer checks", () => {
  referenceSolutionPasses("load-balancer", 10);

  it("fail the stub at the first check, saying no backend got a connection and how to make one", async () => {
    const { exitCode, report } = await gradeJson("load-balancer", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe(FIRST);
    expect(failed.transcript.join("\n")).toMatch(/\[grader\] BACKENDS=127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+ \(backend-1, backend-2, backend-3\)/);
    expect(failed.message).toMatch(/^no backend got a connection from your program within 1000 ms of \[client-1\] connecting, nor 300 ms after it sent its first bytes$/);
    expect(failed.expected[0]).toMatch(/as soon as \[client-1\] connected, before it sent anything/);
    expect(failed.hint).toMatch(/net\.connect\(\{ host, port \}\).*client\.pipe\(backend\) and backend\.pipe\(client\)/);
    expect(failed.output?.lines.some((l) => l.startsWith("a client connected from 127.0.0.1:"))).toBe(true);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "load-balancer/connects-on-first-data.ts",
      check: FIRST,
      says: [/your program connected to backend-\d only after \[client-1\] sent its first bytes/, /servers? speaking/],
    },
    {
      fixture: "load-balancer/first-chunk-only.ts",
      check: FIRST,
      says: [/\[client-1\] got\s+nothing more within 1000 ms/, /got nothing after \[client-1\]'s first line: your program passed on the first bytes, not the next ones/, /once\('data'\)/],
    },
    {
      fixture: "load-balancer/always-first.ts",
      check: ROUND_ROBIN,
      says: [/^all 6 connections went to backend-1$/m, /client-1 -> backend-1, client-2 -> backend-1/, /turn = \(turn \+ 1\) % backends\.length/],
    },
    {
      fixture: "load-balancer/tutorial-busy-loop.py",
      check: IDLE_CPU,
      says: [/your program used \d+ ms of CPU time in \d+ ms while nothing was sent \(\d+% of a core\)/, /The tutorial's load balancer does this/, /BlockingIOError/, /selectors/],
    },
    {
      fixture: "load-balancer/decodes-as-text.ts",
      check: INTACT,
      says: [/got\s+1,048,576 bytes that differ/, /first difference at byte [\d,]+: expected "\\x[0-9a-f]{2}" \(0x[0-9a-f]{2}\), got "\\xef" \(0xef\)/, /setEncoding\('utf8'\)/],
    },
    {
      fixture: "load-balancer/sequential.py",
      check: CONCURRENT,
      says: [/\[client-2\] got its answer only after \[client-1\] disconnected/, /serves one connection at a time/, /thread per client/],
    },
    {
      fixture: "load-balancer/shared-backend-variable.ts",
      check: CONCURRENT,
      says: [/\[client-1\]'s "client-1 says [0-9a-f]+\\n" arrived on the backend connection of \[client-20\]/, /a variable shared by every connection/],
    },
    {
      fixture: "load-balancer/no-backend-error-handler.ts",
      check: ALL_DOWN,
      says: [/your program exited with code 1 after every backend refused \[client-1\]'s connection/, /Error: connect ECONNREFUSED/, /without backend\.on\('error', \.\.\.\) Node crashes/],
    },
    {
      fixture: "load-balancer/never-skips.ts",
      check: SKIP,
      says: [/backend-\d stopped listening/, /\[client-2\] the connection was (reset|closed) by your program/, /\[client-2\] on backend-\d: backend-\d refused, so the next backend in the list/, /try the next one in the list/],
    },
    {
      fixture: "load-balancer/turn-after-first-tried.ts",
      check: SKIP,
      says: [/^\[client-3\] went to (backend-\d)$/m, /on backend-\d: the backend after backend-\d, which accepted \[client-2\]/, /when 'connect' fires/],
    },
    {
      fixture: "load-balancer/no-half-open.ts",
      check: HALF_CLOSE,
      says: [/\[client-1\] closed its sending side \(half-close\)/, /\[client-1\] the connection was closed by your program/, /closed \[client-1\]'s whole connection when \[client-1\] half-closed/, /allowHalfOpen: true/],
    },
    {
      fixture: "load-balancer/ignores-end.ts",
      check: HALF_CLOSE,
      says: [/got no FIN within 1000 ms after \[client-1\] half-closed/, /call end\(\) on the other side's socket/],
    },
    {
      fixture: "load-balancer/ignores-resets.ts",
      check: RESET,
      says: [/reset the connection \(RST\)/, /\[client-1\]'s connection was still open 1000 ms after backend-\d reset its side/, /destroy the other/],
    },
    {
      fixture: "load-balancer/no-backpressure.ts",
      check: SLOW_READER,
      says: [/\(round trip \d+ ms\)/, /your program took [\d.]+ MiB from (backend-\d|\[client-1\]) while (\[client-1\]|backend-\d) read none of it/, /pause\(\) the socket you read from/],
    },
  ];
  knownWrongPrograms("load-balancer", knownWrong);
});
