import os from "node:os";
import path from "node:path";
import type { TestProject, Vitest } from "vitest/node";
import type { Course, Exercise } from "../course/manifest.ts";
import { launchSpecOf, type GradeTarget } from "../harness/grade-target.ts";
import { ProgramSupervisor } from "../launcher/supervisor.ts";
import type { LaunchSpec } from "../launcher/supervisor-protocol.ts";
import type { ProgramSpec } from "../launcher/start-program.ts";
import { programEnvironment } from "../launcher/program-environment.ts";
import { CollectingReporter } from "../report/collecting-reporter.ts";
import { prebuiltHarnessConfig } from "./prebuilt-harness.ts";
import { trace } from "../report/trace.ts";
import { resultKey } from "./result-key.ts";
import type { CheckResult, ExerciseResult } from "../report/results.ts";

export interface GradeRequest {
  exercise: Exercise;
  spec: ProgramSpec;
  /** Where a --cmd runs; a TypeScript file's own folder does not matter. */
  cwd: string;
  /** Overrides the run's choice for this program (verify: solutions run every check, stubs stop at the first failure). */
  stopAtFirstFailure?: boolean;
  /** How long all checks of the exercise may take together (grade-class). */
  timeLimitMs?: number;
}

export interface GradeOptions {
  stopAtFirstFailure: boolean;
  seed: string;
  onCheck?: (exercise: Exercise, result: CheckResult) => void;
}

/**
 * Runs check files through vitest's Node API. One Grader keeps one vitest
 * instance, so watch mode pays vitest's start-up once and each later save
 * costs only the run itself. With several lanes (vitest projects, each with
 * its own programs to grade), one run can grade the same exercise for
 * several programs: the solution and the stub, or every student of a class.
 */
export class Grader {
  private readonly vitest: Vitest;
  private readonly reporter: CollectingReporter;
  private readonly course: Course;
  private readonly supervisor: ProgramSupervisor;
  private readonly lanes: TestProject[];
  /** The request each lane and check file stand for in the current run. */
  private running = new Map<string, GradeRequest>();
  private onCheck: GradeOptions["onCheck"];

  private constructor(vitest: Vitest, reporter: CollectingReporter, course: Course, supervisor: ProgramSupervisor, lanes: TestProject[]) {
    this.vitest = vitest;
    this.reporter = reporter;
    this.course = course;
    this.supervisor = supervisor;
    this.lanes = lanes;
  }

  /**
   * Loads vitest. Programs named in `prestart` are started first, so they
   * come up while vitest loads rather than after.
   */
  static async create(course: Course, options: { maxWorkers?: number; prestart?: GradeRequest[]; lanes?: number; reuseWorkers?: boolean } = {}): Promise<Grader> {
    trace("grader: create");
    const supervisor = new ProgramSupervisor();
    for (const request of options.prestart ?? []) if (canStartEarly(request)) supervisor.prestart(earlyLaunch(request));
    const { createVitest } = await import("vitest/node");
    trace("grader: vitest loaded");
    let grader: Grader | undefined;
    const reporter = new CollectingReporter((key, result) => {
      const request = grader?.running.get(key);
      if (request) grader?.onCheck?.(request.exercise, result);
    });
    const prebuilt = prebuiltHarnessConfig();
    const include = course.exercises.map((e) => e.checks);
    const lanes = Math.max(1, options.lanes ?? 1);
    const vitest = await createVitest(
      "test",
      {
        root: course.root,
        config: false,
        watch: false,
        include,
        pool: "threads",
        // A worker per check file is the safe default; reusing them saves a thread start per file
        // when many files run (a class's submissions), and the harness keeps its state per file.
        isolate: !options.reuseWorkers,
        reporters: [reporter],
        // check() runs its own watchdog, which says what the check was waiting for.
        testTimeout: 0,
        hookTimeout: 30_000,
        maxWorkers: options.maxWorkers ?? Math.max(1, os.availableParallelism()),
        passWithNoTests: true,
        cache: false,
        server: { deps: { external: prebuilt.external } },
        ...(lanes > 1 ? { projects: Array.from({ length: lanes }, (_, i) => ({ extends: true as const, test: { name: laneName(i), include } })) } : {}),
      },
      {
        logLevel: "silent",
        clearScreen: false,
        cacheDir: path.join(os.tmpdir(), `socketlings-vite-${os.userInfo().uid}`),
        plugins: prebuilt.plugins,
      },
    );
    const projects = lanes > 1 ? Array.from({ length: lanes }, (_, i) => vitest.projects.find((p) => p.name === laneName(i))!) : [vitest.getRootProject()];
    grader = new Grader(vitest, reporter, course, supervisor, projects);
    trace("grader: vitest created");
    return grader;
  }

