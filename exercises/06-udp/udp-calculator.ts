// Exercise: udp-calculator (lesson 6, "UDP: datagrams").
//
// Each datagram holds one expression, infix "5 + 6" or tuple "(+, 5, 6)",
// spaces optional, operators + - * /, operands decimal numbers with an
// optional sign and fraction (-2.5). Reply to the sender with the result:
// "11" for 5 + 6 (an integral result has no fraction), "3.5" for 7 / 2.
// Errors start with "error: ": "error: division by zero", or
// "error: <reason>" for anything you cannot parse. Keep serving after any
// datagram at all, and reply to whoever sent it.
//
// Try it:   npx socketlings run udp-calculator      (then: nc -u 127.0.0.1 <port>)
// Grade it: npx socketlings grade udp-calculator
// Stuck?    npx socketlings hint udp-calculator
import dgram from "node:dgram";

const port = Number(process.env.PORT ?? 7002);

const socket = dgram.createSocket("udp4");

socket.on("message", (message, sender) => {
  const expression = message.toString("utf8").trim();
  console.log(`got ${JSON.stringify(expression)} from ${sender.address}:${sender.port}`);
  // TODO: compute the expression and send the result back to the sender:
  //       socket.send(reply, sender.port, sender.address)
  // TODO: reply "error: division by zero" or "error: <reason>" when you cannot compute it.
});

socket.bind(port, "127.0.0.1", () => {
  console.log(`udp-calculator listening on 127.0.0.1:${port}`);
});
