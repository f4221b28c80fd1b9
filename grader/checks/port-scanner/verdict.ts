import { CheckFailure, quoteBytes, type ClientRun } from "../../harness/index.ts";
import type { InFlight } from "./in-flight.ts";
import { countPorts, formatPorts } from "./port-list.ts";
import type { Accepted, ScanTarget } from "./scan-target.ts";

/** One run of the scanner and everything the grader saw of it. */
export interface Scan {
  run: ClientRun;
  target: ScanTarget;
  /** The ports PORTS names. */
  scanned: Set<number>;
  inFlight: InFlight;
  timeoutMs: number;
  /** By the grader's clock, just before the run was asked for: the program started after it. */
  startedAt: number;
  /** Ports of the range someone else listened on after the run: left out of the verdict. */
  taken: Set<number>;
}

export const SPEED_HINT =
  "a port that never answers holds its attempt until a timeout, and one port at a time adds all those waits up. Give every attempt a timeout (socket.setTimeout(400) then destroy() in Node; sock.settimeout(0.4) in Python) and keep many attempts in flight with bounded concurrency: a pool of at most 500 workers that take ports from a shared list (asyncio with a Semaphore, or a ThreadPoolExecutor, in Python).";
const CLOSE_HINT =
  "close each socket as soon as it has connected: socket.destroy() in Node (process.exit() only hides the open sockets), sock.close() in Python (or with socket.socket() as s:). A scan that keeps every open port's connection runs out of file descriptors on a big range.";

