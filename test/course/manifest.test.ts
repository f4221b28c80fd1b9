import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../grader/cli/usage-error.ts";
import { findExercise, loadCourse, parseCourse } from "../../grader/course/manifest.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** A small manifest of a fixed shape (two lessons, three exercises), so these tests do not move with the course. */
const manifest = (): any => {
  const exercise = (id: string, transport: string, role: string) => ({
    id,
    title: `The ${id} exercise`,
    transport,
    role,
    file: `exercises/${id}.ts`,
    solution: `solutions/${id}.ts`,
    checks: `grader/checks/${id}.check.ts`,
    hints: ["first hint", "second hint", "third hint"],
  });
  return {
    format: 1,
    welcome: "Welcome.",
    final: "Done.",
    lessons: [
      { id: "one", number: 1, title: "Lesson one", file: "lessons/01.md", exercises: [exercise("alpha", "tcp", "server"), exercise("beta", "udp", "server")] },
      { id: "two", number: 2, title: "Lesson two", file: "lessons/02.md", exercises: [exercise("gamma", "tcp", "client")] },
    ],
  };
};

/** The error parseCourse gives for the sample manifest after `change`. */
function errorFor(change: (doc: any) => void): string {
  const doc = manifest();
  change(doc);
  try {
    parseCourse(doc, ROOT);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the manifest was accepted");
}

describe("loadCourse of the real course.json", () => {
  const course = loadCourse(ROOT);

  it("lists lessons in order, each exercise once, each pointing back at its lesson", () => {
    expect(course.root).toBe(ROOT);
    expect(course.lessons.length).toBeGreaterThan(0);
    expect(course.exercises).toEqual(course.lessons.flatMap((l) => l.exercises));
    expect(new Set(course.exercises.map((e) => e.id)).size).toBe(course.exercises.length);
    for (const lesson of course.lessons) for (const exercise of lesson.exercises) expect(exercise.lesson).toBe(lesson);
    const numbers = course.lessons.map((l) => l.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it("names files that exist: every lesson, exercise, solution, check and example file", () => {
    const missing = [
      ...course.lessons.map((l) => l.file),
      ...course.exercises.flatMap((e) => [e.file, e.solution, e.checks, ...Object.values(e.examples)]),
    ].filter((file) => !existsSync(path.join(ROOT, file)));
    expect(missing).toEqual([]);
  });

  it("gives an example only for a variable the exercise reads", () => {
    for (const exercise of course.exercises) {
      for (const variable of Object.keys(exercise.examples)) expect(exercise.variables, exercise.id).toContain(variable);
    }
  });

  it("gives every exercise hints that say something", () => {
    for (const exercise of course.exercises) {
      expect(exercise.hints.length, exercise.id).toBeGreaterThan(0);
      for (const hint of exercise.hints) expect(hint.trim().length, exercise.id).toBeGreaterThan(10);
    }
  });

  it("gives every exercise positive timeouts, the defaults where it names none", () => {
    for (const { timeouts } of course.exercises) {
      expect(timeouts.startMs).toBeGreaterThan(0);
      expect(timeouts.readMs).toBeGreaterThan(0);
      expect(timeouts.checkMs).toBeGreaterThan(0);
    }
  });

  it("says which file it could not read", () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "socketlings-no-course-"));
    try {
      expect(() => loadCourse(empty)).toThrow(`cannot read the course manifest ${path.join(empty, "course.json")}: `);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("says a manifest that is not JSON cannot be read", () => {
    const broken = mkdtempSync(path.join(os.tmpdir(), "socketlings-broken-course-"));
    try {
      writeFileSync(path.join(broken, "course.json"), "{ not json");
      expect(() => loadCourse(broken)).toThrow(`cannot read the course manifest ${path.join(broken, "course.json")}: `);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe("parseCourse", () => {
  it("names the field of a missing value", () => {
    expect(errorFor((doc) => delete doc.lessons[0].exercises[0].title)).toBe("course.json: lessons[0].exercises[0].title: expected a non-empty string");
  });

  it("rejects an exercise without hints", () => {
    expect(errorFor((doc) => (doc.lessons[0].exercises[0].hints = []))).toBe("course.json: lessons[0].exercises[0].hints: every exercise needs at least one hint");
    expect(errorFor((doc) => delete doc.lessons[0].exercises[0].hints)).toBe("course.json: lessons[0].exercises[0].hints: expected a list");
  });

  it("rejects a hint that is only spaces, naming it", () => {
    expect(errorFor((doc) => (doc.lessons[0].exercises[1].hints[2] = "   "))).toBe("course.json: lessons[0].exercises[1].hints[2]: expected a non-empty string");
  });

  it("rejects an id used twice, at its second use", () => {
    expect(errorFor((doc) => (doc.lessons[1].exercises[0].id = doc.lessons[0].exercises[0].id))).toBe(
      `course.json: lessons[1].exercises[0].id: "${manifest().lessons[0].exercises[0].id}" is used twice`,
    );
  });

  it("rejects a transport or role it does not know", () => {
    expect(errorFor((doc) => (doc.lessons[0].exercises[0].transport = "sctp"))).toBe("course.json: lessons[0].exercises[0].transport: expected one of tcp, udp");
    expect(errorFor((doc) => (doc.lessons[0].exercises[0].role = "proxy"))).toBe("course.json: lessons[0].exercises[0].role: expected one of server, client");
  });

  it("rejects timeouts that are not positive numbers", () => {
    expect(errorFor((doc) => (doc.lessons[0].exercises[0].timeouts = { readMs: 0 }))).toBe("course.json: lessons[0].exercises[0].timeouts.readMs: expected a positive number");
    expect(errorFor((doc) => (doc.lessons[0].exercises[0].timeouts = { startMs: "5000" }))).toBe("course.json: lessons[0].exercises[0].timeouts.startMs: expected a positive number");
    expect(errorFor((doc) => (doc.lessons[0].exercises[0].timeouts = 5000))).toBe("course.json: lessons[0].exercises[0].timeouts: expected an object");
    expect(errorFor((doc) => (doc.defaults = { timeouts: { checkMs: -1 } }))).toBe("course.json: defaults.timeouts.checkMs: expected a positive number");
  });

  it("fills in the timeouts an exercise leaves out from the defaults", () => {
    const doc = manifest();
    doc.defaults = { timeouts: { startMs: 3000, readMs: 700, checkMs: 9000 } };
    doc.lessons[0].exercises[0].timeouts = { readMs: 250 };
    delete doc.lessons[0].exercises[1].timeouts;
    const course = parseCourse(doc, ROOT);
    expect(course.exercises[0]!.timeouts).toEqual({ startMs: 3000, readMs: 250, checkMs: 9000 });
    expect(course.exercises[1]!.timeouts).toEqual({ startMs: 3000, readMs: 700, checkMs: 9000 });
  });

  it("rejects another format, a non-object and a missing lesson list", () => {
    expect(errorFor((doc) => (doc.format = 2))).toBe("course.json: format: expected 1, got 2");
    expect(() => parseCourse([], ROOT)).toThrow("course.json: the top level: expected an object");
    expect(errorFor((doc) => delete doc.lessons)).toBe("course.json: lessons: expected a list");
  });

  it("rejects an environment value that is not a string", () => {
    expect(errorFor((doc) => (doc.lessons[0].exercises[0].env = { ROUNDS: 3 }))).toBe("course.json: lessons[0].exercises[0].env.ROUNDS: expected a non-empty string");
  });

  it("names the file it was given", () => {
    const doc = manifest();
    doc.welcome = "";
    expect(() => parseCourse(doc, ROOT, "/somewhere/course.json")).toThrow("/somewhere/course.json: welcome: expected a non-empty string");
  });
});

describe("findExercise", () => {
  const course = loadCourse(ROOT);
  const valid = course.exercises.map((e) => e.id).join(", ");

  it("finds an exercise by id", () => {
    const id = course.exercises[1]!.id;
    expect(findExercise(course, id).id).toBe(id);
  });

  it("fails with a UsageError naming the valid ids for an unknown id", () => {
    expect(() => findExercise(course, "echo-sever")).toThrow(UsageError);
    expect(() => findExercise(course, "echo-sever")).toThrow(`unknown exercise "echo-sever". Valid exercises: ${valid}`);
  });

  it("asks for an exercise when none is named", () => {
    expect(() => findExercise(course, undefined)).toThrow(new UsageError(`name an exercise. Valid exercises: ${valid}`));
  });
});
