import { check, gradeExercise, CheckFailure, expectServedAlongside, SEQUENTIAL_HINT, type TcpClient } from "../harness/index.ts";

gradeExercise("echo-server");

const ONE_RECV_HINT =
  "one 'data' event (one recv) is not one message: TCP delivers a stream in chunks of any size. Keep echoing every chunk until the client closes.";
const HALF_CLOSE_HINT =
  "when the client half-closes, Node emits 'end' on the socket: finish writing and call socket.end() (socket.pipe(socket) does it). In Python, recv() returns b'' then: close the connection.";
const RESET_HINT =
  "a reset client makes its socket emit 'error' (ECONNRESET or EPIPE); without socket.on('error', ...) Node crashes the whole server. Handle it and carry on (Python: catch ConnectionResetError).";

check("echoes a short message", async ({ tcp }) => {
  const client = await tcp();
  client.send("hello\n");
  await client.expectBytes("hello\n", { hint: "write every chunk you receive straight back: socket.on('data', (chunk) => socket.write(chunk))." });
});

check("echoes several messages on one connection", async ({ tcp }) => {
  const client = await tcp();
  for (const message of ["one\n", "two\n", "three, with more words\n"]) {
    client.send(message);
    await client.expectBytes(message, { hint: "keep the connection open and echo every message, not just the first." });
  }
});

check("echoes every byte value unchanged (binary-safe)", async ({ tcp }) => {
  const client = await tcp();
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  client.send(everyByte, "the 256 byte values 0x00 to 0xff");
  await client.expectBytes(everyByte, {
    describe: "the 256 byte values 0x00 to 0xff, unchanged",
    hint: "write back the Buffer you received, not a string made from it: decoding bytes as UTF-8 replaces invalid bytes with U+FFFD (0xef 0xbf 0xbd).",
  });
});

check("finishes echoing and closes when the client half-closes", async ({ tcp }) => {
  const client = await tcp();
  client.send("last words\n");
  client.halfClose();
  await client.expectBytes("last words\n", { hint: HALF_CLOSE_HINT });
  await client.expectClose({ hint: HALF_CLOSE_HINT });
});

check("echoes a 1 MiB random payload intact", async ({ tcp, random }) => {
  const client = await tcp();
  const payload = random.bytes(1024 * 1024);
  client.send(payload, "1,048,576 random bytes");
  client.halfClose();
  await client.expectBytes(payload, { describe: "the same 1,048,576 bytes back, in order", hint: ONE_RECV_HINT, timeoutMs: 10_000 });
  await client.expectClose({ hint: HALF_CLOSE_HINT });
});

check("a connected, silent client does not delay another", async ({ tcp }) => {
  const silent = await tcp();
  const other = await tcp();
  other.send("are you there?\n");
  await expectServedAlongside(other, [silent], () => other.expectBytes("are you there?\n"));
});

check("serves 10 interleaved clients, each its own echo", async ({ tcp, random }) => {
  const clients: TcpClient[] = [];
  for (let i = 0; i < 10; i++) clients.push(await tcp());
  for (let round = 1; round <= 3; round++) {
    for (const client of random.shuffle([...clients])) {
      const message = `${client.label} round ${round}: ${random.int(0, 1e9)}\n`;
      client.send(message);
      try {
        await client.expectBytes(message);
      } catch (error) {
        const misdelivered = clients.filter((c) => c !== client && c.bufferedBytes > 0);
        if (!(error instanceof CheckFailure) || misdelivered.length === 0) {
          throw error instanceof CheckFailure ? withHint(error, SEQUENTIAL_HINT) : error;
        }
        throw new CheckFailure(`[${client.label}]'s echo arrived at [${misdelivered.map((c) => c.label).join("], [")}] instead`, {
          expected: [`the echo on [${client.label}]'s own connection`],
          hint: "keep each client's socket to itself: write back on the socket the 'connection' callback gave you, never on a variable shared by all clients.",
        });
      }
    }
  }
});

check("keeps serving after a client resets its connection", async ({ tcp, random, resetAndWait, expectStillRunning }) => {
  const rude = await tcp();
  rude.send(random.bytes(64 * 1024), "65,536 random bytes");
  await resetAndWait(rude);
  await expectStillRunning(`[${rude.label}] reset its connection`, RESET_HINT);
  const client = await tcp();
  client.send("still there?\n");
  await client.expectBytes("still there?\n", { hint: RESET_HINT });
});

function withHint(failure: CheckFailure, hint: string): CheckFailure {
  return new CheckFailure(failure.happened, { expected: failure.expected, details: failure.details, hint });
}