/** The run ended by itself, with exit code 0. */
export function expectFinished(scan: Scan): void {
  const { run, timeoutMs, inFlight, target } = scan;
  if (run.timedOut) {
    const printed = countLines(run.stdout);
    const details = [printed === 0 ? "it had printed nothing yet" : `it had printed ${printed} line${printed === 1 ? "" : "s"}`];
    const waiting = inFlight.lastPending.filter((port) => target.slow.has(port));
    if (waiting.length > 0) details.push(`it was still waiting for ${formatPorts(waiting)}, which never answer${waiting.length === 1 ? "s" : ""}`);
    if (inFlight.measured) details.push(concurrencyText(inFlight));
    const open = heldToTheEnd(scan);
    if (open.length > 0) details.push(`it kept ${open.length} connection${open.length === 1 ? "" : "s"} open, to ${formatPorts(open.map((a) => a.port))}`);
    const leaking = open.length > 0 && waiting.length === 0;
    const what = leaking
      ? `your program did not end: it was still running after ${seconds(timeoutMs)}, with connections open`
      : `your program took more than ${seconds(timeoutMs)} to scan ${countPorts(scan.scanned.size)}, so the grader stopped it`;
    throw new CheckFailure(what, {
      details,
      expected: [`the scan done and the program ended well within ${seconds(timeoutMs)}`],
      hint: leaking ? `${CLOSE_HINT} Node keeps running while any socket is open.` : SPEED_HINT,
    });
  }
  if (run.exit.code !== 0) {
    throw new CheckFailure(`your program ${run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`} after ${run.durationMs} ms`, {
      expected: ["the open ports on stdout, then exit code 0"],
      hint: "its error output above says why it stopped. Handle every socket's 'error' event (ECONNREFUSED means closed), and let the program end on its own.",
    });
  }
}

/** Stdout holds exactly the open ports PORTS names, ascending, one per line, each once. */
export function expectOpenPorts(scan: Scan): void {
  const { run, target, scanned, taken } = scan;
  const expected = [...target.open.keys()].filter((port) => scanned.has(port)).sort((a, b) => a - b);
  const shownExpected = `${listPorts(expected)}, one per line, in ascending order`;
  const lines = run.stdout === "" ? [] : run.stdout.replace(/\n$/, "").split("\n").map((line) => line.replace(/\r$/, ""));
  const bad = lines.findIndex((line) => !/^\d+$/.test(line));
  if (bad !== -1) {
    throw new CheckFailure(`line ${bad + 1} of your output is ${quoteBytes(lines[bad]!)}`, {
      expected: [expected.length === 0 ? "nothing on stdout: no port of PORTS is open" : shownExpected],
      hint: "print just the number of each open port, one per line (console.log(port)); anything else goes to stderr.",
    });
  }
  const printed = lines.map(Number);
  // A port someone else listened on during the run may rightly be printed or not.
  const extra = [...new Set(printed)].filter((port) => !scanned.has(port) || (!target.open.has(port) && !taken.has(port)));
  if (extra.length > 0) {
    const reasons = extra.map((port) => `${port}: ${whyNotOpen(port, scan)}`);
    throw new CheckFailure(`your program printed ${formatPorts(extra)}, which ${extra.length === 1 ? "is" : "are"} not open ports of PORTS`, {
      details: reasons.slice(0, 6),
      expected: [expected.length === 0 ? "nothing on stdout: no port of PORTS is open" : shownExpected],
      hint: extra.some((port) => !scanned.has(port))
        ? "scan exactly the ports PORTS names: each comma-separated part is one port or an inclusive range a-b."
        : "a port is open only when the connection succeeds ('connect' in Node, connect_ex(...) == 0 in Python); a refusal (ECONNREFUSED) or a timeout means it is not.",
    });
  }
  const missing = expected.filter((port) => !printed.includes(port));
  if (missing.length > 0) {
    const connected = new Set(target.accepted.map((a) => a.port));
    const tried = missing.filter((port) => connected.has(port));
    const details = [
      ...(tried.length > 0 ? [`your program connected to ${formatPorts(tried)} (the grader's listener accepted it) but did not print ${tried.length === 1 ? "it" : "them"}`] : []),
      ...(tried.length < missing.length ? [`it never connected to ${formatPorts(missing.filter((port) => !connected.has(port)))}`] : []),
    ];
    const none = printed.length === 0 && target.accepted.length === 0;
    throw new CheckFailure(none ? `your program printed no ports, and never connected to ${formatPorts(missing)}, which ${missing.length === 1 ? "is" : "are"} open` : `your program did not print ${formatPorts(missing)}, which ${missing.length === 1 ? "is" : "are"} open`, {
      details: none ? [] : details,
      expected: [shownExpected],
      hint:
        tried.length > 0
          ? "a port is open as soon as 'connect' fires (connect_ex returns 0 in Python), whatever the server does next: it may close at once, or say nothing. Record the port before you close the socket."
          : none
            ? `for each port PORTS names, connect to HOST (${target.host} here): net.connect({ host, port }) in Node, socket.create_connection((host, port), timeout) in Python. A 'connect' event means the port is open: print it.`
            : `scan every port PORTS names, on HOST (${target.host} here): ranges are inclusive (${target.base}-${target.base + 9} is 10 ports), and every part of the list counts.`,
    });
  }
  const twice = printed.filter((port, k) => printed.indexOf(port) !== k);
  if (twice.length > 0) {
    throw new CheckFailure(`your program printed ${formatPorts(twice)} more than once`, {
      expected: [shownExpected],
      hint: "a port named twice in PORTS, or in two overlapping ranges, is still one port: collect the ports in a Set (Python: set()) before scanning.",
    });
  }
  const unsorted = printed.findIndex((port, k) => k > 0 && port < printed[k - 1]!);
  if (unsorted !== -1) {
    throw new CheckFailure(`your program printed ${printed[unsorted - 1]} before ${printed[unsorted]}`, {
      details: [`it printed ${listPorts(printed)}`],
      expected: [shownExpected],
      hint: "answers come back in any order: collect the open ports and sort them as numbers before printing (ports.sort((a, b) => a - b); a plain sort() compares them as text). Python: sorted(ports).",
    });
  }
}

