import dgram from "node:dgram";
import net from "node:net";

/**
 * A port nobody holds right now, for the given transport, found by letting
 * the kernel choose one and releasing it. Another process could take it in
 * between; the launcher reports that as "address in use" rather than hiding it.
 */
export async function freePort(transport: "tcp" | "udp"): Promise<number> {
  if (transport === "udp") {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, "127.0.0.1", () => resolve());
    });
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
