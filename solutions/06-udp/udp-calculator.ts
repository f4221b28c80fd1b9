// udp-calculator, reference solution (lesson 6).
import dgram from "node:dgram";

const port = Number(process.env.PORT ?? 7002);

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)`;
const INFIX = new RegExp(String.raw`^(${NUMBER})\s*([-+*/])\s*(${NUMBER})$`);
const TUPLE = new RegExp(String.raw`^\(\s*([-+*/])\s*,\s*(${NUMBER})\s*,\s*(${NUMBER})\s*\)$`);

/** "5 + 6" or "(+, 5, 6)" → "11"; anything else → "error: ...". */
export function calculate(request: string): string {
  const text = request.trim();
  const infix = INFIX.exec(text);
  const tuple = TUPLE.exec(text);
  const [op, a, b] = infix ? [infix[2], infix[1], infix[3]] : tuple ? [tuple[1], tuple[2], tuple[3]] : [];
  if (op === undefined || a === undefined || b === undefined) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
    return `error: cannot parse ${JSON.stringify(shown)}: expected "a op b" or "(op, a, b)" with op one of + - * /`;
  }
  const x = Number(a);
  const y = Number(b);
  if (op === "/" && y === 0) return "error: division by zero";
  const result = op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : x / y;
  // String() writes 11 for 11.0 and 3.5 for 3.5; "+ 0" turns -0 into 0.
  return String(result + 0);
}

const socket = dgram.createSocket("udp4");

socket.on("message", (message, sender) => {
  // The reply goes back to whoever asked: their address and their port.
  socket.send(calculate(message.toString("utf8")), sender.port, sender.address);
});

socket.bind(port, "127.0.0.1", () => {
  console.log(`udp-calculator listening on 127.0.0.1:${port}`);
});
