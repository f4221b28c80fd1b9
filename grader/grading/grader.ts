import os from "node:os";
import path from "node:path";
import type { Vitest } from "vitest/node";
import type { Course, Exercise } from "../course/manifest.ts";
import { launchSpecOf, type GradeTarget } from "../harness/grade-target.ts";
import { ProgramSupervisor } from "../launcher/supervisor.ts";
import type { LaunchSpec } from "../launcher/supervisor-protocol.ts";
import type { ProgramSpec } from "../launcher/start-program.ts";
import { programEnvironment } from "../launcher/program-environment.ts";
import { CollectingReporter } from "../report/collecting-reporter.ts";
import { prebuiltHarnessConfig } from "./prebuilt-harness.ts";
import { trace } from "../report/trace.ts";
import type { CheckResult, ExerciseResult } from "../report/results.ts";

export interface GradeRequest {
  exercise: Exercise;
  spec: ProgramSpec;
  /** Where a --cmd runs; a TypeScript file's own folder does not matter. */
  cwd: string;
}

export interface GradeOptions {
  stopAtFirstFailure: boolean;
  seed: string;
  onCheck?: (exercise: Exercise, result: CheckResult) => void;
}

/**
 * Runs check files through vitest's Node API. One Grader keeps one vitest
 * instance, so watch mode pays vitest's start-up once and each later save
 * costs only the run itself.
 */
export class Grader {
  private readonly vitest: Vitest;
  private readonly reporter: CollectingReporter;
  private readonly course: Course;
  private readonly supervisor: ProgramSupervisor;
  private onCheck: GradeOptions["onCheck"];

  private constructor(vitest: Vitest, reporter: CollectingReporter, course: Course, supervisor: ProgramSupervisor) {
    this.vitest = vitest;
    this.reporter = reporter;
    this.course = course;
    this.supervisor = supervisor;
  }

  /**
   * Loads vitest. Programs named in `prestart` are started first, so they
   * come up while vitest loads rather than after.
   */
  static async create(course: Course, options: { maxWorkers?: number; prestart?: GradeRequest[] } = {}): Promise<Grader> {
    trace("grader: create");
    const supervisor = new ProgramSupervisor();
    for (const request of options.prestart ?? []) if (request.exercise.role === "server") supervisor.prestart(earlyLaunch(request));
    const { createVitest } = await import("vitest/node");
    trace("grader: vitest loaded");
    let grader: Grader | undefined;
    const reporter = new CollectingReporter((file, result) => {
      const exercise = course.exercises.find((e) => checkFileOf(course, e) === file);
      if (exercise) grader?.onCheck?.(exercise, result);
    });
    const prebuilt = prebuiltHarnessConfig();
    const vitest = await createVitest(
      "test",
      {
        root: course.root,
        config: false,
        watch: false,
        include: course.exercises.map((e) => e.checks),
        pool: "threads",
        reporters: [reporter],
        // check() runs its own watchdog, which says what the check was waiting for.
        testTimeout: 0,
        hookTimeout: 30_000,
        maxWorkers: options.maxWorkers ?? Math.max(1, os.availableParallelism()),
        passWithNoTests: true,
        cache: false,
        server: { deps: { external: prebuilt.external } },
      },
      {
        logLevel: "silent",
        clearScreen: false,
        cacheDir: path.join(os.tmpdir(), `socketlings-vite-${os.userInfo().uid}`),
        plugins: prebuilt.plugins,
      },
    );
    grader = new Grader(vitest, reporter, course, supervisor);
    trace("grader: vitest created");
    return grader;
  }

  async grade(requests: GradeRequest[], options: GradeOptions): Promise<ExerciseResult[]> {
    const started = Date.now();
    this.onCheck = options.onCheck;
    this.reporter.reset();
    const targets: Record<string, GradeTarget> = {};
    for (const request of requests) {
      targets[request.exercise.id] = targetOf(request, options);
      if (request.exercise.role === "server") this.supervisor.prestart(earlyLaunch(request));
    }
    this.vitest.provide("targets", targets);
    const project = this.vitest.getRootProject();
    trace("grader: run starts");
    try {
      await this.vitest.runTestSpecifications(requests.map((r) => project.createSpecification(checkFileOf(this.course, r.exercise))));
    } finally {
      trace("grader: run ends");
      await this.supervisor.stopAll();
      trace("grader: programs stopped");
    }
    const durationMs = Date.now() - started;
    return requests.map((request) => {
      const file = checkFileOf(this.course, request.exercise);
      const checks = this.reporter.checks.get(file) ?? [];
      const internalError = this.reporter.moduleErrors.get(file);
      return {
        exerciseId: request.exercise.id,
        program: request.spec.kind === "typescript" ? path.relative(process.cwd(), request.spec.file) || request.spec.file : request.spec.command,
        passed: !internalError && checks.length > 0 && checks.every((c) => c.status === "passed"),
        checks,
        durationMs,
        ...(internalError ? { internalError } : {}),
      };
    });
  }

  async close(): Promise<void> {
    await this.vitest.close();
    await this.supervisor.stopAll();
    this.supervisor.close();
  }
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
    stopAtFirstFailure: options.stopAtFirstFailure,
    seed: options.seed,
  };
}

function earlyLaunch(request: GradeRequest): LaunchSpec {
  return launchSpecOf(targetOf(request, { stopAtFirstFailure: true, seed: "" }), true);
}

export function checkFileOf(course: Course, exercise: Exercise): string {
  return path.join(course.root, exercise.checks);
}
