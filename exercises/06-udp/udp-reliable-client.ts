// Exercise: udp-reliable-client (lesson 6, "UDP: datagrams").
//
// A client that gets every answer through a network that loses datagrams.
// HOST and PORT name the server; each argument is one message (spaces and
// all). Send message i (counted from 0) as the datagram "<i> <message>" and
// wait for the reply "<i> <text>"; print each <text> on its own line, in
// order, then exit with code 0. The grader's server drops requests and
// replies, and sends some replies twice or late, so:
//   - no reply for the current i within 200 ms? Send the same datagram again;
//   - ignore replies for any other i (duplicates, late replies);
//   - after 10 tries of one message, print "error: no reply for <i>" on
//     stderr and exit with code 1.
//
// Try it:   npx socketlings run udp-reliable-client -- hello "hi there"
//           It talks to HOST:PORT (127.0.0.1:9000 unless set). Play the server in
//           another terminal: nc -u -l 9000, and type the replies ("0 hi"); type
//           nothing, and watch it retransmit and give up.
// Grade it: npx socketlings grade udp-reliable-client
// Stuck?    npx socketlings hint udp-reliable-client
import dgram from "node:dgram";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 9000);
const messages = process.argv.slice(2);

// One socket for every try of every message: replies come back to its port.
const socket = dgram.createSocket("udp4");
socket.on("message", (data, sender) => {
  console.error(`got ${JSON.stringify(data.toString("utf8"))} from ${sender.address}:${sender.port}`);
});

/** The text of the reply to message i, or undefined when 10 tries bring no reply. */
async function ask(i: number, message: string): Promise<string | undefined> {
  // TODO: send `${i} ${message}` to host:port: socket.send(data, port, host).
  // TODO: wait up to 200 ms for a datagram that starts with `${i} ` and return the text after it.
  //       Ignore any other datagram: a duplicate, or a late reply to an earlier message.
  // TODO: no such reply within 200 ms? Send the same datagram again, 10 tries in all.
  console.error(`TODO: send ${JSON.stringify(`${i} ${message}`)} to ${host}:${port}`);
  return undefined;
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

process.exitCode = await main();
socket.close();