  /**
   * Grades every request and returns the results in the same order. The same
   * exercise may come several times: each goes to its own lane, in rounds
   * when there are more than lanes.
   */
  async grade(requests: GradeRequest[], options: GradeOptions): Promise<ExerciseResult[]> {
    this.onCheck = options.onCheck;
    const results = new Map<GradeRequest, ExerciseResult>();
    for (const round of intoRounds(requests, this.lanes.length)) {
      const started = Date.now();
      this.reporter.reset();
      this.running.clear();
      const specifications = round.flatMap((lane, index) => {
        const project = this.lanes[index]!;
        const targets: Record<string, GradeTarget> = {};
        for (const request of lane) {
          targets[request.exercise.id] = targetOf(request, options);
          this.running.set(resultKey(project.name, checkFileOf(this.course, request.exercise)), request);
          if (canStartEarly(request)) this.supervisor.prestart(earlyLaunch(request));
        }
        project.provide("targets", targets);
        return lane.map((request) => project.createSpecification(checkFileOf(this.course, request.exercise)));
      });
      trace("grader: run starts");
      try {
        await this.vitest.runTestSpecifications(specifications);
      } finally {
        trace("grader: run ends");
        await this.supervisor.stopAll();
        trace("grader: programs stopped");
      }
      const durationMs = Date.now() - started;
      for (const [key, request] of this.running) results.set(request, this.resultOf(key, request, durationMs));
    }
    return requests.map((request) => results.get(request)!);
  }

  async close(): Promise<void> {
    await this.vitest.close();
    await this.supervisor.stopAll();
    this.supervisor.close();
  }

  private resultOf(key: string, request: GradeRequest, durationMs: number): ExerciseResult {
    const checks = this.reporter.checks.get(key) ?? [];
    const internalError = this.reporter.moduleErrors.get(key);
    return {
      exerciseId: request.exercise.id,
      program: request.spec.kind === "typescript" ? path.relative(process.cwd(), request.spec.file) || request.spec.file : request.spec.command,
      // A check can skip itself for what this machine lacks (curl, dig, IPv6): that is not the learner's
      // failure. The checks skipped after a failure come with that failure, so any failure still fails.
      passed: !internalError && checks.some((c) => c.status === "passed") && checks.every((c) => c.status !== "failed"),
      checks,
      durationMs,
      ...(internalError ? { internalError } : {}),
    };
  }
}

const laneName = (index: number) => `lane-${index + 1}`;

/**
 * Deals requests into rounds of at most `lanes` lanes, each lane holding an
 * exercise at most once (a lane is one vitest project: one program per file).
 */
function intoRounds(requests: GradeRequest[], lanes: number): GradeRequest[][][] {
  const laneLists: GradeRequest[][] = [];
  for (const request of requests) {
    let lane = laneLists.find((list) => !list.some((r) => r.exercise.id === request.exercise.id));
    if (!lane) laneLists.push((lane = []));
    lane.push(request);
  }
  const rounds: GradeRequest[][][] = [];
  for (let i = 0; i < laneLists.length; i += lanes) rounds.push(laneLists.slice(i, i + lanes));
  return rounds;
}

function targetOf(request: GradeRequest, options: Pick<GradeOptions, "stopAtFirstFailure" | "seed">): GradeTarget {
  const { exercise } = request;
  return {
    exerciseId: exercise.id,
    transport: exercise.transport,
    role: exercise.role,
    spec: request.spec,
    cwd: request.cwd,
    env: programEnvironment(),
    exerciseEnv: exercise.env,
    cacheDir: path.join(os.tmpdir(), `socketlings-${os.userInfo().uid}`, "programs"),
    timeouts: exercise.timeouts,
    stopAtFirstFailure: request.stopAtFirstFailure ?? options.stopAtFirstFailure,
    seed: options.seed,
    ...(request.timeLimitMs === undefined ? {} : { timeLimitMs: request.timeLimitMs }),
  };
}

/** A server whose contract names variables gets them from its check file, so it waits for the checks. */
function canStartEarly(request: GradeRequest): boolean {
  return request.exercise.role === "server" && request.exercise.variables.length === 0;
}

function earlyLaunch(request: GradeRequest): LaunchSpec {
  return launchSpecOf(targetOf(request, { stopAtFirstFailure: true, seed: "" }), true);
}

export function checkFileOf(course: Course, exercise: Exercise): string {
  return path.join(course.root, exercise.checks);
}
