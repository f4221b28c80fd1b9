import { check, gradeExercise, CheckFailure, describeDifference, quoteBytes, type TcpClient } from "../harness/index.ts";
import { canBind } from "./whoami/loopback.ts";

gradeExercise("whoami");

const LINE_HINT =
  "as soon as a client connects, write one line \"<family> <address> <port>\\n\" built from what the socket says: socket.remoteFamily, socket.remoteAddress, socket.remotePort in Node; the (host, port) that accept() returned in Python.";
const MAPPED_HINT =
  'on a dual-stack socket an IPv4 client shows up as an IPv4-mapped address, ::ffff:127.0.0.1. When the address starts with "::ffff:" and the rest is an IPv4 address, strip the prefix and say IPv4 (Node: net.isIPv4(rest); Python: ipaddress.ip_address(host).ipv4_mapped).';
const HARD_CODED_HINT =
  "write the address you read from the socket, never a fixed one: socket.remoteAddress in Node, the host that accept() returned in Python. The loopback is all of 127.0.0.0/8, and clients come from 127.0.0.2, 127.0.0.3 and ::1 too.";
const PORT_HINT =
  "the port to report is the client's own (ephemeral) port, socket.remotePort in Node (Python: the port in the address accept() returned), not the port your server listens on.";
const IPV6_HINT =
  'your program does not accept IPv6 connections: it listens on IPv4 only (127.0.0.1 or 0.0.0.0). Listen on "::" instead, one dual-stack socket for IPv6 and IPv4: server.listen(port, "::") in Node; socket.create_server(("::", port), family=socket.AF_INET6, dualstack_ipv6=True) in Python.';
const CLOSE_HINT = "after the one line, close the connection: socket.end(line) writes it and closes in one call (Python: conn.sendall(line), then conn.close()).";
const OWN_SOCKET_HINT =
  "answer each connection from its own socket: build the line inside the 'connection' callback from that callback's socket, never from a variable shared by all connections.";

check("tells a client from 127.0.0.1 its address and port", async ({ tcp, port }) => {
  const client = await tcp();
  await expectIdentity(client, { family: "IPv4", address: "127.0.0.1", serverPort: port });
});

check("writes exactly one line, then closes the connection", async ({ tcp, port }) => {
  const client = await tcp();
  await expectIdentity(client, { family: "IPv4", address: "127.0.0.1", serverPort: port });
  await client.expectClose({ hint: CLOSE_HINT });
});

check("tells clients from 127.0.0.2 and 127.0.0.3 their own addresses", async ({ tcp, port, skip }) => {
  for (const address of ["127.0.0.2", "127.0.0.3"]) {
    if (!(await canBind(address))) skip(`this machine cannot use ${address} (its loopback has 127.0.0.1 only)`);
    const client = await tcp({ localAddress: address });
    await expectIdentity(client, { family: "IPv4", address, serverPort: port });
    await client.expectClose({ hint: CLOSE_HINT });
  }
});

check("tells a client over IPv6 (::1) its address and port", async ({ tcp, port, skip }) => {
  if (!(await canBind("::1"))) skip("this machine has no IPv6 loopback (::1)");
  let client: TcpClient;
  try {
    client = await tcp({ host: "::1" });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new CheckFailure(error.happened, { expected: [`a connection accepted on [::1]:${port}`], details: error.details, hint: IPV6_HINT });
  }
  await expectIdentity(client, { family: "IPv6", address: "::1", serverPort: port });
  await client.expectClose({ hint: CLOSE_HINT });
});

check("tells 20 clients connected at once each its own port", async ({ tcp, port }) => {
  const clients = await Promise.all(Array.from({ length: 20 }, () => tcp()));
  const owners = new Map(clients.map((c) => [c.socket.localPort ?? 0, c.label]));
  await Promise.all(
    clients.map(async (client) => {
      await expectIdentity(client, { family: "IPv4", address: "127.0.0.1", serverPort: port, owners });
      await client.expectClose({ hint: CLOSE_HINT });
    }),
  );
});

interface Identity {
  family: "IPv4" | "IPv6";
  address: string;
  /** The program's own port: reporting it instead of the client's is a bug worth naming. */
  serverPort: number;
  /** Local port to client label, when several clients are connected at once. */
  owners?: Map<number, string>;
}

/** Reads the one line and compares it with what the client knows about itself. */
async function expectIdentity(client: TcpClient, who: Identity): Promise<void> {
  const clientPort = client.socket.localPort ?? 0;
  const expected = `${who.family} ${who.address} ${clientPort}`;
  const got = await client.readLine({ expected, hint: LINE_HINT });
  if (got === expected) return;
  const { why, hint } = diagnose(got, who, client.label, clientPort);
  const want = Buffer.from(`${expected}\n`);
  const have = Buffer.from(`${got}\n`);
  throw new CheckFailure(`[${client.label}] got   ${quoteBytes(have)}: ${why}`, {
    expected: [quoteBytes(want), ...(describeDifference(want, have)?.split("\n") ?? [])],
    hint,
  });
}

/** Names the likely cause of a wrong line: a hard-coded or mapped address, the server's port, another client's port. */
function diagnose(got: string, who: Identity, label: string, clientPort: number): { why: string; hint: string } {
  const [family, address, reported, ...rest] = got.split(" ");
  if (rest.length > 0 || reported === undefined || !/^\d+$/.test(reported)) {
    return { why: 'not of the form "<family> <address> <port>" (three parts, one space apart)', hint: LINE_HINT };
  }
  if (who.family === "IPv4" && address?.toLowerCase() === `::ffff:${who.address}`) {
    return { why: `${address} is ${who.address} written as an IPv4-mapped IPv6 address: the client is IPv4`, hint: MAPPED_HINT };
  }
  if (address !== who.address) {
    if (who.address === "127.0.0.1") return { why: `${address} is not the client's address`, hint: LINE_HINT };
    return { why: `it connected from ${who.address}, so ${address} is not its address (is it hard-coded?)`, hint: HARD_CODED_HINT };
  }
  if (family !== who.family) {
    const why = `${who.address} is an ${who.family} address, not ${family}`;
    return { why, hint: "report the family of the address you write: IPv4 for a dotted address like 127.0.0.1, IPv6 for one with colons like ::1." };
  }
  const port = Number(reported);
  if (port === who.serverPort) return { why: `${port} is your server's own port (PORT), not the client's (${clientPort})`, hint: PORT_HINT };
  const owner = who.owners?.get(port);
  if (owner !== undefined && owner !== label) return { why: `${port} is the port of [${owner}], not of [${label}] (${clientPort})`, hint: OWN_SOCKET_HINT };
  return { why: `the client's port is ${clientPort}`, hint: PORT_HINT };
}
