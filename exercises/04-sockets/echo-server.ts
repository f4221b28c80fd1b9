// Exercise: echo-server (lesson 4, "Sockets: the API").
//
// Send back every byte a client sends, exactly as received: any byte value,
// any amount (the grader sends 1 MiB). When the client half-closes (it has
// nothing more to send), finish echoing and close the connection. Serve all
// clients at the same time: one silent client must not delay anyone else,
// and a client that resets its connection must not stop the server.
//
// Try it:   npx socketlings run echo-server         (then: nc 127.0.0.1 <port>)
// Grade it: npx socketlings grade echo-server
// Stuck?    npx socketlings hint echo-server
import net from "node:net";

const port = Number(process.env.PORT ?? 7001);

// allowHalfOpen: true means that when the client half-closes, your side stays
// open until you call socket.end() yourself.
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  socket.on("data", (chunk) => {
    console.log(`received ${chunk.length} bytes`);
    // TODO: send `chunk` back to the client, unchanged.
  });
  // TODO: when the client has finished sending ("end"), close your side.
  // TODO: handle "error" so a client that resets cannot crash the server.
});

server.listen(port, "127.0.0.1", () => {
  console.log(`echo-server listening on 127.0.0.1:${port}`);
});
