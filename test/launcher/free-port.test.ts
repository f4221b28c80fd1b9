import dgram from "node:dgram";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../../grader/launcher/free-port.ts";

describe("freePort", () => {
  it("gives a TCP port that can then be listened on", async () => {
    const port = await freePort("tcp");
    expect(port).toBeGreaterThan(0);
    const server = net.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
      });
      expect((server.address() as net.AddressInfo).port).toBe(port);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("gives a UDP port that can then be bound", async () => {
    const port = await freePort("udp");
    const socket = dgram.createSocket("udp4");
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(port, "127.0.0.1", () => resolve());
      });
      expect(socket.address().port).toBe(port);
    } finally {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  });
});
