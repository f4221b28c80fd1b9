// echo-server, reference solution (lesson 4).
import net from "node:net";

const port = Number(process.env.PORT ?? 7001);

// allowHalfOpen: when the client half-closes, we decide when to close our side:
// only after every byte it sent has been echoed.
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  socket.on("data", (chunk) => {
    // The Buffer goes back as it came: no decoding, so any byte survives.
    // write() returns false when the kernel's buffer is full: stop reading
    // until it drains, or a fast sender would fill our memory.
    if (!socket.write(chunk)) socket.pause();
  });
  socket.on("drain", () => socket.resume());
  socket.on("end", () => socket.end());
  socket.on("error", () => socket.destroy());
});

server.listen(port, "127.0.0.1", () => {
  console.log(`echo-server listening on 127.0.0.1:${port}`);
});
