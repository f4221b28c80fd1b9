import { readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { execa, type Result } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstFailure, ROOT, runCli, type CliRun, type JsonReport } from "../support/run-cli.ts";
import { makeWorkingCopy } from "../support/working-copy.ts";
import { loadCourse } from "../../grader/course/manifest.ts";

const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** One exercise of each kind, in the default lesson, an existing one by id, and one by number. */
const KINDS = [
  { id: "ping-pong", args: [], kind: "a TCP server", lesson: 90, stubFails: /^\[client-1\] got\s+nothing within 1000 ms$/ },
  { id: "udp-ping", args: ["--transport", "udp"], kind: "a UDP server", lesson: 90, stubFails: /^\[client-1\] got\s+nothing within 1000 ms$/ },
  { id: "tcp-ask", args: ["--role", "client", "--lesson", "tcp", "--title", "Ask for a pong"], kind: "a TCP client", lesson: 5, stubFails: /^your program printed nothing on stdout$/ },
  { id: "udp-ask", args: ["--role", "client", "--transport", "udp", "--lesson", "6"], kind: "a UDP client", lesson: 6, stubFails: /^your program printed nothing on stdout$/ },
];

const gitStatus = async (dir: string) => (await execa("git", ["status", "--porcelain"], { cwd: dir })).stdout;

/** The lines of `list` from "Lesson <number>:" up to the next lesson. */
function lessonBlock(listing: string, number: number): string {
  const start = listing.indexOf(`Lesson ${number}:`);
  const next = listing.indexOf("\nLesson ", start + 1);
  return start === -1 ? "" : listing.slice(start, next === -1 ? undefined : next);
}

describe("new: usage errors exit 2, say what is wrong, and write nothing", () => {
  let copy: ReturnType<typeof makeWorkingCopy>;
  beforeAll(() => {
    copy = makeWorkingCopy();
  });
  afterAll(() => copy.remove());

  const expectRefused = async (args: string[], message: RegExp) => {
    const run = await runCli(["new", ...args], { cwd: copy.dir });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    return run;
  };

  it("an id that is not kebab-case", async () => {
    await expectRefused(["Ping_Pong"], /new: "Ping_Pong" is not a valid exercise id: use kebab-case/);
    await expectRefused(["ping--pong"], /not a valid exercise id/);
    await expectRefused([], /name the new exercise: new <exercise-id>/);
    expect(await gitStatus(copy.dir)).toBe("");
  });

  it("an id an exercise has already", async () => {
    await expectRefused(["echo-server"], /the exercise "echo-server" exists already \(lesson 4, exercises\/04-sockets\/echo-server\.ts\): pick another id/);
    expect(await gitStatus(copy.dir)).toBe("");
  });

  it("a --transport, --role or --lesson that does not exist, naming the valid ones", async () => {
    await expectRefused(["ping-pong", "--transport", "sctp"], /--transport must be one of tcp, udp; got "sctp"/);
    await expectRefused(["ping-pong", "--role", "peer"], /--role must be one of server, client; got "peer"/);
    await expectRefused(["ping-pong", "--lesson", "quic"], /unknown lesson "quic" for --lesson\. Valid lessons: ip-addresses \(1\), ports \(2\), .*, custom \(made on first use\)/);
    await expectRefused(["ping-pong", "--port", "80"], /Valid flags: --transport, --role, --lesson, --title/);
    expect(await gitStatus(copy.dir)).toBe("");
  });

  it("a file already at one of the exercise's paths", async () => {
    const stray = path.join(copy.dir, "solutions", "custom", "ping-pong.ts");
    mkdirSync(path.dirname(stray), { recursive: true });
    writeFileSync(stray, "// mine\n");
    try {
      await expectRefused(["ping-pong"], /solutions\/custom\/ping-pong\.ts already exists: pick another id/);
      expect(await gitStatus(copy.dir)).toBe("?? solutions/custom/");
      expect(readFileSync(stray, "utf8")).toBe("// mine\n");
    } finally {
      rmSync(path.dirname(stray), { recursive: true, force: true });
    }
  });
});

