// load-balancer, reference solution (lesson 10): a round-robin TCP proxy.
import net from "node:net";

const port = Number(process.env.PORT ?? 8000);

interface Backend {
  host: string;
  port: number;
}

/** "127.0.0.1:9001,127.0.0.1:9002" → [{ host, port }, ...]; exits with code 2 on anything else. */
function parseBackends(text: string | undefined): Backend[] {
  return (text ?? "").split(",").map((entry) => {
    const match = /^\s*([^:\s]+):(\d{1,5})\s*$/.exec(entry);
    const backendPort = Number(match?.[2]);
    if (!match || backendPort < 1 || backendPort > 65535) {
      console.error(`error: BACKENDS must be host:port,host:port,... (got ${JSON.stringify(text ?? "")})`);
      process.exit(2);
    }
    return { host: match[1]!, port: backendPort };
  });
}

const backends = parseBackends(process.env.BACKENDS);
/** The backend the next connection attempt goes to. */
let turn = 0;

/**
 * Connects to the backends in turn until one accepts; calls `done` with that
 * socket, or with undefined once `backends.length` of them have refused.
 * Each attempt takes the turn and moves it on, so after a skip the next
 * client's turn is the backend after the one that accepted, and clients that
 * arrive together (before any backend answered) still get consecutive turns.
 */
function connectToNext(tried: number, done: (backend: net.Socket | undefined) => void): void {
  if (tried === backends.length) return done(undefined);
  const backend = backends[turn]!;
  turn = (turn + 1) % backends.length;
  // allowHalfOpen: a FIN from the backend must not make Node end our side too.
  const socket = net.connect({ ...backend, allowHalfOpen: true });
  const refused = () => connectToNext(tried + 1, done);
  socket.once("error", refused);
  socket.once("connect", () => {
    socket.off("error", refused);
    done(socket);
  });
}

const server = net.createServer({ allowHalfOpen: true }, (client) => {
  // Until a backend accepts, a client that goes away must not crash us.
  client.on("error", () => client.destroy());
  // Pause: bytes the client sends before the backend is ready wait in the kernel, not in our memory.
  client.pause();
  connectToNext(0, (backend) => {
    if (!backend) {
      // No backend accepted: say so by closing the client's connection.
      client.destroy();
      return;
    }
    if (client.destroyed) {
      backend.destroy();
      return;
    }
    // pipe() passes every chunk on, pauses the reader while the writer's buffer
    // is full (backpressure), and turns 'end' (a FIN) into end() on the other side.
    client.pipe(backend);
    backend.pipe(client);
    // A reset (or any error) on one side ends both: nobody is left to talk to.
    // Once both FINs have passed, Node closes each socket by itself.
    client.on("error", () => backend.destroy());
    backend.on("error", () => client.destroy());
  });
});

server.listen(port, "127.0.0.1", () => {
  const list = backends.map((b) => `${b.host}:${b.port}`).join(", ");
  console.log(`load-balancer listening on 127.0.0.1:${port}, backends ${list}`);
});
