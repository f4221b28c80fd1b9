// Exercise: uppercase-server (lesson 5, "TCP: a reliable byte stream").
//
// Answer every line a client sends (bytes up to "\n", a "\r" right before it
// dropped; UTF-8 text) with the same line in upper case, ending in "\n".
// Use Unicode's default case mapping: "straße" becomes "STRASSE". The line
// "q" gets "bye", and then the server closes that connection.
// TCP is a stream: a line may arrive in pieces (split at any byte, even
// inside a multi-byte character), several lines may arrive in one chunk,
// and a line may be 100 KiB long. Serve many clients at once.
//
// Try it:   npx socketlings run uppercase-server    (then: nc 127.0.0.1 <port>)
// Grade it: npx socketlings grade uppercase-server
// Stuck?    npx socketlings hint uppercase-server
import net from "node:net";

// The grader chooses the port and passes it in the environment.
const port = Number(process.env.PORT ?? 7005);

const server = net.createServer((socket) => {
  socket.on("data", (chunk) => {
    console.log(`received ${chunk.length} bytes`);
    // TODO: a chunk is not a line. Keep the bytes until a "\n" arrives, then
    //       answer each complete line with line.toUpperCase() + "\n".
    // TODO: the line "q" gets "bye\n", then close the connection (socket.end).
  });
  // TODO: handle "error", so a client that resets cannot crash the server.
});

server.listen(port, "127.0.0.1", () => {
  console.log(`uppercase-server listening on 127.0.0.1:${port}`);
});
