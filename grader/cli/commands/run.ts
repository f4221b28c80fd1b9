import { findExercise, loadCourse } from "../../course/manifest.ts";
import { freePort } from "../../launcher/free-port.ts";
import { programEnvironment } from "../../launcher/program-environment.ts";
import { startProgram } from "../../launcher/start-program.ts";
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
    { max: 1 },
  );
  const course = loadCourse();
  const exercise = findExercise(course, positionals[0]);
  const port = values.port === undefined ? await freePort(exercise.transport) : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`run: --port must be a number from 1 to 65535, got "${values.port}"`);
  const spec = programSpec(course, exercise, values, "run");
  const started = await startProgram({
    spec,
    cwd: process.cwd(),
    env: { ...programEnvironment(), ...exercise.env, PORT: String(port), HOST: "127.0.0.1" },
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
  io.out(`${exercise.id}: started ${describeSpec(spec)} with PORT=${port} (pid ${program.pid})`);
  const readiness = await waitUntilReady(program, { transport: exercise.transport, port, timeoutMs: exercise.timeouts.startMs });
  if (readiness.ready) {
    const nc = exercise.transport === "udp" ? `nc -u 127.0.0.1 ${port}` : `nc 127.0.0.1 ${port}`;
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
