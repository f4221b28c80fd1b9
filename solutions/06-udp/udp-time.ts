// udp-time, reference solution (lesson 6).
import dgram from "node:dgram";

const port = Number(process.env.PORT ?? 7003);

/** The reply to one request, read from the clock at the moment it arrives. */
function timeFor(request: Buffer): string {
  // Only the exact 4 bytes "unix" ask for seconds: no trimming, so "unix\n"
  // (what nc sends) is an ordinary request and gets the ISO time.
  if (request.equals(Buffer.from("unix"))) return String(Math.floor(Date.now() / 1000));
  // toISOString() is always UTC and ends in "Z": 2026-11-21T10:15:30.123Z.
  return new Date().toISOString();
}

const socket = dgram.createSocket("udp4");

socket.on("message", (message, sender) => {
  // The reply goes back to whoever asked: their address and their port.
  socket.send(timeFor(message), sender.port, sender.address);
});

socket.bind(port, "127.0.0.1", () => {
  console.log(`udp-time listening on 127.0.0.1:${port}`);
});
