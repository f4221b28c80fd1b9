// udp-reliable-client, reference solution (lesson 6).
import dgram from "node:dgram";
import net from "node:net";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 9000);
const messages = process.argv.slice(2);

const RETRY_MS = 200;
const MAX_TRIES = 10;

// One socket for every try of every message: a late reply to an earlier try
// still reaches us, and its number tells us which message it answers.
const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
socket.on("error", (error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});

/**
 * Sends "<i> <message>" until the reply for i comes, a new try every
 * RETRY_MS: the text of the reply, or undefined after MAX_TRIES tries.
 */
function ask(i: number, message: string): Promise<string | undefined> {
  const request = Buffer.from(`${i} ${message}`);
  const prefix = `${i} `;
  return new Promise((resolve) => {
    let tries = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (text: string | undefined) => {
      clearTimeout(timer);
      socket.off("message", onMessage);
      resolve(text);
    };
    const onMessage = (data: Buffer) => {
      const reply = data.toString("utf8");
      // A duplicate, or a late reply to an earlier message, carries another
      // number: ignore it, and keep the retransmission timer as it is.
      if (reply.startsWith(prefix)) finish(reply.slice(prefix.length));
    };
    const send = () => {
      if (tries === MAX_TRIES) return finish(undefined);
      tries += 1;
      socket.send(request, port, host);
      timer = setTimeout(send, RETRY_MS);
    };
    socket.on("message", onMessage);
    send();
  });
}

async function main(): Promise<number> {
  for (const [i, message] of messages.entries()) {
    const text = await ask(i, message);
    if (text === undefined) {
      console.error(`error: no reply for ${i}`);
      return 1;
    }
    console.log(text);
  }
  return 0;
}

// No process.exit() here: closing the socket lets Node end on its own, after stdout is written.
process.exitCode = await main();
socket.close();
