import { check, gradeExercise } from "../harness/index.ts";

gradeExercise("welcome-server");

const WELCOME = "Welcome to the server!\n";
const RESET_HINT =
  'a client that resets makes its socket emit "error" (ECONNRESET); without socket.on("error", ...) Node crashes the whole server. Handle it (Python: catch ConnectionResetError).';
const CLOSE_HINT = "after writing the greeting, close the connection: socket.end(greeting) in Node, conn.close() in Python.";

check("greets a client with exactly the welcome line", async ({ tcp }) => {
  const client = await tcp();
  await client.expectBytes(WELCOME, {
    hint: 'send exactly "Welcome to the server!" followed by a newline ("\\n"), as soon as the client connects.',
  });
});

check("closes the connection after the greeting", async ({ tcp }) => {
  const client = await tcp();
  await client.expectBytes(WELCOME);
  await client.expectClose({ hint: CLOSE_HINT });
});

check("greets 20 clients one after another", async ({ tcp }) => {
  for (let i = 0; i < 20; i++) {
    const client = await tcp();
    await client.expectBytes(WELCOME);
    await client.expectClose({ hint: CLOSE_HINT });
  }
});

check("greets 20 clients at once", async ({ tcp }) => {
  const clients = await Promise.all(Array.from({ length: 20 }, () => tcp()));
  await Promise.all(
    clients.map(async (client) => {
      await client.expectBytes(WELCOME, { hint: "every connection gets its own greeting, even when many arrive together." });
      await client.expectClose({ hint: CLOSE_HINT });
    }),
  );
});

check("keeps serving after clients reset their connections", async ({ tcp, resetAndWait, expectStillRunning }) => {
  for (let i = 0; i < 5; i++) {
    const rude = await tcp();
    await resetAndWait(rude);
    await expectStillRunning(`[${rude.label}] reset its connection`, RESET_HINT);
  }
  const client = await tcp();
  await client.expectBytes(WELCOME, { hint: RESET_HINT });
  await client.expectClose({ hint: CLOSE_HINT });
});
