import { check, gradeExercise, CheckFailure, quoteBytes, type CheckContext } from "../harness/index.ts";
import { InFlightSampler } from "./port-scanner/in-flight.ts";
import { ScanTarget, type TargetPlan } from "./port-scanner/scan-target.ts";
import { canReadSocketTable } from "./port-scanner/socket-table.ts";
import { expectBoundedConcurrency, expectClosedEachConnection, expectFast, expectFinished, expectOpenPorts, type Scan } from "./port-scanner/verdict.ts";

gradeExercise("port-scanner");

/** A run's time limit: room for a slow scan to be measured, and short enough to stop a stuck one soon. */
const RUN_LIMIT_MS = 5000;
const ONE_THOUSAND_PORTS_MS = 3000;
const MAX_IN_FLIGHT = 500;

const INVALID_HINT =
  'check PORTS before scanning anything: each comma-separated part must be a port (digits only, 1 to 65535) or a range a-b of two ports with a ≤ b. Otherwise print why on stderr and exit with code 2 (process.exitCode = 2; sys.exit(2) in Python). Beware: Number("") is 0 and parseInt("80x") is 80, so test the digits first, e.g. with /^\\d+$/.';

/** Opens the target, runs the scanner on it with PORTS, and always closes the target. */
async function withTarget(ctx: CheckContext, plan: TargetPlan, body: (target: ScanTarget) => Promise<void>): Promise<void> {
  const target = await ScanTarget.open(ctx, plan);
  try {
    await body(target);
  } finally {
    await target.close();
  }
}

/** One run of the scanner with HOST and PORTS, watched from the grader's side. */
async function scan(ctx: CheckContext, target: ScanTarget, ports: string, scanned: number[], timeoutMs = RUN_LIMIT_MS): Promise<Scan> {
  const sampler = new InFlightSampler(target);
  const startedAt = Date.now();
  sampler.start();
  const run = await ctx.run([], { env: { HOST: target.host, PORTS: ports }, timeoutMs }).finally(() => sampler.stop());
  // Connections the program's exit closed are still on their way in.
  await target.settle(300);
  return { run, target, scanned: new Set(scanned), inFlight: sampler.stop(), timeoutMs, startedAt, taken: new Set(target.takenPorts()) };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

check("finds the open ports in a short list", async (ctx) => {
  await withTarget(ctx, { size: 30, open: 3, slow: 0 }, async (target) => {
    const closed = ctx.random.shuffle(target.ports.filter((port) => !target.open.has(port))).slice(0, 5);
    const ports = [...target.open.keys(), ...closed].sort((a, b) => a - b);
    const result = await scan(ctx, target, ports.join(","), ports);
    expectFinished(result);
    expectOpenPorts(result);
  });
});

check("scans ranges and lists, and prints each open port once, in ascending order", async (ctx) => {
  // Open: 3 (named twice), 22 (in two overlapping ranges), 37 (in no part: not to be printed),
  // 45 (in the first part, above 3 and 22), and three more.
  await withTarget(ctx, { size: 60, open: 7, slow: 0, openOffsets: [3, 22, 37, 45] }, async (target) => {
    const b = target.base;
    const parts = [`${b + 40}-${b + 59}`, `${b + 3}`, `${b}-${b + 25}`, `${b + 20}-${b + 35}`, `${b + 3}`];
    const scanned = [...range(b, b + 35), ...range(b + 40, b + 59)];
    const result = await scan(ctx, target, parts.join(","), scanned);
    expectFinished(result);
    expectOpenPorts(result);
  });
});

check("rejects an invalid PORTS with a message on stderr, nothing on stdout, exit code 2", async (ctx) => {
  await withTarget(ctx, { size: 20, open: 2, slow: 0, openOffsets: [0] }, async (target) => {
    const b = target.base;
    const cases: [string, string][] = [
      ["http", "not a number"],
      ["0", "port 0 is outside 1-65535"],
      ["65536", "port 65536 is outside 1-65535"],
      [`${b + 9}-${b + 2}`, "a range whose start is above its end"],
      [`${b},,${b + 1}`, "an empty part"],
      ["", "empty"],
      [`${b}x`, "not a number"],
    ];
    // Independent runs, so they run at once; the first bad outcome in this order is reported.
    const runs = await Promise.all(cases.map(([ports]) => ctx.run([], { env: { HOST: target.host, PORTS: ports }, timeoutMs: RUN_LIMIT_MS })));
    for (const [k, run] of runs.entries()) {
      const [ports, why] = cases[k]!;
      const problems: string[] = [];
      if (run.timedOut) problems.push(`was still running after ${RUN_LIMIT_MS} ms`);
      else if (run.exit.code !== 2) problems.push(run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`);
      if (run.stdout !== "") problems.push(`printed ${quoteBytes(run.stdout)} on stdout`);
      if (run.stderr.trim() === "") problems.push("printed nothing on stderr");
      if (problems.length === 0) continue;
      throw new CheckFailure(`with PORTS=${quoteBytes(ports)} (${why}), your program ${problems.join(", and ")}`, {
        expected: ["a message on stderr saying what is wrong, nothing on stdout, and exit code 2"],
        hint: INVALID_HINT,
      });
    }
  });
});

check("scans 1,000 ports in under 3 seconds", async (ctx) => {
  await withTarget(ctx, { size: 1000, open: 12, slow: 8 }, async (target) => {
    const result = await scan(ctx, target, `${target.base}-${target.last}`, target.ports);
    expectFinished(result);
    expectOpenPorts(result);
    expectFast(result, ONE_THOUSAND_PORTS_MS);
  });
});

check("closes every connection it opens", async (ctx) => {
  // Open ports that stay silent show whether the scanner closes its end; the last port never
  // answers, so the program is still running a while after it found the open ones.
  await withTarget(ctx, { size: 20, open: 4, slow: 1, silentOnly: true, slowOffsets: [19] }, async (target) => {
    const result = await scan(ctx, target, `${target.base}-${target.last}`, target.ports);
    expectFinished(result);
    expectOpenPorts(result);
    expectClosedEachConnection(result);
  });
});

check("keeps at most 500 connection attempts in flight", async (ctx) => {
  if (!canReadSocketTable) ctx.skip("counting a program's connections needs Linux's /proc/net/tcp");
  // More ports that never answer than the limit: all started at once, they would all be in flight together.
  await withTarget(ctx, { size: 1000, open: 5, slow: 560 }, async (target) => {
    const result = await scan(ctx, target, `${target.base}-${target.last}`, target.ports, 10_000);
    expectFinished(result);
    expectOpenPorts(result);
    expectBoundedConcurrency(result, MAX_IN_FLIGHT);
  });
});
