import os from "node:os";
import { describe, expect, it } from "vitest";
import { programArgs } from "../support/diagnosis.ts";
import { expectNothingLeft, failureText, firstFailure, gradeJson } from "../support/run-cli.ts";
import { isAlive } from "../../grader/launcher/process-tree.ts";

/**
 * Programs that misbehave on purpose. For each: the right diagnosis, the
 * grader finishes within its limit (start 5 s, read 1 s, plus vitest's own
 * start-up), and no process or port is left behind.
 */
interface Hostile {
  fixture: string;
  exercise?: string;
  says: RegExp[];
  /** The longest the whole CLI may take, start-up included. */
  withinMs: number;
}

const HOSTILE: Hostile[] = [
  { fixture: "hostile/exits-at-once.ts", says: [/your program exited with code 3 before it listened on 127\.0\.0\.1:\d+/, /starting/], withinMs: 4000 },
  { fixture: "hostile/never-listens.ts", says: [/did not listen on 127\.0\.0\.1:\d+ within 5000 ms/, /thinking/, /process\.env\.PORT/], withinMs: 9000 },
  { fixture: "hostile/sleeps-forever.sh", says: [/did not listen on 127\.0\.0\.1:\d+ within 5000 ms/], withinMs: 9000 },
  { fixture: "hostile/wrong-port.ts", says: [/did not listen on 127\.0\.0\.1:\d+ within 5000 ms/, /it listens on port \d+ instead/, /Number\(process\.env\.PORT\)/], withinMs: 9000 },
  { fixture: "hostile/listens-never-answers.ts", says: [/got\s+nothing within 1000 ms/], withinMs: 5000 },
  { fixture: "hostile/prints-forever.ts", says: [/got\s+nothing within 1000 ms/, /all work and no play/], withinMs: 6000 },
  { fixture: "hostile/busy-loop.ts", says: [/got\s+nothing within 1000 ms/], withinMs: 6000 },
  { fixture: "hostile/crashes-on-first-connection.ts", says: [/\[your program\] exited with code 1|exited with code 1/], withinMs: 6000 },
  { fixture: "hostile/resets-every-connection.ts", says: [/reset by your program/], withinMs: 5000 },
  { fixture: "hostile/replies-forever.ts", says: [/first difference at byte 0/], withinMs: 5000 },
  { fixture: "hostile/udp-never-answers.ts", exercise: "udp-calculator", says: [/got\s+nothing within 1000 ms/, /read the datagram/], withinMs: 5000 },
];

describe("hostile programs", () => {
  // Most of these wait out a limit (start 5 s, read 1 s): run side by side, they share the waiting.
  it.concurrent.each(HOSTILE)("$fixture: diagnosed in time, nothing left", async ({ fixture, exercise = "welcome-server", says, withinMs }) => {
    const run = await gradeJson(exercise, programArgs(fixture));
    expect(run.exitCode, run.stderr).toBe(1);
    const text = failureText(firstFailure(run.report));
    for (const pattern of says) expect(text).toMatch(pattern);
    expect(run.durationMs).toBeLessThan(withinMs);
    expect(expectNothingLeft(run.report, fixture)).toEqual([]);
  });

  const hasIpv6Loopback = Object.values(os.networkInterfaces()).flat().some((a) => a?.address === "::1");
  it.skipIf(!hasIpv6Loopback)(`hostile/ipv6-only.ts: said at once to listen for IPv6 only${hasIpv6Loopback ? "" : " (skipped: no ::1 here)"}`, async () => {
    const run = await gradeJson("welcome-server", programArgs("hostile/ipv6-only.ts"));
    expect(run.exitCode).toBe(1);
    const failed = firstFailure(run.report);
    expect(failed.message).toMatch(/^your program listens on \[::1\]:\d+, for IPv6 only: a client of 127\.0\.0\.1:\d+ cannot reach it$/);
    expect(failed.hint).toMatch(/dual-stack/);
    expect(run.durationMs).toBeLessThan(4000);
    expect(expectNothingLeft(run.report, "hostile/ipv6-only.ts")).toEqual([]);
  });

  it("hostile/prints-forever.ts: output is counted in full but kept to a small tail", async () => {
    const run = await gradeJson("welcome-server", programArgs("hostile/prints-forever.ts"));
    const output = firstFailure(run.report).output;
    expect(output?.totalBytes).toBeGreaterThan(1_000_000);
    expect(output?.lines).toHaveLength(5);
  });

  it("hostile/eats-memory.ts: stopped at the memory limit, and the transcript says so", async () => {
    // --all keeps the program running long enough to reach the limit at this machine's fill rate.
    const run = await gradeJson("welcome-server", [...programArgs("hostile/eats-memory.ts"), "--all"]);
    expect(run.exitCode).toBe(1);
    const transcript = run.report.checks.flatMap((c) => c.transcript).join("\n");
    expect(transcript).toMatch(/\[your program\] used [\d,]+ MiB of memory, more than the grader allows, and was stopped/);
    expect(expectNothingLeft(run.report, "hostile/eats-memory.ts")).toEqual([]);
  });

  it("hostile/child-keeps-port.ts: the detached child that keeps the port is ended too", async () => {
    const run = await gradeJson("welcome-server", [...programArgs("hostile/child-keeps-port.ts"), "--all"]);
    expect(run.exitCode).toBe(1);
    const children = run.report.checks.flatMap((c) => (c.output?.lines ?? []).flatMap((l) => [...l.matchAll(/spawned listener pid (\d+)/g)].map((m) => Number(m[1]))));
    const transcript = run.report.checks.flatMap((c) => c.transcript).join("\n");
    expect(transcript).toMatch(/\[your program\] exited with code 0|had exited with code 0/);
    for (const pid of children) expect(isAlive(pid), `listener ${pid}`).toBe(false);
    expect(expectNothingLeft(run.report, "hostile/child-keeps-port.ts")).toEqual([]);
  });
});
