import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadCourse, parseCourse, type Course } from "../../course/manifest.ts";
import { addToManifest, type ManifestLesson } from "../../instructor/scaffold/manifest-edit.ts";
import { lessonFileStart, scaffoldExercise, titleFromId } from "../../instructor/scaffold/index.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { UsageError } from "../usage-error.ts";

const TRANSPORTS = ["tcp", "udp"] as const;
const ROLES = ["server", "client"] as const;
/** Where instructors' exercises go unless --lesson says otherwise; made on first use. */
const CUSTOM = { id: "custom", number: 90, title: "Your own exercises" };
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Scaffolds an instructor's exercise: a stub, a reference solution, a check
 * file, a lesson section and the course.json entry, all a small working
 * example of the chosen kind, so `verify --solutions` passes at once.
 */
export async function newExercise(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    "new",
    args,
    { transport: { type: "string" }, role: { type: "string" }, lesson: { type: "string" }, title: { type: "string" } },
    { max: 1 },
  );
  const course = loadCourse();
  const id = validId(course, positionals[0]);
  const transport = oneOf("--transport", values.transport ?? "tcp", TRANSPORTS);
  const role = oneOf("--role", values.role ?? "server", ROLES);
  const { lesson, isNew } = lessonFor(course, values.lesson ?? CUSTOM.id);
  if (values.title !== undefined && values.title.trim() === "") throw new UsageError('new: --title needs some text, e.g. --title "A ping-pong server"');
  const title = values.title?.trim() ?? `${titleFromId(id)} (${transport.toUpperCase()} ${role})`;
  const paths = { file: `exercises/custom/${id}.ts`, solution: `solutions/custom/${id}.ts`, checks: `grader/checks/${id}.check.ts` };
  const taken = Object.values(paths).filter((p) => existsSync(path.join(course.root, p)));
  if (taken.length > 0) throw new UsageError(`new: ${taken.join(" and ")} already ${taken.length === 1 ? "exists" : "exist"}: pick another id, or move ${taken.length === 1 ? "it" : "them"} away first`);

  const files = scaffoldExercise({ id, title, transport, role, lesson, paths });
  const manifestFile = path.join(course.root, "course.json");
  const manifestBefore = readFileSync(manifestFile, "utf8");
  const manifest = addToManifest(manifestBefore, { id, title, transport, role, ...paths, hints: files.hints }, lesson, isNew);
  // A manifest the course cannot load would be a bug in the scaffold: better found before anything is written.
  parseCourse(JSON.parse(manifest), course.root, manifestFile);
  const lessonFile = path.join(course.root, lesson.file);
  const lessonBefore = existsSync(lessonFile) ? readFileSync(lessonFile, "utf8") : undefined;
  const lessonText = `${(lessonBefore ?? lessonFileStart(lesson)).replace(/\n*$/, "\n\n")}${files.section}`;

  writeAll([
    { file: path.join(course.root, paths.file), text: files.stub },
    { file: path.join(course.root, paths.solution), text: files.solution },
    { file: path.join(course.root, paths.checks), text: files.checks },
    { file: lessonFile, text: lessonText, replace: true, before: lessonBefore },
    { file: manifestFile, text: manifest, replace: true, before: manifestBefore },
  ]);

  const p = io.paint;
  const rows: [string, string][] = [
    [paths.file, "the stub learners start from"],
    [paths.solution, "the reference solution"],
    [paths.checks, "the checks, with comments on where to change the contract"],
    [lesson.file, lessonBefore === undefined ? "a new lesson file, with the exercise's section" : "the exercise's section, added at the end"],
    ["course.json", `the exercise and its ${files.hints.length} hints${isNew ? `, and lesson ${lesson.number}` : ""}`],
  ];
  const width = Math.max(...rows.map(([file]) => file.length));
  io.out(
    [
      p.green(`Created ${id}, ${files.kind}, in lesson ${lesson.number} "${lesson.title}":`),
      ...rows.map(([file, what]) => `  ${file.padEnd(width)}  ${p.dim(what)}`),
      "",
      p.bold("Next steps:"),
      `  1. Make the contract yours: edit ${paths.checks} (its comments say where),`,
      `     then the solution, the stub, the lesson section and the hints in course.json to match.`,
      `  2. ${p.bold("npx socketlings verify --solutions")}   proves every solution passes and every stub fails`,
      `  3. ${p.bold(`npx socketlings grade ${id} --solution`)}   grades just this one (without --solution: the stub)`,
    ].join("\n"),
  );
  return 0;
}

