import { checksHeader, FENCE, sectionGrading } from "./common.ts";
import type { KindTemplate } from "./template.ts";

/** A TCP server that answers the line "ping" with the line "pong", for many clients at once. */
export const TCP_SERVER: KindTemplate = {
  kind: "a TCP server",
  contract: [
    'A TCP server that answers "ping" with "pong". Clients send lines ending in',
    '"\\n"; answer each line "ping" with the line "pong" on the same connection,',
    "and keep the connection open for more. A line may arrive in pieces. Serve",
    "every client at the same time: one that stays silent delays no one.",
  ],
  tryIt: (spec) => [`npx socketlings run ${spec.id}         (then: nc 127.0.0.1 <port>, and type ping)`],

  stub: (spec) => `import net from "node:net";

const port = Number(process.env.PORT ?? 7090);

const server = net.createServer((socket) => {
  socket.on("data", (chunk) => {
    console.log(\`received \${JSON.stringify(chunk.toString("utf8"))}\`);
    // TODO: for each whole line "ping", write "pong\\n" back on this socket.
    //       A line may arrive in pieces: keep what came until its "\\n".
  });
  // TODO: handle "error", so a client that resets cannot crash the server.
});

server.listen(port, "127.0.0.1", () => {
  console.log(\`${spec.id} listening on 127.0.0.1:\${port}\`);
});
`,

  solution: (spec) => `// ${spec.id}, reference solution (lesson ${spec.lesson.number}).
import net from "node:net";

const port = Number(process.env.PORT ?? 7090);

const server = net.createServer((socket) => {
  // Each connection keeps its own unfinished line: TCP may cut a line anywhere,
  // and setEncoding keeps a character split between two chunks whole.
  let pending = "";
  socket.setEncoding("utf8");
  socket.on("data", (text: string) => {
    pending += text;
    let end = pending.indexOf("\\n");
    while (end !== -1) {
      const line = pending.slice(0, end).replace(/\\r$/, "");
      pending = pending.slice(end + 1);
      if (line === "ping") socket.write("pong\\n");
      end = pending.indexOf("\\n");
    }
  });
  // A client that resets its connection must not take the server down.
  socket.on("error", () => socket.destroy());
});

server.listen(port, "127.0.0.1", () => {
  console.log(\`${spec.id} listening on 127.0.0.1:\${port}\`);
});
`,

  checks: (spec) => `${checksHeader(spec, "a TCP server", [
    "The probes: tcp() connects a grader-side client to the program; send() and",
    "sendPieces() write; expectBytes() and expectLine() wait (the exercise's",
    "readMs, 1 s unless course.json says otherwise) for exactly the expected bytes",
    "and show where a wrong reply differs; expectClose(), halfClose() and reset()",
    "cover how connections end. More in grader/probes/tcp-client.ts and in",
    "grader/checks/echo-server.check.ts.",
  ])}
import { check, gradeExercise, expectServedAlongside } from "../harness/index.ts";

gradeExercise(${JSON.stringify(spec.id)});

// The contract: what a client sends, and what the program answers.
const REQUEST = "ping\\n";
const REPLY = "pong\\n";

const REPLY_HINT = 'answer on the socket the request came from: socket.write("pong\\\\n") for each line "ping".';
const PIECES_HINT =
  'TCP delivers a stream of bytes, not messages: "ping\\\\n" may come as "pi", then "ng\\\\n". Keep what arrived in a variable per connection and answer once a whole line is there.';
const OPEN_HINT = "keep the connection open after answering (no socket.end()): the client may send more.";

check('answers "ping" with "pong"', async ({ tcp }) => {
  const client = await tcp();
  client.send(REQUEST);
  await client.expectBytes(REPLY, { hint: REPLY_HINT });
});

check("keeps the connection open for more, and reads a line that comes in pieces", async ({ tcp }) => {
  const client = await tcp();
  client.send(REQUEST);
  await client.expectBytes(REPLY, { hint: REPLY_HINT });
  client.send(REQUEST);
  await client.expectBytes(REPLY, { hint: OPEN_HINT });
  // Each piece leaves as its own segment, 50 ms apart.
  await client.sendPieces([Buffer.from(REQUEST.slice(0, 2)), Buffer.from(REQUEST.slice(2))], { pauseMs: 50 });
  await client.expectBytes(REPLY, { hint: PIECES_HINT });
});

check("serves two clients at once: a silent one delays no one", async ({ tcp }) => {
  const silent = await tcp();
  const other = await tcp();
  other.send(REQUEST);
  // When no answer comes, this tells a server that serves one client at a time apart from one that never answers.
  await expectServedAlongside(other, [silent], () => other.expectBytes(REPLY, { hint: REPLY_HINT }));
});
`,

  section: (spec) => `## Exercise: \`${spec.id}\`

Write a TCP server that answers "ping" with "pong".

- Listen on \`PORT\` (on 127.0.0.1) and keep running until the grader stops it.
- Clients send lines ending in \`\\n\`. Answer each line \`ping\` with the line
  \`pong\`, on the same connection, and keep the connection open for more.
- A line may arrive in pieces: TCP delivers a stream of bytes, not messages,
  so keep what arrived until the \`\\n\`.
- Serve clients at the same time: one that connects and says nothing must
  not delay another.

The file to edit is \`${spec.paths.file}\`. Start it with:

${FENCE}sh
npx socketlings run ${spec.id}
${FENCE}

Then connect from another terminal and type \`ping\`; \`pong\` comes back:

${FENCE}sh
nc 127.0.0.1 <port>
${FENCE}

Open a second \`nc\` while the first one stays silent: it must get its answer
too.

${sectionGrading(spec, "`PORT`")}`,

  hints: [
    'Each client has its own socket in net.createServer((socket) => { ... }): write "pong\\n" to the socket the "ping" came from, and leave it open (no socket.end()).',
    'TCP delivers a stream, not messages: "ping\\n" may arrive as "pi" then "ng\\n". Keep what arrived in a variable declared inside the connection callback, and answer each whole line up to its "\\n".',
    'Node runs each connection\'s callbacks on their own, so a silent client delays no one unless you wait for it. Add socket.on("error", ...) so a client that resets cannot crash the server.',
  ],
};
