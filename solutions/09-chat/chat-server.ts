// chat-server, reference solution (lesson 9).
import net from "node:net";

const port = Number(process.env.PORT ?? 7009);

/** 1 to 16 ASCII letters, digits or underscores. */
const VALID_NAME = /^[A-Za-z0-9_]{1,16}$/;

/**
 * How much output a member may leave unsent before it is dropped. write()
 * never blocks: what the kernel cannot take yet waits in the socket's own
 * buffer (socket.writableLength). A member that stops reading would make
 * that buffer grow without end, so past this limit it is disconnected.
 */
const MAX_UNSENT = 1024 * 1024;

/** The members who have joined, by name. A connection that has not sent its name yet is not here. */
const members = new Map<string, net.Socket>();

/**
 * Sends `line` to every member but `except`. It never waits for anyone:
 * waiting for one slow member's 'drain' would stall everyone after it.
 */
function broadcast(line: string, except?: string): void {
  for (const [name, socket] of members) {
    if (name === except || socket.destroyed) continue;
    socket.write(line);
    // Its 'close' handler, which runs soon after, announces that it left.
    if (socket.writableLength > MAX_UNSENT) socket.destroy();
  }
}

// noDelay: send each short line at once. With Nagle's algorithm on, a line
// written while the member has not yet acknowledged the previous one waits
// for that ACK, which the member's kernel may delay by some 40 ms.
const server = net.createServer({ noDelay: true }, (socket) => {
  // Per connection: the name once joined, and the bytes of a line not finished yet.
  let name: string | undefined;
  let pending = Buffer.alloc(0);
  let refused = false;

  socket.write("Welcome! What is your name?\n");

  /** The first line: join the room under that name, or refuse it and close. */
  function join(wanted: string): void {
    if (!VALID_NAME.test(wanted) || members.has(wanted)) {
      refused = true;
      socket.end(VALID_NAME.test(wanted) ? "error: name taken\n" : "error: invalid name\n");
      return;
    }
    // sort() with no comparator compares UTF-16 code units, which for ASCII
    // names is byte order: "Bob" before "alice".
    const others = [...members.keys()].sort();
    socket.write(others.length > 0 ? `* in the room: ${others.join(", ")}\n` : "* in the room:\n");
    broadcast(`* ${wanted} has joined\n`);
    members.set(wanted, socket);
    name = wanted;
  }

  socket.on("data", (chunk) => {
    if (refused) return;
    // TCP delivers a stream: a line may come in pieces, or several in one
    // chunk. Keep the bytes until their "\n" has arrived.
    pending = Buffer.concat([pending, chunk]);
    let end: number;
    while (!refused && (end = pending.indexOf(0x0a)) !== -1) {
      // Decode whole lines only: a chunk may end inside a multi-byte character.
      const line = pending.subarray(0, end).toString("utf8").replace(/\r$/, "");
      pending = pending.subarray(end + 1);
      if (name === undefined) join(line);
      else broadcast(`[${name}] ${line}\n`, name);
    }
  });

  // One place to leave, whatever ended the connection: 'close' comes after
  // 'end' (the client closed) and after 'error' (it reset) alike, exactly once.
  socket.on("close", () => {
    if (name === undefined) return;
    members.delete(name);
    broadcast(`* ${name} has left\n`);
  });

  // A reset (ECONNRESET, EPIPE) must not crash the server; 'close' follows.
  socket.on("error", () => {});
});

server.listen(port, "127.0.0.1", () => {
  console.log(`chat-server listening on 127.0.0.1:${port}`);
});