function validId(course: Course, id: string | undefined): string {
  if (id === undefined) throw new UsageError("new: name the new exercise: new <exercise-id>, e.g. new ping-pong");
  if (!KEBAB_CASE.test(id)) {
    throw new UsageError(`new: "${id}" is not a valid exercise id: use kebab-case, lowercase letters a-z, digits 0-9 and single hyphens, starting with a letter (e.g. ping-pong)`);
  }
  const existing = course.exercises.find((e) => e.id === id);
  if (existing) throw new UsageError(`new: the exercise "${id}" exists already (lesson ${existing.lesson.number}, ${existing.file}): pick another id`);
  return id;
}

function oneOf<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) throw new UsageError(`new: ${flag} must be one of ${choices.join(", ")}; got "${value}"`);
  return value as T;
}

/** The lesson named by id or number; "custom" is made when the course has none yet. */
function lessonFor(course: Course, key: string): { lesson: ManifestLesson; isNew: boolean } {
  const found = course.lessons.find((l) => l.id === key || String(l.number) === key);
  if (found) return { lesson: { id: found.id, number: found.number, title: found.title, file: found.file }, isNew: false };
  if (key === CUSTOM.id) {
    // 90 leaves room for the course's own lessons; should a lesson hold it, the next free number does.
    let number = CUSTOM.number;
    while (course.lessons.some((l) => l.number === number)) number += 1;
    return { lesson: { ...CUSTOM, number, file: `lessons/${String(number).padStart(2, "0")}-${CUSTOM.id}.md` }, isNew: true };
  }
  const valid = [...course.lessons.map((l) => `${l.id} (${l.number})`), `${CUSTOM.id} (made on first use)`].join(", ");
  throw new UsageError(`new: unknown lesson "${key}" for --lesson. Valid lessons: ${valid}`);
}

interface Write {
  file: string;
  text: string;
  /** The file may exist: replace it atomically (temp file + rename) rather than refuse. */
  replace?: boolean;
  /** Its text before, restored on a failure; undefined: it did not exist, and is removed. */
  before?: string | undefined;
}

/**
 * Writes the files in order, new ones only where nothing is (flag "wx"), the
 * others through a temporary file and a rename, so a reader never sees half a
 * course.json. When one write fails, those done are undone: no half-made exercise.
 */
function writeAll(writes: Write[]): void {
  const done: Write[] = [];
  const madeFolders: string[] = [];
  let current: Write | undefined;
  try {
    for (const write of writes) {
      current = write;
      const made = mkdirSync(path.dirname(write.file), { recursive: true });
      if (made) madeFolders.push(made);
      if (write.replace) replaceAtomically(write.file, write.text);
      else writeFileSync(write.file, write.text, { flag: "wx" });
      done.push(write);
    }
  } catch (error) {
    for (const write of done.reverse()) {
      if (write.before === undefined) rmSync(write.file, { force: true });
      else writeFileSync(write.file, write.before);
    }
    for (const folder of madeFolders.reverse()) {
      try {
        rmdirSync(folder);
      } catch {
        // Not empty: something else was put there meanwhile, and stays.
      }
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (current && (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "EEXIST")) {
      throw new UsageError(`new: cannot write ${path.relative(process.cwd(), current.file)} (${code}), so nothing was created. Is the course folder read-only?`);
    }
    throw error;
  }
}

function replaceAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
