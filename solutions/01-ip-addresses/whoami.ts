// whoami, reference solution (lesson 1).
import net from "node:net";

const port = Number(process.env.PORT ?? 7010);

const server = net.createServer((socket) => {
  // A client that resets before we answer makes the socket emit "error":
  // handled, it costs that one connection and nothing else.
  socket.on("error", () => socket.destroy());
  const peer = describePeer(socket);
  if (peer === undefined) {
    // Already gone: the kernel no longer knows who was there.
    socket.destroy();
    return;
  }
  // end(data) writes the one line, then closes our side once it is sent.
  socket.end(`${peer}\n`);
});

/** "IPv4 127.0.0.2 51334" or "IPv6 ::1 51334": the client, as this end of the connection sees it. */
function describePeer(socket: net.Socket): string | undefined {
  const { remoteAddress, remotePort } = socket;
  if (remoteAddress === undefined || remotePort === undefined) return undefined;
  // A dual-stack socket sees an IPv4 client as an IPv4-mapped IPv6 address,
  // ::ffff:127.0.0.1. It is still an IPv4 client: report the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  if (mapped) return `IPv4 ${mapped[1]} ${remotePort}`;
  const family = net.isIPv6(remoteAddress) ? "IPv6" : "IPv4";
  return `${family} ${remoteAddress} ${remotePort}`;
}

server.on("error", (error: NodeJS.ErrnoException) => {
  // A machine without IPv6 cannot listen on "::": serve IPv4 rather than nobody.
  if (error.code === "EAFNOSUPPORT" || error.code === "EADDRNOTAVAIL") {
    console.log("no IPv6 on this machine: listening on IPv4 only");
    server.listen(port, "0.0.0.0");
    return;
  }
  throw error;
});

// "::" with Node's default (ipv6Only: false) is one dual-stack socket: it
// accepts IPv6 clients and IPv4 clients alike.
server.listen(port, "::", () => {
  console.log(`whoami listening on port ${port}`);
});
