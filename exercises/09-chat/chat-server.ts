// Exercise: chat-server (lesson 9, "Many clients: a chat server").
//
// A chat room over TCP, one line at a time (lines end in "\n"; drop a "\r"
// right before it; your lines end in "\n" alone).
//
// 1. On connect, send "Welcome! What is your name?\n".
// 2. The first line is the name: 1 to 16 of A-Z a-z 0-9 _ (ASCII only).
//    Otherwise send "error: invalid name\n" and close. A name already in
//    the room (exact match: "Alice" is not "alice"): "error: name taken\n"
//    and close.
// 3. The newcomer gets "* in the room: " and the OTHER members' names,
//    sorted in byte order (upper case before lower case: "Bob" before
//    "alice"), joined by ", ": "* in the room: Bob, alice\n". Alone:
//    "* in the room:\n", with no space at the end. Every other member
//    gets "* <name> has joined\n".
// 4. Each later line from a member goes to every OTHER member as
//    "[<name>] <text>\n": never back to the sender, never to a client that
//    has not sent its name yet.
// 5. When a member closes or resets its connection, the others get
//    "* <name> has left\n", once, and the name is free again.
//
// Many members at once (30 and more). A member that stops reading must not
// delay the others: never wait for one socket before writing to the next.
//
// Try it:   npx socketlings run chat-server    (then: nc 127.0.0.1 <port>, in two terminals)
// Grade it: npx socketlings grade chat-server
// Stuck?    npx socketlings hint chat-server
import net from "node:net";

// The grader chooses the port and passes it in the environment.
const port = Number(process.env.PORT ?? 7009);

// TODO: keep the members who have joined, e.g. a Map from name to socket.

const server = net.createServer((socket) => {
  console.log(`a client connected from port ${socket.remotePort}`);
  // TODO: greet the client and ask for its name.

  socket.on("data", (chunk) => {
    console.log(`received ${chunk.length} bytes`);
    // TODO: a chunk is not a line. Keep this connection's bytes until a "\n"
    //       arrives, then handle each complete line: the first is the name,
    //       every later one goes to the other members.
  });

  // TODO: when the connection ends ('close' comes after 'end' and after
  //       'error' alike), remove the member and tell the others.
  // TODO: handle "error", so a client that resets cannot crash the server.
});

server.listen(port, "127.0.0.1", () => {
  console.log(`chat-server listening on 127.0.0.1:${port}`);
});
