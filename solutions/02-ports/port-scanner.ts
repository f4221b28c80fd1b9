// port-scanner, reference solution (lesson 2).
import net from "node:net";

const host = process.env.HOST ?? "127.0.0.1";
/** Attempts in flight at once: many, to be fast, but bounded, to spare file descriptors and the network. */
const CONCURRENCY = 500;
/** On one machine an answer takes well under a millisecond; a port that gives none is not open. */
const TIMEOUT_MS = 400;

/** The ports PORTS names, each once, or a message saying what is wrong with it. */
function parsePorts(text: string): number[] | string {
  const ports = new Set<number>();
  for (const part of text.split(",")) {
    // Digits only: Number("") is 0 and parseInt("80x") is 80, so neither may decide.
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) return `invalid PORTS part ${JSON.stringify(part)}: expected a port or a range like 8080-8090`;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (const port of [first, last]) if (port < 1 || port > 65535) return `invalid port ${port}: ports go from 1 to 65535`;
    if (first > last) return `invalid range ${part}: its start is above its end`;
    for (let port = first; port <= last; port++) ports.add(port);
  }
  return [...ports];
}

/** True when `port` accepts a connection; false when it refuses, fails or stays silent past the timeout. */
function isOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const settle = (open: boolean) => {
      // Done with this port either way: close the connection at once.
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(TIMEOUT_MS, () => settle(false));
    socket.once("connect", () => settle(true));
    socket.once("error", () => settle(false));
  });
}

/** Checks every port with at most CONCURRENCY attempts in flight: workers that take the next port when one is done. */
async function scan(ports: number[]): Promise<number[]> {
  const open: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ports.length) {
      const port = ports[next++]!;
      if (await isOpen(port)) open.push(port);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ports.length) }, worker));
  // Answers come back in any order: sort as numbers (a plain sort() would compare text).
  return open.sort((a, b) => a - b);
}

const ports = parsePorts(process.env.PORTS ?? "");
if (typeof ports === "string") {
  console.error(`port-scanner: ${ports}`);
  process.exitCode = 2;
} else {
  for (const port of await scan(ports)) console.log(port);
}