describe("new: every kind of exercise works at once", () => {
  let copy: ReturnType<typeof makeWorkingCopy>;
  let manifestBefore = "";
  const created = new Map<string, CliRun>();
  let listing: CliRun;
  let typeCheck: Promise<Result>;

  beforeAll(async () => {
    copy = makeWorkingCopy();
    manifestBefore = readFileSync(path.join(copy.dir, "course.json"), "utf8");
    // One after another: each one rewrites course.json.
    for (const { id, args } of KINDS) created.set(id, await runCli(["new", id, ...args], { cwd: copy.dir }));
    // The new check files changed grader/, so the CLI bundles itself again: once here, not in each grade below.
    listing = await runCli(["list"], { cwd: copy.dir });
    // Started now, awaited by its own test: it runs while the exercises are graded.
    typeCheck = execa(process.execPath, [TSC, "--noEmit", "-p", copy.dir], { reject: false, all: true });
  });
  afterAll(async () => {
    await typeCheck;
    copy.remove();
  });

  it.concurrent.each(KINDS)("$kind ($id): the solution passes, the stub fails its first check with a hint", async ({ id, kind, lesson, stubFails }) => {
    const made = created.get(id)!;
    expect(made.exitCode, made.stderr).toBe(0);
    expect(made.stdout).toContain(`Created ${id}, ${kind}, in lesson ${lesson}`);
    expect(made.stdout).toContain(`grader/checks/${id}.check.ts`);
    expect(made.stdout).toContain("npx socketlings verify --solutions");
    expect(made.stdout).toContain(`npx socketlings grade ${id} --solution`);

    const [solution, stub] = await Promise.all([
      runCli(["grade", id, "--solution", "--all"], { cwd: copy.dir }),
      runCli(["grade", id, "--json"], { cwd: copy.dir }),
    ]);
    expect(solution.exitCode, `${solution.stdout}\n${solution.stderr}`).toBe(0);
    expect(solution.stdout).toMatch(new RegExp(`${id}: all 3 checks passed`));
    expect(stub.exitCode, stub.stderr).toBe(1);
    const report = JSON.parse(stub.stdout) as JsonReport;
    const failed = firstFailure(report);
    expect(failed).toBe(report.checks[0]);
    expect(failed.message).toMatch(stubFails);
    expect(failed.hint?.length).toBeGreaterThan(20);
  });

  it("the new files type-check with the project's strict options", async () => {
    const result = await typeCheck;
    expect(result.all).toBe("");
    expect(result.exitCode).toBe(0);
  });

  it("list shows each exercise under its lesson, lesson 90 made for the first", () => {
    expect(listing.exitCode, listing.stderr).toBe(0);
    for (const { id, lesson } of KINDS) expect(lessonBlock(listing.stdout, lesson)).toMatch(new RegExp(`\\s${id}\\s+exercises/custom/${id}\\.ts`));
    expect(listing.stdout).toMatch(/Lesson 90: Your own exercises/);
  });

  it("course.json gains the entries and lesson, in the file's own format; the lessons gain their sections", () => {
    const text = readFileSync(path.join(copy.dir, "course.json"), "utf8");
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    const course = loadCourse(copy.dir);
    const custom = course.lessons.at(-1)!;
    expect([custom.id, custom.number, custom.title, custom.file]).toEqual(["custom", 90, "Your own exercises", "lessons/90-custom.md"]);
    expect(custom.exercises.map((e) => e.id)).toEqual(["ping-pong", "udp-ping"]);
    const ask = course.exercises.find((e) => e.id === "tcp-ask")!;
    expect([ask.title, ask.transport, ask.role, ask.lesson.id, ask.hints.length]).toEqual(["Ask for a pong", "tcp", "client", "tcp", 3]);
    const raw = JSON.parse(text);
    expect(Object.keys(raw.lessons.at(-1).exercises[0])).toEqual(["id", "title", "transport", "role", "file", "solution", "checks", "hints"]);
    // Take the additions away, and what is left is the manifest as it was, byte for byte.
    raw.lessons.pop();
    for (const lesson of raw.lessons) lesson.exercises = lesson.exercises.filter((e: { id: string }) => !KINDS.some((k) => k.id === e.id));
    expect(`${JSON.stringify(raw, null, 2)}\n`).toBe(manifestBefore);

    const lesson90 = readFileSync(path.join(copy.dir, "lessons", "90-custom.md"), "utf8");
    expect(lesson90).toMatch(/^# Lesson 90: Your own exercises\n/);
    expect(lesson90.match(/^## Exercise: .+$/gm)).toEqual(["## Exercise: `ping-pong`", "## Exercise: `udp-ping`"]);
    const tcpLesson = readFileSync(path.join(copy.dir, "lessons", "05-tcp.md"), "utf8");
    expect(tcpLesson.startsWith(readFileSync(path.join(ROOT, "lessons", "05-tcp.md"), "utf8").replace(/\n*$/, "\n\n"))).toBe(true);
    expect(tcpLesson).toMatch(/## Exercise: `tcp-ask`\n[\s\S]+npx socketlings run tcp-ask --port 9000[\s\S]+Hints: run `npx socketlings hint tcp-ask`\n$/);
  });
});
