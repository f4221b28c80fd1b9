import { checksHeader, CLIENT_VERDICTS, FENCE, sectionGrading } from "./common.ts";
import type { KindTemplate } from "./template.ts";

/** A UDP client that sends "ping" to HOST:PORT and prints the reply, or gives up after 1 s. */
export const UDP_CLIENT: KindTemplate = {
  kind: "a UDP client",
  contract: [
    'A UDP client. Send the datagram "ping" to HOST:PORT, print the text of the',
    "reply datagram, close the socket and exit with code 0. No reply within",
    '1000 ms (UDP loses datagrams): "error: no reply within 1000 ms" on stderr,',
    "nothing on stdout, exit code 1.",
  ],
  tryIt: (spec) => [
    "nc -u -l 127.0.0.1 9000                    (you play the server: type its reply)",
    `npx socketlings run ${spec.id} --port 9000      (in a second terminal)`,
  ],

  stub: () => `import dgram from "node:dgram";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 9000);

const socket = dgram.createSocket("udp4");

socket.on("message", (data, sender) => {
  console.error(\`got \${JSON.stringify(data.toString("utf8"))} from \${sender.address}:\${sender.port}\`);
  // TODO: print the reply's text with console.log, then close the socket.
});

// TODO: send the datagram "ping" to host:port: socket.send("ping", port, host).
// TODO: no reply within 1000 ms? Print "error: no reply within 1000 ms" on
//       stderr, set process.exitCode = 1 and close the socket.
console.error(\`TODO: send "ping" to \${host}:\${port}\`);
socket.close(); // TODO: close the socket only once the reply has come, or the time is up.
`,

  solution: (spec) => `// ${spec.id}, reference solution (lesson ${spec.lesson.number}).
import dgram from "node:dgram";
import net from "node:net";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 9000);
const WAIT_MS = 1000;

const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");

// UDP promises nothing: without a timer, a lost datagram would leave us waiting forever.
const timer = setTimeout(() => {
  console.error(\`error: no reply within \${WAIT_MS} ms\`);
  process.exitCode = 1;
  socket.close();
}, WAIT_MS);

socket.on("message", (data) => {
  clearTimeout(timer);
  console.log(data.toString("utf8"));
  // An open socket keeps Node running: closing it lets the program end.
  socket.close();
});

socket.on("error", (error) => {
  clearTimeout(timer);
  console.error(\`error: \${error.message}\`);
  process.exitCode = 1;
  socket.close();
});

socket.send("ping", port, host);
`,

  checks: (spec) => `${checksHeader(spec, "a UDP client", [
    "A client exercise has no program running between checks: each check starts",
    "a server of its own (startServer below: a dgram socket on a free port),",
    "runs the program once with ctx.run(args, { env: { HOST, PORT } }), and",
    "judges what it printed and how it exited (ClientRun: stdout, stderr, exit,",
    "timedOut, durationMs). The server writes what it sees into the transcript,",
    "labelled [grader's server]. More in grader/checks/udp-reliable-client.check.ts.",
  ])}
import dgram from "node:dgram";
import { check, gradeExercise, CheckFailure, quoteBytes, type CheckContext, type ClientRun } from "../harness/index.ts";

gradeExercise(${JSON.stringify(spec.id)});

// The contract: the program sends REQUEST to HOST:PORT and prints the reply;
// without one, it gives up after WAIT_MS. Each reply carries a seeded number,
// so that only a program that prints what it read can pass.
const REQUEST = "ping";
const makeReply = (ctx: CheckContext) => \`pong \${ctx.random.int(1000, 9999)}\`;
const WAIT_MS = 1000;
/** Room for Node to start, wait WAIT_MS and print; a program that never ends is stopped here. */
const RUN_LIMIT_MS = 5000;

const REQUEST_HINT = 'send one datagram "ping" (no newline) to HOST:PORT from the environment: socket.send("ping", port, host).';
const PRINT_HINT = 'print the text of the reply datagram, all of it, with console.log(msg.toString("utf8")).';
const EXIT_HINT = "close the socket once the reply is printed (socket.close()): an open socket keeps Node running.";
const GIVE_UP_HINT = \`start a timer when you send; if no reply came within \${WAIT_MS} ms, print "error: no reply within \${WAIT_MS} ms" with console.error, set process.exitCode = 1 and close the socket.\`;

const SERVER = "grader's server";

interface GraderServer {
  port: number;
  /** The datagrams the server got, as text. */
  requests: string[];
}

/**
 * The grader's side: a UDP socket on a free port that answers the datagram
 * REQUEST with \`reply\` to its sender, or stays silent when \`reply\` is
 * undefined, as a server that is down would. Closed when the check ends.
 */
async function startServer(ctx: CheckContext, reply: string | undefined): Promise<GraderServer> {
  const requests: string[] = [];
  const say = (text: string) => ctx.scope.transcript.add(SERVER, text);
  const socket = dgram.createSocket("udp4");
  socket.on("error", () => {});
  socket.on("message", (data, from) => {
    requests.push(data.toString("utf8"));
    say(\`got   \${quoteBytes(data)} from \${from.address}:\${from.port}\`);
    if (reply === undefined) return say("stays silent, as a server that is down would");
    if (data.toString("utf8") !== REQUEST) return say(\`that is not \${quoteBytes(REQUEST)}: no reply\`);
    socket.send(reply, from.port, from.address);
    say(\`sent  \${quoteBytes(reply)} to \${from.address}:\${from.port}\`);
  });
  ctx.scope.track(() => socket.close());
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => resolve());
  });
  return { port: socket.address().port, requests };
}

check('sends "ping", prints the reply and exits 0', async (ctx) => {
  const reply = makeReply(ctx);
  const server = await startServer(ctx, reply);
  const run = await ctx.run([], { env: { HOST: "127.0.0.1", PORT: String(server.port) }, timeoutMs: RUN_LIMIT_MS });
  expectPrinted(run, reply, server, RUN_LIMIT_MS);
});

check("prints the whole reply, spaces and UTF-8 intact", async (ctx) => {
  const reply = \`\${makeReply(ctx)} — über ✓\`;
  const server = await startServer(ctx, reply);
  const run = await ctx.run([], { env: { HOST: "127.0.0.1", PORT: String(server.port) }, timeoutMs: RUN_LIMIT_MS });
  expectPrinted(run, reply, server, RUN_LIMIT_MS);
});

check(\`gives up after \${WAIT_MS} ms without a reply: "error: ..." and exit code 1\`, async (ctx) => {
  const server = await startServer(ctx, undefined);
  const run = await ctx.run([], { env: { HOST: "127.0.0.1", PORT: String(server.port) }, timeoutMs: RUN_LIMIT_MS });
  expectGaveUp(run, RUN_LIMIT_MS);
  // The run's time counts from the start of the process, so a program that waited WAIT_MS took longer still.
  if (run.durationMs < WAIT_MS) {
    throw new CheckFailure(\`your program gave up after \${run.durationMs} ms\`, { expected: [\`a wait of \${WAIT_MS} ms for the reply first\`], hint: GIVE_UP_HINT });
  }
});

${CLIENT_VERDICTS}
`,

  section: (spec) => `## Exercise: \`${spec.id}\`

Write a UDP client that asks a server for its "pong", and does not wait
forever for it.

- \`HOST\` and \`PORT\` in the environment say where the server is.
- Send the datagram \`ping\` (no newline) and wait for the reply datagram.
- Print its text, close the socket, and exit with code 0.
- UDP loses datagrams and tells nobody. When no reply has come within
  1000 ms, print \`error: no reply within 1000 ms\` on stderr, nothing on
  stdout, close the socket, and exit with code 1.

The file to edit is \`${spec.paths.file}\`. A client exercise runs once, with
\`HOST\` and \`PORT\` from your shell or from \`--port\`. The easiest server to
test against is yourself: start \`nc\` as a UDP server in one terminal,

${FENCE}sh
nc -u -l 127.0.0.1 9000
${FENCE}

and run the client in another:

${FENCE}sh
npx socketlings run ${spec.id} --port 9000
${FENCE}

\`ping\` shows up in the \`nc\` terminal. Type \`pong\` and press Enter within a
second (type it before you start the client, and \`nc\` sends it as soon as the
\`ping\` shows it where to), and the client prints it; wait, and it gives up.

${sectionGrading(spec, "`HOST` and `PORT`")}`,

  hints: [
    'dgram.createSocket("udp4"), then socket.send("ping", port, host) with HOST and PORT from process.env: the reply comes back to the same socket as a "message" event.',
    'In the "message" handler, print msg.toString("utf8") with console.log, then socket.close(): an open socket keeps Node running, and the program never ends.',
    'Start a timer with setTimeout when you send and clear it when the reply comes. If it fires first, print "error: no reply within 1000 ms" with console.error, set process.exitCode = 1 and close the socket.',
  ],
};
