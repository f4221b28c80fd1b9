// Exercise: welcome-server (lesson 4, "Sockets: the API").
//
// Every client that connects gets exactly one line, "Welcome to the server!",
// ending in "\n", and then the server closes that connection. Many clients
// come one after another and at once; a client that resets its connection
// must not stop the server.
//
// Try it:   npx socketlings run welcome-server      (then: nc 127.0.0.1 <port>)
// Grade it: npx socketlings grade welcome-server    (or keep `npx socketlings` running)
// Stuck?    npx socketlings hint welcome-server
import net from "node:net";

// The grader chooses the port and passes it in the environment.
const port = Number(process.env.PORT ?? 7000);

const server = net.createServer((socket) => {
  console.log(`a client connected from ${socket.remoteAddress}:${socket.remotePort}`);
  // TODO: send "Welcome to the server!\n" to this client, then close the connection.
  // TODO: make sure a client that resets the connection cannot crash the server.
});

server.listen(port, "127.0.0.1", () => {
  console.log(`welcome-server listening on 127.0.0.1:${port}`);
});
