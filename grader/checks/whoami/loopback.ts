import net from "node:net";

/**
 * Whether this machine lets a socket bind `address`: ::1 needs an IPv6
 * loopback, 127.0.0.2 a loopback that owns all of 127.0.0.0/8 (Linux does;
 * macOS has only 127.0.0.1 unless told otherwise). A check that cannot
 * connect from there skips, saying why, rather than blame the program.
 */
export function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}
