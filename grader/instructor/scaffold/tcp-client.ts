import { checksHeader, CLIENT_VERDICTS, FENCE, sectionGrading } from "./common.ts";
import type { KindTemplate } from "./template.ts";

/** A TCP client that sends "ping" to HOST:PORT and prints the line the server answers. */
export const TCP_CLIENT: KindTemplate = {
  kind: "a TCP client",
  contract: [
    'A TCP client. Connect to HOST:PORT, send the line "ping\\n", read the line',
    "the server answers (it may arrive in pieces), print it without its \"\\n\",",
    "close the connection and exit with code 0. When nobody listens there:",
    '"error: <why>" on stderr, nothing on stdout, exit code 1.',
  ],
  tryIt: (spec) => [
    "nc -l 127.0.0.1 9000                       (you play the server: type its reply)",
    `npx socketlings run ${spec.id} --port 9000      (in a second terminal)`,
  ],

  stub: () => `import net from "node:net";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 9000);

const socket = net.connect({ host, port });

socket.on("connect", () => {
  console.error(\`connected to \${host}:\${port}\`);
  // TODO: send the line "ping\\n".
  // TODO: read the reply up to its "\\n" (it may arrive in several "data"
  //       events), print that line with console.log, then socket.end().
  socket.end(); // TODO: remove this once your "data" handler ends the connection.
});

// TODO: nobody listening? The socket emits "error" (ECONNREFUSED): print
//       \`error: \${error.message}\` on stderr and set process.exitCode = 1.
`,

  solution: (spec) => `// ${spec.id}, reference solution (lesson ${spec.lesson.number}).
import net from "node:net";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 9000);

const socket = net.connect({ host, port });
// The reply may arrive in pieces: keep them until the "\\n". setEncoding keeps
// a character split between two pieces whole.
let received = "";
let printed = false;
socket.setEncoding("utf8");

socket.on("connect", () => socket.write("ping\\n"));

socket.on("data", (text: string) => {
  received += text;
  const end = received.indexOf("\\n");
  if (end === -1 || printed) return;
  printed = true;
  console.log(received.slice(0, end).replace(/\\r$/, ""));
  // Nothing else keeps Node running: once the connection closes, it exits with code 0.
  socket.end();
});

socket.on("end", () => {
  if (printed) return;
  console.error("error: the server closed the connection before a whole line");
  process.exitCode = 1;
});

// Without this handler, a refused connection crashes Node with a stack trace.
socket.on("error", (error) => {
  console.error(\`error: \${error.message}\`);
  process.exitCode = 1;
});
`,

  checks: (spec) => `${checksHeader(spec, "a TCP client", [
    "A client exercise has no program running between checks: each check starts",
    "a server of its own (startServer below: net.createServer on a free port),",
    "runs the program once with ctx.run(args, { env: { HOST, PORT } }), and",
    "judges what it printed and how it exited (ClientRun: stdout, stderr, exit,",
    "timedOut). The server writes what it sees into the transcript, labelled",
    "[grader's server]. More in grader/checks/port-scanner.check.ts.",
  ])}
import net from "node:net";
import { check, gradeExercise, CheckFailure, freePort, quoteBytes, type CheckContext, type ClientRun } from "../harness/index.ts";

gradeExercise(${JSON.stringify(spec.id)});

// The contract: the program sends REQUEST to HOST:PORT and prints the line the
// server answers. Each reply carries a seeded number, so that only a program
// that prints what it read can pass.
const REQUEST = "ping\\n";
const makeReply = (ctx: CheckContext) => \`pong \${ctx.random.int(1000, 9999)}\`;
/** Room for Node to start, connect and print; a program that never closes the connection is stopped here. */
const RUN_LIMIT_MS = 5000;

const REQUEST_HINT = 'connect with net.connect({ host, port }) (HOST and PORT come from the environment) and, on "connect", write "ping\\\\n".';
const PRINT_HINT = 'read the reply up to its "\\\\n": it may come in several "data" events. Then print that one line with console.log.';
const EXIT_HINT = "close the connection once the reply is printed (socket.end()): an open socket keeps Node running.";
const GIVE_UP_HINT =
  'handle the socket\\'s "error" event (ECONNREFUSED: nobody listens): print "error: " and the message with console.error, and set process.exitCode = 1. Without a handler, Node crashes with a stack trace.';

const SERVER = "grader's server";

interface GraderServer {
  port: number;
  /** The lines the server got, "\\n" included. */
  requests: string[];
}

/**
 * The grader's side: a TCP server on a free port. It answers the line REQUEST
 * with \`reply\` and a "\\n", written in \`pieces\` 50 ms apart, and keeps the
 * connection open until the program closes it. Closed when the check ends.
 */
async function startServer(ctx: CheckContext, reply: string, pieces = 1): Promise<GraderServer> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const say = (text: string) => ctx.scope.transcript.add(SERVER, text);
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("error", () => {});
    say(\`accepted a connection from port \${socket.remotePort}\`);
    let received = Buffer.alloc(0);
    let answered = false;
    socket.on("data", (chunk: Buffer) => {
      if (answered) return;
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf("\\n");
      if (end === -1) return;
      answered = true;
      const line = received.subarray(0, end + 1).toString("utf8");
      requests.push(line);
      say(\`got   \${quoteBytes(line)}\`);
      if (line === REQUEST) void answer(ctx, socket, \`\${reply}\\n\`, pieces);
      else say(\`that is not \${quoteBytes(REQUEST)}: no reply\`);
    });
    socket.on("end", () => {
      if (answered) say("the program closed the connection");
      else say(received.length === 0 ? "the program closed the connection without sending anything" : \`the program closed the connection after \${quoteBytes(received)}, with no "\\\\n"\`);
      socket.end();
    });
  });
  ctx.scope.track(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return { port: (server.address() as net.AddressInfo).port, requests };
}

/** Writes \`reply\` in \`pieces\` about equal parts, 50 ms apart: TCP may deliver a reply like that. */
async function answer(ctx: CheckContext, socket: net.Socket, reply: string, pieces: number): Promise<void> {
  const size = Math.ceil(reply.length / pieces);
  for (let at = 0; at < reply.length; at += size) {
    if (at > 0) await ctx.sleep(50);
    if (socket.destroyed) return;
    const piece = reply.slice(at, at + size);
    socket.write(piece);
    ctx.scope.transcript.add(SERVER, \`sent  \${quoteBytes(piece)}\${at > 0 ? " (50 ms later)" : ""}\`);
  }
}

check('sends "ping", prints the server\\'s reply and exits 0', async (ctx) => {
  const reply = makeReply(ctx);
  const server = await startServer(ctx, reply);
  const run = await ctx.run([], { env: { HOST: "127.0.0.1", PORT: String(server.port) }, timeoutMs: RUN_LIMIT_MS });
  expectPrinted(run, reply, server, RUN_LIMIT_MS);
});

check("prints the whole reply when it arrives in two pieces", async (ctx) => {
  const reply = makeReply(ctx);
  const server = await startServer(ctx, reply, 2);
  const run = await ctx.run([], { env: { HOST: "127.0.0.1", PORT: String(server.port) }, timeoutMs: RUN_LIMIT_MS });
  expectPrinted(run, reply, server, RUN_LIMIT_MS);
});

check('says "error: ..." and exits 1 when nothing listens at HOST:PORT', async (ctx) => {
  // Free a moment ago, so nothing listens there: connecting is refused at once.
  const port = await freePort("tcp");
  const run = await ctx.run([], { env: { HOST: "127.0.0.1", PORT: String(port) }, timeoutMs: RUN_LIMIT_MS });
  expectGaveUp(run, RUN_LIMIT_MS);
});

${CLIENT_VERDICTS}
`,

  section: (spec) => `## Exercise: \`${spec.id}\`

Write a TCP client that asks a server for its "pong".

- \`HOST\` and \`PORT\` in the environment say where the server is.
- Connect, send the line \`ping\` (ending in \`\\n\`), and read the line the
  server answers. It may arrive in pieces: read until the \`\\n\`.
- Print that line (without its \`\\n\`), close the connection, and exit with
  code 0. The server keeps the connection open, so waiting for it to close
  first waits forever.
- When nobody listens at \`HOST:PORT\`, print \`error: <why>\` on stderr,
  nothing on stdout, and exit with code 1.

The file to edit is \`${spec.paths.file}\`. A client exercise runs once, with
\`HOST\` and \`PORT\` from your shell or from \`--port\`. The easiest server to
test against is yourself: start \`nc\` as a server in one terminal,

${FENCE}sh
nc -l 127.0.0.1 9000
${FENCE}

and run the client in another:

${FENCE}sh
npx socketlings run ${spec.id} --port 9000
${FENCE}

\`ping\` shows up in the \`nc\` terminal; type \`pong\` and press Enter, and the
client prints \`pong\` and exits. Run it once more without \`nc\` to see the
error.

${sectionGrading(spec, "`HOST` and `PORT`")}`,

  hints: [
    'net.connect({ host, port }) emits "connect" once the server has accepted: write "ping\\n" then. HOST and PORT come from process.env.',
    'The reply may arrive in several "data" events: add each to a string, and once it holds a "\\n", print the line before it and call socket.end(). The server keeps the connection open, so waiting for "end" first waits forever.',
    'When nobody listens, the socket emits "error" (ECONNREFUSED): print "error: " and error.message with console.error and set process.exitCode = 1. Without a handler Node crashes with a stack trace.',
  ],
};
