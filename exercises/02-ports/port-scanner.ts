// Exercise: port-scanner (lesson 2, "Ports and services").
//
// Find which TCP ports of a host are open. HOST names the host; PORTS is a
// comma-separated list of ports and inclusive ranges: "8000,8080-8090".
// Print each open port (one that accepts a connection), in ascending order,
// one per line, each once (even when PORTS names it twice), then exit 0.
// An invalid PORTS (not a number, outside 1-65535, a range whose start is
// above its end, an empty part): a message on stderr, nothing on stdout,
// exit code 2.
// 1,000 ports must take under 3 seconds, even when some never answer (as
// behind a firewall): give every attempt a timeout, keep many attempts in
// flight at once (at most 500), and close each connection once it is made.
//
// Try it:   PORTS=1-1024 npx socketlings run port-scanner
// Grade it: npx socketlings grade port-scanner
// Stuck?    npx socketlings hint port-scanner
import net from "node:net";

const host = process.env.HOST ?? "127.0.0.1";
const portsText = process.env.PORTS ?? "";

/** The ports PORTS names, or an error message saying what is wrong with it. */
function parsePorts(text: string): number[] | string {
  // TODO: split on ","; each part is "<port>" or "<first>-<last>".
  //       Every port must be digits only, from 1 to 65535; first <= last.
  //       Return the ports, each once (a Set helps), or a message for stderr.
  return `TODO: parse PORTS=${JSON.stringify(text)}`;
}

/** Resolves true when `port` accepts a connection; false when it refuses or never answers. */
function isOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    // TODO: const socket = net.connect({ host, port });
    //       "connect": the port is open. Destroy the socket, then resolve(true).
    //       "error" (ECONNREFUSED): closed. resolve(false).
    //       socket.setTimeout(400, ...): no answer in time, not open. Destroy it, resolve(false).
    resolve(false);
  });
}

const ports = parsePorts(portsText);
if (typeof ports === "string") {
  console.error(ports);
  // TODO: exit with code 2 once parsePorts works: process.exitCode = 2.
} else {
  // TODO: check many ports at once (at most 500 attempts in flight), not one after another.
  const open: number[] = [];
  for (const port of ports) if (await isOpen(port)) open.push(port);
  // TODO: print the open ports in ascending order.
  for (const port of open) console.log(port);
}
