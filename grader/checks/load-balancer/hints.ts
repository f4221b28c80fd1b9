/**
 * The advice the load-balancer checks give, one place for all, each naming
 * the likely bug and the fix in Node terms (and Python's where it helps).
 */

export const CONNECT_HINT =
  "as soon as a client connects (in the 'connection' callback, before it sends anything), connect to a backend from BACKENDS with net.connect({ host, port }), then pass bytes both ways: client.pipe(backend) and backend.pipe(client).";

export const LAZY_CONNECT_HINT =
  "connect to the backend as soon as the client connects, not when its first bytes arrive: many protocols start with the server speaking (a welcome line, SMTP, SSH), and their clients wait for it before they send anything.";

export const CLIENT_TO_BACKEND_HINT =
  "pass every byte the client sends on to its backend: client.pipe(backend) (Python: a loop of data = client.recv(65536); backend.sendall(data)).";

export const BACKEND_TO_CLIENT_HINT =
  "pass every byte the backend sends back to the client: backend.pipe(client), and keep the client's connection open until the backend is done (Python: a second loop, backend.recv then client.sendall, in its own thread).";

export const EVERY_CHUNK_HINT =
  "one 'data' event is not the whole conversation: TCP delivers a stream in chunks, and a client may send again after an answer. Pass on every chunk for as long as the connection is open (client.pipe(backend) does), not only the first (once('data'), or one recv()).";

export const ROUND_ROBIN_HINT =
  "keep whose turn it is in a variable outside the 'connection' callback: each new client goes to backends[turn], then turn = (turn + 1) % backends.length. Consecutive clients then go to consecutive backends, in BACKENDS order, wrapping around.";

export const BUSY_WAIT_HINT =
  "your program keeps a core busy while nothing happens: it polls its sockets in a loop instead of waiting for them. The tutorial's load balancer does this: it makes both sockets non-blocking and calls recv() on each in a `while True` loop, catching the \"no data yet\" error (BlockingIOError) and trying again at once, so every open connection spins a core at 100%. (That loop also loses bytes when a non-blocking send() takes only part of them, or none, and closes both sides at the first EOF.) Wait for data instead: in Node, 'data' events and pipe() do; in Python, use blocking sockets with a thread per direction, or selectors / select() to sleep until a socket is ready.";

export const INTACT_HINT =
  "pass every byte on unchanged: Buffers, not strings (setEncoding('utf8') or chunk.toString() turn invalid UTF-8 into U+FFFD, the bytes 0xef 0xbf 0xbd), and all of them (write() every chunk you read; in Python sendall(), not send(), which may take only part of the data).";

export const MIXED_UP_HINT =
  "keep each client's backend socket to that client: create it inside the 'connection' callback (const backend = net.connect(...)) and write there, never through a variable shared by every connection, which always holds the latest client's backend.";

export const ALL_DOWN_HINT =
  "when no backend accepts (each connect ends in 'error' with ECONNREFUSED), close the client's connection (client.destroy() or client.end()) so it knows at once, instead of leaving it waiting for an answer that will never come.";

export const CRASH_HINT =
  "a refused connect emits 'error' on the backend socket; without backend.on('error', ...) Node crashes the whole load balancer, and every client with it. Handle it: try the next backend, and when none accepts, close the client (Python: catch ConnectionRefusedError around connect()).";

export const SKIP_HINT =
  "when a backend refuses (its socket emits 'error' before 'connect'), try the next one in the list, and the next, until one accepts; only when all have refused, close the client (Python: catch ConnectionRefusedError around connect() and loop).";

export const NEXT_TURN_HINT =
  "after a skip, the next client's turn is the backend after the one that accepted: set turn = (accepted + 1) % backends.length when 'connect' fires, not when you pick the first backend to try.";

export const COME_BACK_HINT =
  "a backend that refused once may accept again later: when its turn comes, try it again. Do not drop it from the list for good.";

export const PASS_FIN_HINT =
  "pass a FIN on: when one side's socket emits 'end' (it has nothing more to send), call end() on the other side's socket; pipe() does this for you. Python: when recv() returns b\"\", call other.shutdown(socket.SHUT_WR), not close().";

export const HALF_OPEN_HINT =
  "a FIN closes one direction only: the side that sent it still reads. Create both sockets with allowHalfOpen: true (net.createServer({ allowHalfOpen: true }, ...) and net.connect({ ..., allowHalfOpen: true })), pass the FIN on with end(), and keep passing bytes the other way; close both only once both directions are done. Python: other.shutdown(socket.SHUT_WR), and keep the other loop running.";

export const RESET_HINT =
  "when one side fails ('error', e.g. ECONNRESET after a reset), destroy the other: backend.on('error', () => client.destroy()) and client.on('error', () => backend.destroy()). pipe() does not do it for you.";

export const RESET_CRASH_HINT =
  "a reset makes the socket emit 'error' (ECONNRESET); without an 'error' handler on every socket, client and backend, Node crashes the whole load balancer. Handle it by destroying the other side.";

export const BACKPRESSURE_HINT =
  "do not buffer without bound: when write() returns false, pause() the socket you read from until the one you write to emits 'drain'; pipe() does exactly that. With socket.on('data', (chunk) => other.write(chunk)) alone, a client that stops reading makes your program keep everything its backend sends in memory. Python: blocking sendall() in a thread per direction waits by itself.";

export const STALLED_HINT =
  "one connection that cannot move its bytes must not hold up the others: never wait for one socket in a way that blocks the whole program (a blocking sendall() in the only thread does; use a thread per connection, or selectors). In Node, pipe() pauses only the connection whose reader is slow.";

export const SEQUENTIAL_PROXY_HINT =
  "your load balancer serves one connection at a time: it is still busy with the first client, so the others wait. This is the sequential accept loop (accept, relay until the client leaves, accept the next). Serve every connection independently: in Node, each 'connection' callback runs on its own; in Python, use a thread per client (the tutorial does) or selectors.";
