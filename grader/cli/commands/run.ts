import { findExercise, loadCourse, type Exercise } from "../../course/manifest.ts";
import { freePort } from "../../launcher/free-port.ts";
import { programEnvironment } from "../../launcher/program-environment.ts";
import { startProgram, type ProgramSpec } from "../../launcher/start-program.ts";
import { waitUntilReady } from "../../launcher/wait-ready.ts";
import { describeExit } from "../../launcher/describe-exit.ts";
import type { Io } from "../io.ts";
import { parseFlags } from "../parse-flags.ts";
import { UsageError } from "../usage-error.ts";
import { describeSpec, programSpec } from "./grade.ts";
import os from "node:os";
import path from "node:path";

/**
 * Starts the program exactly as the grader would (same variables, its own
 * process group) and leaves it running, so the learner can poke it by hand.
 */
export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    "run",
    args,
    { cmd: { type: "string" }, file: { type: "string" }, solution: { type: "boolean" }, port: { type: "string" } },
    { max: Number.MAX_SAFE_INTEGER },
  );
  const course = loadCourse();
  const [id, ...programArgs] = positionals;
  const exercise = findExercise(course, id);
  if (exercise.role === "client") return runClient(exercise, programSpec(course, exercise, values, "run"), programArgs, values.port, io);
  if (programArgs.length > 0) throw new UsageError(`run: ${exercise.id} is a server and takes no arguments, got "${programArgs.join(" ")}"`);
  const port = values.port === undefined ? await freePort(exercise.transport) : parsePort(values.port);
  const spec = programSpec(course, exercise, values, "run");
  const env: Record<string, string> = { ...programEnvironment(), ...exercise.env, PORT: String(port), HOST: "127.0.0.1" };
  for (const variable of exercise.variables) {
    if (env[variable] !== undefined) continue;
    const example = exercise.examples[variable];
    if (example === undefined) throw new UsageError(`run: ${exercise.id} reads ${variable}: set it, as in ${variable}=... npx socketlings run ${exercise.id} (lesson ${exercise.lesson.number}, "Exercise: ${exercise.id}", shows what to set it to)`);
    env[variable] = path.join(course.root, example);
    io.out(io.paint.dim(`${variable} is not set: using the example, ${variable}=${path.relative(process.cwd(), env[variable]) || "."}`));
  }
  const started = await startProgram({
    spec,
    cwd: process.cwd(),
    env,
    cacheDir: path.join(os.tmpdir(), `socketlings-${os.userInfo().uid}`, "programs"),
  });
  if (!started.ok) {
    io.err(started.message);
    return 1;
  }
  const { program } = started;
  const label = io.paint.dim("[your program]");
  program.output.onData((chunk) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line !== "") io.out(`${label} ${line}`);
  });
  const stop = async () => {
    await program.stop();
    io.out(io.paint.dim("stopped."));
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const extra = exercise.variables.map((v) => ` ${v}=${env[v]}`).join("");
  io.out(`${exercise.id}: started ${describeSpec(spec)} with PORT=${port}${extra} (pid ${program.pid})`);
  const readiness = await waitUntilReady(program, { transport: exercise.transport, port, timeoutMs: exercise.timeouts.startMs });
  if (readiness.ready) {
    const nc = pokeCommand(exercise, port);
    io.out(
      [
        io.paint.green(`listening on 127.0.0.1:${port} (${exercise.transport.toUpperCase()}) after ${readiness.elapsedMs} ms.`),
        `Poke it from another terminal:  ${io.paint.bold(nc)}`,
        "Press Ctrl-C to stop it.",
      ].join("\n"),
    );
  } else if (readiness.reason === "timeout") {
    io.err(io.paint.yellow(`not listening on 127.0.0.1:${port} after ${readiness.elapsedMs} ms${readiness.boundElsewhere.length ? ` (it listens on ${readiness.boundElsewhere.join(", ")} instead)` : ""}; still running. Ctrl-C stops it.`));
  }
  const exit = await program.exited;
  if (exit.stoppedByGrader) return 0;
  io.out(io.paint.dim(`your program ${describeExit(exit)}.`));
  return exit.code === 0 ? 0 : 1;
}

/** What to poke the server with: the exercise's own tool (dig, curl) if course.json names one, else nc. */
function pokeCommand(exercise: Exercise, port: number): string {
  if (exercise.poke !== undefined) return exercise.poke.replaceAll("{port}", String(port));
  return exercise.transport === "udp" ? `nc -u 127.0.0.1 ${port}` : `nc 127.0.0.1 ${port}`;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`run: --port must be a number from 1 to 65535, got "${text}"`);
  return port;
}

/**
 * A client exercise runs once, the way a check runs it: the arguments after
 * "--", HOST (127.0.0.1 unless set) and PORT (--port, or as set), and any
 * other variable from your shell, e.g. PORTS=8000-8100 for the port scanner.
 */
async function runClient(exercise: Exercise, spec: ProgramSpec, args: string[], port: string | undefined, io: Io): Promise<number> {
  const env = { ...programEnvironment(), ...exercise.env };
  env.HOST ??= "127.0.0.1";
  if (port !== undefined) env.PORT = String(parsePort(port));
  const started = await startProgram({ spec, cwd: process.cwd(), env, args, cacheDir: path.join(os.tmpdir(), `socketlings-${os.userInfo().uid}`, "programs") });
  if (!started.ok) {
    io.err(started.message);
    return 1;
  }
  const { program } = started;
  const shown = ["HOST", "PORT", ...exercise.variables, ...Object.keys(exercise.env)].map((k) => `${k}=${env[k] ?? "(unset)"}`);
  io.err(io.errPaint.dim(`${exercise.id}: running ${program.description} with ${shown.join(" ")}`));
  program.stdout.onData((chunk) => process.stdout.write(chunk));
  program.stderr.onData((chunk) => process.stderr.write(chunk));
  process.once("SIGINT", () => void program.stop());
  const exit = await program.exited;
  await program.stop();
  io.err(io.errPaint.dim(`${exercise.id}: your program ${describeExit(exit)}.`));
  return exit.code ?? 1;
}
