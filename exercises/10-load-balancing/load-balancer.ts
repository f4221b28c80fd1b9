// Exercise: load-balancer (lesson 10, "Load balancing").
//
// Stand in front of the servers listed in BACKENDS ("127.0.0.1:9001,127.0.0.1:9002,...")
// and share the clients out among them, round robin:
// - Listen on PORT. When a client connects, connect at once (before it sends
//   anything) to the backend whose turn it is: consecutive clients go to
//   consecutive backends in BACKENDS order, wrapping around.
// - Pass bytes both ways, unchanged, until both sides are done. A half-close
//   (FIN) from one side is passed on to the other while bytes keep flowing
//   the other way. A reset on one side closes the other.
// - A backend that refuses is skipped: try the next ones in turn until one
//   accepts; the next client's turn is the backend after the one that
//   accepted. When none accepts, close the client's connection.
// - Many clients at once, 1 MiB each way, and a client that stops reading
//   must not slow the others down (backpressure: pipe() does it).
//
// Try it:   start two backends, each in its own terminal: nc -lk 9001, nc -lk 9002
//           BACKENDS=127.0.0.1:9001,127.0.0.1:9002 npx socketlings run load-balancer
//           then: nc 127.0.0.1 <port> (twice: each lands on the next backend)
// Grade it: npx socketlings grade load-balancer
// Stuck?    npx socketlings hint load-balancer
import net from "node:net";

const port = Number(process.env.PORT ?? 8000);

// TODO: check BACKENDS: on anything that is not host:port,host:port,... print
//       an error on stderr and exit with code 2.
const backends = (process.env.BACKENDS ?? "").split(",").map((entry) => {
  const [host, backendPort] = entry.split(":");
  return { host: host ?? "", port: Number(backendPort) };
});

// allowHalfOpen: true, so that a client's FIN does not make Node close your
// side too: you decide when, once the backend is done.
const server = net.createServer({ allowHalfOpen: true }, (client) => {
  console.log(`a client connected from ${client.remoteAddress}:${client.remotePort}`);
  client.on("error", () => client.destroy());
  // TODO: pick the backend whose turn it is, and move the turn on.
  // TODO: connect to it now: net.connect({ host, port, allowHalfOpen: true }).
  //       On 'error' before 'connect' (refused), try the next backend; when
  //       every backend has refused, close the client (client.destroy()).
  // TODO: once connected: client.pipe(backend) and backend.pipe(client)
  //       (pipe passes every chunk, handles backpressure and passes 'end' on),
  //       and when either socket fails ('error'), destroy the other.
});

server.listen(port, "127.0.0.1", () => {
  console.log(`load-balancer listening on 127.0.0.1:${port}, ${backends.length} backends: ${process.env.BACKENDS ?? "(BACKENDS is not set)"}`);
});