/** The run took less than `limitMs`, by the supervisor's clock. */
export function expectFast(scan: Scan, limitMs: number): void {
  const { run, inFlight, target } = scan;
  if (run.durationMs < limitMs) return;
  const details = inFlight.measured ? [concurrencyText(inFlight)] : [];
  if (target.slow.size > 0) {
    const sequential = !inFlight.measured || inFlight.max <= 1;
    details.push(`${target.slow.size} of them never answer: ${sequential ? "one at a time, each of those costs a whole timeout" : "each holds an attempt until its timeout"}`);
  }
  throw new CheckFailure(`your program took ${seconds(run.durationMs)} to scan ${countPorts(scan.scanned.size)}`, {
    details,
    expected: [`the scan done in under ${seconds(limitMs)}`],
    hint: SPEED_HINT,
  });
}

/**
 * Every connection the grader accepted was closed by the scanner before it
 * ended: a close the grader sees only once the program has exited was made
 * by the operating system, cleaning up after it.
 */
export function expectClosedEachConnection(scan: Scan): void {
  const leaked = heldToTheEnd(scan);
  if (leaked.length === 0) return;
  throw new CheckFailure(`your program left ${leaked.length} of its connections open until it ended: to ${formatPorts(leaked.map((a) => a.port))}`, {
    details: ["the grader's listeners saw them close only as your program exited: the operating system closed them, not your program"],
    expected: ["each connection closed by your program as soon as it knew the port was open"],
    hint: CLOSE_HINT,
  });
}

/**
 * A read of the kernel's socket table is not one instant: while it walks the
 * table, a socket may close behind it and a new one open ahead of it, and
 * both are counted. This many more than the limit are the reading, not the program.
 */
const READING_SLACK = 25;

/** The scanner never had more than `limit` connections to the target open or in flight at once. */
export function expectBoundedConcurrency(scan: Scan, limit: number): void {
  const { inFlight } = scan;
  if (inFlight.max <= limit + READING_SLACK) return;
  throw new CheckFailure(`your program had ${inFlight.max} connections in flight at once`, {
    details: [`${scan.target.slow.size.toLocaleString("en-US")} of the ${countPorts(scan.scanned.size)} never answer, so each attempt to them stays in flight until its timeout`],
    expected: [`at most ${limit} connection attempts open at once (bounded concurrency)`],
    hint: `start a new attempt only when one has finished: a pool of at most ${limit} workers that take ports from a shared list, each awaiting its own attempt; in Python, asyncio with Semaphore(${limit}) or ThreadPoolExecutor(max_workers=${limit}). Starting all attempts at once can run out of file descriptors and floods the network.`,
  });
}

/**
 * Accepted connections the scanner's end of which closed only as the program
 * ended (exited, or was stopped at the time limit), or not at all. The
 * program ended `durationMs` after it started, which was after `startedAt`.
 */
function heldToTheEnd(scan: Scan): Accepted[] {
  const ended = scan.startedAt + scan.run.durationMs;
  return scan.target.accepted.filter((a) => a.closedAt === undefined || a.closedAt >= ended);
}

/** What happened at a port the scanner says is open. */
function whyNotOpen(port: number, scan: Scan): string {
  const { target, scanned } = scan;
  if (!scanned.has(port)) return "it is not in PORTS";
  if (target.slow.has(port)) return "it never answers: an attempt that times out does not make a port open";
  return "it refuses connections (ECONNREFUSED): it is closed";
}

function concurrencyText(inFlight: InFlight): string {
  if (inFlight.max <= 1) return "it tried one port at a time: the kernel's socket table never showed more than 1 connection attempt of it in flight";
  return `it had at most ${inFlight.max} connections open or in flight at once`;
}

/** "21003, 21017, 21042": every port listed, up to a point. */
function listPorts(ports: number[], max = 16): string {
  if (ports.length === 0) return "no ports";
  const shown = ports.slice(0, max).join(", ");
  return ports.length > max ? `${shown}, … (${ports.length} in all)` : shown;
}

function countLines(text: string): number {
  return text === "" ? 0 : text.replace(/\n$/, "").split("\n").length;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
