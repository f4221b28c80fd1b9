import { checksHeader, FENCE, sectionGrading } from "./common.ts";
import type { KindTemplate } from "./template.ts";

/** A UDP server that answers the datagram "ping" with "pong", to whoever sent it. */
export const UDP_SERVER: KindTemplate = {
  kind: "a UDP server",
  contract: [
    'A UDP server that answers "ping" with "pong". Each datagram "ping" (a',
    "trailing newline, as nc -u sends, is fine) gets the datagram \"pong\", sent",
    "back to the address and port it came from. Keep serving: many clients,",
    "many datagrams each.",
  ],
  tryIt: (spec) => [`npx socketlings run ${spec.id}         (then: nc -u 127.0.0.1 <port>, and type ping)`],

  stub: (spec) => `import dgram from "node:dgram";

const port = Number(process.env.PORT ?? 9090);

const socket = dgram.createSocket("udp4");

socket.on("message", (data, sender) => {
  console.log(\`got \${JSON.stringify(data.toString("utf8"))} from \${sender.address}:\${sender.port}\`);
  // TODO: when the datagram is "ping", send "pong" back to whoever sent it:
  //       socket.send(reply, sender.port, sender.address).
});

socket.bind(port, "127.0.0.1", () => {
  console.log(\`${spec.id} listening on 127.0.0.1:\${port} (UDP)\`);
});
`,

  solution: (spec) => `// ${spec.id}, reference solution (lesson ${spec.lesson.number}).
import dgram from "node:dgram";

const port = Number(process.env.PORT ?? 9090);

const socket = dgram.createSocket("udp4");

socket.on("message", (data, sender) => {
  // A datagram is one whole message. trim() lets a hand test with nc -u, which adds a newline, work too.
  if (data.toString("utf8").trim() !== "ping") return;
  // The sender's address and port: a client waits for its reply there, not on a port we pick.
  socket.send("pong", sender.port, sender.address);
});

socket.bind(port, "127.0.0.1", () => {
  console.log(\`${spec.id} listening on 127.0.0.1:\${port} (UDP)\`);
});
`,

  checks: (spec) => `${checksHeader(spec, "a UDP server", [
    "The probes: udp() opens a grader-side socket on loopback (localAddress picks",
    "127.0.0.2 and friends); send(data, port) sends one datagram to the program;",
    "expectReply() waits (the exercise's readMs, 1 s unless course.json says",
    "otherwise) for the next datagram and compares it byte for byte; receive()",
    "returns it for checks of your own. When no reply comes, the failure says",
    "whether the program read the datagram at all. More in",
    "grader/probes/udp-client.ts and grader/checks/udp-calculator.check.ts.",
  ])}
import { check, gradeExercise } from "../harness/index.ts";

gradeExercise(${JSON.stringify(spec.id)});

// The contract: what a client sends, and what the program answers.
const REQUEST = "ping";
const REPLY = "pong";

const SENDER_HINT =
  'reply to whoever sent the datagram: socket.send("pong", rinfo.port, rinfo.address) in Node, sock.sendto(b"pong", addr) with the addr recvfrom gave you in Python.';
const ADDRESS_HINT = "use the sender's address as well as its port: this client sent from 127.0.0.2.";

check('answers "ping" with "pong"', async ({ udp, port }) => {
  const client = await udp();
  client.send(REQUEST, port);
  await client.expectReply(REPLY, { hint: SENDER_HINT });
});

check("keeps serving: answers three pings in a row", async ({ udp, port }) => {
  const client = await udp();
  for (let i = 0; i < 3; i++) {
    client.send(REQUEST, port);
    await client.expectReply(REPLY, { hint: "answer every datagram, not just the first: keep the socket open and the 'message' handler in place." });
  }
});

check("answers each of three clients at its own address and port", async ({ udp, port }) => {
  const clients = [await udp(), await udp(), await udp({ localAddress: "127.0.0.2" })];
  for (const client of clients) client.send(REQUEST, port);
  for (const [i, client] of clients.entries()) await client.expectReply(REPLY, { hint: i === 2 ? ADDRESS_HINT : SENDER_HINT });
});
`,

  section: (spec) => `## Exercise: \`${spec.id}\`

Write a UDP server that answers "ping" with "pong".

- Bind a UDP socket to \`PORT\` (on 127.0.0.1) and keep running until the
  grader stops it.
- Each datagram \`ping\` gets the datagram \`pong\`, sent back to the address
  and port it came from. A trailing newline after \`ping\` (as \`nc -u\` sends)
  is allowed.
- Keep serving: many clients, each sending many datagrams.

The file to edit is \`${spec.paths.file}\`. Start it with:

${FENCE}sh
npx socketlings run ${spec.id}
${FENCE}

Then, from another terminal, type \`ping\` and press Enter; \`pong\` comes back:

${FENCE}sh
nc -u 127.0.0.1 <port>
${FENCE}

${sectionGrading(spec, "`PORT`")}`,

  hints: [
    'socket.on("message", (msg, rinfo) => { ... }) gives each datagram and who sent it: reply with socket.send("pong", rinfo.port, rinfo.address).',
    'A datagram is one whole message, never cut or joined: compare msg.toString("utf8").trim() with "ping" (trim, since nc -u adds a newline).',
    "Use rinfo.address as well as rinfo.port: the grader sends from several sockets at once, one of them on 127.0.0.2, and each must get its own reply.",
  ],
};
