// welcome-server, reference solution (lesson 4).
import net from "node:net";

const port = Number(process.env.PORT ?? 7000);

const server = net.createServer((socket) => {
  // A client that resets the connection makes the socket emit "error";
  // unhandled, that one rude client would crash the server for everyone.
  socket.on("error", () => {});
  // end(data) writes the greeting, then closes our side once it is sent.
  socket.end("Welcome to the server!\n");
});

server.listen(port, "127.0.0.1", () => {
  console.log(`welcome-server listening on 127.0.0.1:${port}`);
});
