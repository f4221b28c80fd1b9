// Exercise: whoami (lesson 1, "IP addresses and the loopback").
//
// Every client that connects gets exactly one line, "<family> <address> <port>",
// and then the server closes that connection. family is IPv4 or IPv6;
// address and port are the client's, as your server sees them:
//   IPv4 127.0.0.2 51334        IPv6 ::1 51336
// Accept IPv4 and IPv6 clients both. An IPv4 client that arrives on an IPv6
// socket as ::ffff:127.0.0.1 (an IPv4-mapped address) is reported as
// "IPv4 127.0.0.1 <port>". The grader connects from 127.0.0.1, 127.0.0.2,
// 127.0.0.3 and ::1, and with 20 clients at once.
//
// Try it:   npx socketlings run whoami
//           (then: nc -d 127.0.0.1 <port>; nc -d -s 127.0.0.2 127.0.0.1 <port>; nc -d -6 ::1 <port>)
// Grade it: npx socketlings grade whoami
// Stuck?    npx socketlings hint whoami
import net from "node:net";

// The grader chooses the port and passes it in the environment.
const port = Number(process.env.PORT ?? 7010);

const server = net.createServer((socket) => {
  console.log(`a client connected: ${socket.remoteFamily} ${socket.remoteAddress} port ${socket.remotePort}`);
  // TODO: write one line, "<family> <address> <port>\n", with the client's
  //       family, address and port, then close the connection.
  // TODO: report an IPv4-mapped address (::ffff:127.0.0.1) as IPv4 127.0.0.1.
  // TODO: handle "error", so a client that resets cannot crash the server.
});

// "::" is every IPv6 address; with Node's defaults the same socket takes
// IPv4 clients too (dual-stack).
server.listen(port, "::", () => {
  console.log(`whoami listening on [::]:${port}`);
});
