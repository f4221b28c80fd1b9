#!/usr/bin/env node
// npm run bench: the feedback loop, measured. Each figure is the median of
// several runs, on this machine, now. Targets from GRADER.md:
//   grade one exercise (reference solution, cold CLI) <= 3x the floor and < 1.2 s
//   watch mode: save -> result on screen < 0.8 s
//   verify --solutions for the whole course < 10 s
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;

function timeCommand(command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "ignore", env: { ...process.env, NO_COLOR: "1" }, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
  return performance.now() - started;
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const tcpReady = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("connect", () => (socket.end(), resolve(true)));
    socket.on("error", () => resolve(false));
  });

function udpReady(port) {
  const text = ["/proc/net/udp", "/proc/net/udp6"].map((f) => { try { return readFileSync(f, "latin1"); } catch { return ""; } }).join("");
  return text.includes(`:${port.toString(16).toUpperCase().padStart(4, "0")} `);
}

/**
 * The floor: the same program, from start until it listens, the way the
 * grader starts it (esbuild strips the types, then node runs it), with no
 * grader around it.
 */
async function floor(solution, transport) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    const out = path.join(os.tmpdir(), `socketlings-bench-${process.pid}.mjs`);
    const started = performance.now();
    buildSync({ entryPoints: [path.join(root, solution)], outfile: out, bundle: true, packages: "external", platform: "node", format: "esm", logLevel: "silent" });
    const child = spawn(process.execPath, [out], { env: { ...process.env, PORT: String(port) }, stdio: "ignore" });
    for (;;) {
      if (transport === "tcp" ? await tcpReady(port) : udpReady(port)) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    times.push(performance.now() - started);
    child.kill();
    await new Promise((r) => child.on("exit", r));
    rmSync(out, { force: true });
  }
  return median(times);
}

function gradeTimes(exercise, viaNpx) {
  const times = [];
  const [command, args] = viaNpx ? ["npx", ["socketlings", "grade", exercise, "--solution"]] : [process.execPath, ["bin/socketlings.mjs", "grade", exercise, "--solution"]];
  timeCommand(command, args); // the first run builds the CLI bundle once
  for (let i = 0; i < RUNS; i++) times.push(timeCommand(command, args));
  return median(times);
}

/** Save -> result: a watch session in a scratch copy, the exercise file saved again and again. */
async function watchLatency() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "socketlings-bench-watch-"));
  for (const entry of ["course.json", "package.json", "tsconfig.json", "bin", "grader", "exercises", "solutions", "lessons"]) cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  const exercise = path.join(dir, "exercises/04-sockets/echo-server.ts");
  mkdirSync(path.join(dir, ".socketlings"));
  writeFileSync(path.join(dir, ".socketlings/progress.json"), JSON.stringify({ version: 1, done: {}, hintsShown: {}, current: "echo-server" }));
  copyFileSync(path.join(dir, "solutions/04-sockets/echo-server.ts"), exercise);
  const child = spawn(process.execPath, ["bin/socketlings.mjs", "watch", "--plain"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "inherit"] });
  let screen = "";
  child.stdout.on("data", (d) => (screen += d));
  const waitFor = async (pattern, from) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const at = screen.slice(from).search(pattern);
      if (at >= 0) return from + at + 1;
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`watch never showed ${pattern}; it showed:\n${screen.slice(from)}`);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  let at = await waitFor(/echo-server: all 8 checks passed/, 0);
  const times = [];
  const solution = readFileSync(exercise, "utf8");
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    writeFileSync(exercise, `${solution}// save ${i}\n`);
    at = await waitFor(/echo-server: all 8 checks passed/, at);
    times.push(performance.now() - started);
  }
  child.stdin.write("q\n");
  await new Promise((r) => child.on("exit", r));
  rmSync(dir, { recursive: true, force: true });
  return median(times);
}

const rows = [];
const report = (what, value, target) => {
  rows.push([what, value, target ?? ""]);
  console.log(`${what.padEnd(62)} ${value.padStart(10)}   ${target ?? ""}`);
};

console.log(`socketlings bench: ${os.cpus().length} cores, Node ${process.version}, median of ${RUNS} runs\n`);
for (const [exercise, solution, transport] of [
  ["echo-server", "solutions/04-sockets/echo-server.ts", "tcp"],
  ["udp-calculator", "solutions/06-udp/udp-calculator.ts", "udp"],
]) {
  const base = await floor(solution, transport);
  const direct = gradeTimes(exercise, false);
  const viaNpx = gradeTimes(exercise, true);
  report(`${exercise}: floor (esbuild + node, start to listening)`, ms(base));
  report(`${exercise}: node bin/socketlings.mjs grade --solution`, ms(direct), `${(direct / base).toFixed(1)}x floor`);
  report(`${exercise}: npx socketlings grade --solution`, ms(viaNpx), `${(viaNpx / base).toFixed(1)}x floor; target < 1200 ms`);
}
report("watch: save -> result on screen (echo-server, 8 checks)", ms(await watchLatency()), "target < 800 ms");
const verifyRuns = [0, 1, 2].map(() => timeCommand(process.execPath, ["bin/socketlings.mjs", "verify", "--solutions"]));
report("verify --solutions (every solution passes, every stub fails)", ms(median(verifyRuns)), "target < 10000 ms");
