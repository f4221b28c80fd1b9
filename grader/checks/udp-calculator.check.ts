import { check, gradeExercise, type SeededRandom, CheckFailure, quoteBytes, type UdpClient } from "../harness/index.ts";

gradeExercise("udp-calculator");

const SENDER_HINT =
  "reply to whoever sent the datagram: socket.send(reply, rinfo.port, rinfo.address) in Node, sock.sendto(reply, addr) with the addr recvfrom gave you in Python. A fixed port reaches nobody.";
const FORMAT_HINT =
  "write an integral result without a fraction or exponent (11, not 11.0): in Node String(11) is \"11\"; in Python use int(x) when x.is_integer().";
const ERROR_HINT = 'reply to anything you cannot compute with a line starting "error: ", and keep serving.';

type Op = "+" | "-" | "*" | "/";
const apply = (op: Op, a: number, b: number) => (op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b);

/** Asks one question and checks the answer against the exact result. */
async function expectResult(client: UdpClient, port: number, expression: string, expected: number, hint = FORMAT_HINT): Promise<void> {
  client.send(expression, port);
  const datagram = await client.receive({ expected: formatExpected(expected), hint: SENDER_HINT });
  if (!resultMatches(datagram.data.toString("utf8"), expected)) {
    throw new CheckFailure(`[${client.label}] ${client.describeReceived(datagram)}`, {
      expected: [Number.isInteger(expected) ? quoteBytes(formatExpected(expected)) : `a decimal within 1e-9 of ${expected}`],
      hint: hint,
    });
  }
}

async function expectError(client: UdpClient, port: number, request: string | Buffer, describe?: string): Promise<void> {
  client.send(request, port, "127.0.0.1", describe);
  const datagram = await client.receive({ expected: "error: ...", hint: SENDER_HINT });
  if (!datagram.data.toString("utf8").startsWith("error: ")) {
    throw new CheckFailure(`[${client.label}] ${client.describeReceived(datagram)}`, { expected: ['a reply starting with "error: "'], hint: ERROR_HINT });
  }
}

function formatExpected(value: number): string {
  return String(value);
}

/** Integral results must be written exactly; others within 1e-9 relative error. */
function resultMatches(reply: string, expected: number): boolean {
  if (Number.isInteger(expected)) return reply === String(expected === 0 ? 0 : expected) || (expected === 0 && reply === "-0");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(reply)) return false;
  const got = Number(reply);
  return Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

const infix = (op: Op, a: string, b: string) => `${a} ${op} ${b}`;
const tuple = (op: Op, a: string, b: string) => `(${op}, ${a}, ${b})`;

check('answers "5 + 6" with "11"', async ({ udp, port }) => {
  const client = await udp();
  await expectResult(client, port, "5 + 6", 11);
});

check("computes every operator in both syntaxes", async ({ udp, port }) => {
  const client = await udp();
  for (const [op, a, b] of [["+", 5, 6], ["-", 10, 4], ["*", 4, 5], ["/", 10, 5], ["/", 7, 2]] as const) {
    await expectResult(client, port, infix(op, String(a), String(b)), apply(op, a, b));
    await expectResult(client, port, tuple(op, String(a), String(b)), apply(op, a, b), `the tuple syntax "(${op}, ${a}, ${b})" means ${a} ${op} ${b}; parse both forms.`);
  }
});

check("allows any spacing, and a trailing newline", async ({ udp, port }) => {
  const client = await udp();
  const spacings: [string, number][] = [
    ["5+6", 11],
    ["  5 +6 ", 11],
    ["5\t*\t3", 15],
    ["(+,5,6)", 11],
    ["( * , 2 , 3 )", 6],
    ["(-,9,4)", 5],
    ["8 / 2\n", 4],
    ["(/, 9, 3)\r\n", 3],
  ];
  for (const [expression, result] of spacings) {
    await expectResult(client, port, expression, result, "spaces are optional anywhere between the parts, and a newline at the end (nc -u sends one) is whitespace too: trim before parsing.");
  }
});

