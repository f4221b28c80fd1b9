// Exercise: udp-time (lesson 6, "UDP: datagrams").
//
// A UDP time server. Every datagram gets the current UTC time in ISO 8601,
// "YYYY-MM-DDTHH:MM:SSZ" (a fraction of 1 to 9 digits before the Z is fine:
// 2026-11-21T10:15:30.123Z), except the exact 4-byte request "unix", which
// gets the whole seconds since 1970-01-01 (1795256130). Anything else, even
// an empty datagram, "Unix" or "unix\n", gets the ISO time. Read the clock
// for each request, and send the reply to the sender's address and port.
//
// Try it:   npx socketlings run udp-time     (then: printf unix | nc -u -w1 127.0.0.1 <port>)
// Grade it: npx socketlings grade udp-time
// Stuck?    npx socketlings hint udp-time
import dgram from "node:dgram";

const port = Number(process.env.PORT ?? 7003);

const socket = dgram.createSocket("udp4");

socket.on("message", (message, sender) => {
  console.log(`got ${JSON.stringify(message.toString("utf8"))} from ${sender.address}:${sender.port}`);
  // TODO: pick the reply: the seconds since the epoch for exactly "unix",
  //       the UTC time in ISO 8601 for anything else.
  // TODO: send it back to the sender: socket.send(reply, sender.port, sender.address)
});

socket.bind(port, "127.0.0.1", () => {
  console.log(`udp-time listening on 127.0.0.1:${port}`);
});