check("handles signs, fractions and large operands", async ({ udp, port }) => {
  const client = await udp();
  const cases: [string, number][] = [
    ["-2.5 * 4", -10],
    ["(-, -3, -4)", 1],
    ["+3 + -3", 0],
    ["0.5 + 0.25", 0.75],
    ["1000000 * 1000000", 1e12],
    ["-1000000 / 3", -1000000 / 3],
    ["(/, 1, 8)", 0.125],
    ["0.1 + 0.2", 0.1 + 0.2],
    ["7 / -2", -3.5],
  ];
  for (const [expression, result] of cases) {
    await expectResult(client, port, expression, result, "operands may have a sign (+ or -) and a fraction: read them as decimal numbers, e.g. with a regular expression like [+-]?\\d+(\\.\\d+)?.");
  }
});

check("computes 40 random expressions", async ({ udp, port, random }) => {
  const client = await udp();
  for (let i = 0; i < 40; i++) {
    const { text, value } = randomExpression(random);
    await expectResult(client, port, text, value);
  }
});

check('answers division by zero with "error: division by zero" and keeps serving', async ({ udp, port }) => {
  const client = await udp();
  for (const expression of ["1 / 0", "(/, 5, 0)", "0 / 0", "-3.5 / 0.0"]) {
    client.send(expression, port);
    await client.expectReply("error: division by zero", { hint: "check the divisor before dividing and reply \"error: division by zero\"; never let one request crash the server." });
  }
  await expectResult(client, port, "1 + 1", 2);
});

check('answers what it cannot parse with "error: ..." and keeps serving', async ({ udp, port }) => {
  const client = await udp();
  for (const garbage of ["hello", "5 +", "+ 5 6", "(+, 5)", "5 % 6", "5 + 6 + 7", "(+, 5, 6", "five + six", "(x, 1, 2)", "1.2.3 + 4"]) {
    await expectError(client, port, garbage);
  }
  await expectResult(client, port, "2 * 21", 42);
});

check("survives an empty datagram and 1,000-byte datagrams", async ({ udp, port, random }) => {
  const client = await udp();
  await expectError(client, port, Buffer.alloc(0), "an empty datagram");
  const junk = Buffer.from(Array.from({ length: 1000 }, () => random.pick([..."abcxyz+-*/(), 0123456789"])).join(""));
  await expectError(client, port, junk, "1,000 bytes of junk");
  const padded = `${" ".repeat(495)}5 + 6${" ".repeat(500)}`;
  client.send(padded, port, "127.0.0.1", '"5 + 6" padded with spaces to 1,000 bytes');
  const reply = await client.receive({ expected: "11", hint: SENDER_HINT });
  if (reply.data.toString() !== "11") {
    throw new CheckFailure(`[${client.label}] ${client.describeReceived(reply)}`, {
      expected: ['"11"'],
      hint: "read the whole datagram: a buffer smaller than the datagram cuts it short (Python: recvfrom(1024) or more; Node gives you all of it).",
    });
  }
  await expectResult(client, port, "3 * 3", 9);
});

check("replies to each sender, from 50 clients at once", async ({ udp, port, random }) => {
  const clients = await Promise.all(Array.from({ length: 50 }, () => udp()));
  await Promise.all(
    clients.map(async (client) => {
      const a = random.int(-1000, 1000);
      const b = random.int(1, 1000);
      await expectResult(client, port, `${a} * ${b}`, a * b);
    }),
  );
});

check("replies to the sender's address, not only its port", async ({ udp, port }) => {
  const client = await udp({ localAddress: "127.0.0.2" });
  client.send("6 * 7", port);
  await client.expectReply("42", { hint: "use rinfo.address as well as rinfo.port: this client sent from 127.0.0.2." });
});

/** A random expression in either syntax whose exact value JavaScript computes too. */
function randomExpression(random: SeededRandom): { text: string; value: number } {
  const op = random.pick(["+", "-", "*", "/"] as const);
  const operand = () => {
    const whole = random.int(-1_000_000, 1_000_000);
    return random.next() < 0.5 ? String(whole) : (whole / 100).toFixed(2);
  };
  let a = operand();
  let b = operand();
  if (op === "/" && Number(b) === 0) b = "7";
  if (op === "/" && Math.abs(Number(a) / Number(b)) < 1e-3) a = "123456";
  const value = apply(op, Number(a), Number(b));
  return { text: random.next() < 0.5 ? infix(op, a, b) : tuple(op, a, b), value };
}
