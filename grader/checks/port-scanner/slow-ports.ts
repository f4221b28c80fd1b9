import net from "node:net";
import { Worker } from "node:worker_threads";
import { canReadSocketTable, listensFor, readTcpSockets, TCP_LISTEN } from "./socket-table.ts";

/**
 * Listens on the ports, a backlog of 1 each, then blocks its thread so it
 * never accepts: the kernel queues connections until the queue is full and
 * drops every SYN after that. Terminating the worker wakes it and closes all.
 */
const LISTENER_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
const { host, ports } = workerData;
let waiting = ports.length;
for (const port of ports) {
  const server = net.createServer();
  server.on("error", (error) => parentPort.postMessage({ failed: port, code: error.code }));
  server.listen({ port, host, backlog: 1 }, () => {
    if (--waiting > 0) return;
    parentPort.postMessage({ listening: true });
    // A minute at most, in case the grader's thread goes away without terminating this one.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
  });
}`;

/** How long a filler may take to connect before the queue is taken to be full already. */
const FILLER_WAIT_MS = 1000;

export type SlowPortsResult = { ok: true; slow: SlowPorts } | { ok: false; port: number; code: string };

/**
 * Ports that never answer, as a firewall that drops packets makes them: a
 * connection attempt gets no SYN-ACK and waits until the scanner's own
 * timeout. Made without root on loopback by listeners whose accept queues
 * the grader fills itself ("fillers") and that never accept.
 */
export class SlowPorts {
  /**
   * The grader's own filler connections, as "<local port>><remote port>": not
   * the scanner's. (A local port alone does not tell: Linux gives the same
   * local port to connections to different remote ports.)
   */
  readonly fillers = new Set<string>();
  private readonly worker: Worker;
  private readonly sockets: net.Socket[] = [];

  private constructor(worker: Worker) {
    this.worker = worker;
  }

  static async open(host: string, ports: number[]): Promise<SlowPortsResult> {
    const worker = new Worker(LISTENER_THREAD, { eval: true, workerData: { host, ports } });
    worker.unref();
    const started = await new Promise<{ listening: true } | { failed: number; code: string }>((resolve) => {
      worker.once("message", resolve);
      worker.once("error", (error) => resolve({ failed: ports[0] ?? 0, code: error.message }));
    });
    const slow = new SlowPorts(worker);
    if ("failed" in started) {
      await slow.close();
      return { ok: false, port: started.failed, code: started.code };
    }
    try {
      await slow.fill(host, ports);
    } catch (error) {
      await slow.close();
      throw error;
    }
    return { ok: true, slow };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await this.worker.terminate();
  }

  /**
   * Fills each accept queue: two connections fill a backlog of 1 on Linux
   * (queued > backlog), which /proc confirms; elsewhere one more, left
   * pending, makes sure.
   */
  private async fill(host: string, ports: number[]): Promise<void> {
    await Promise.all(ports.map(async (port) => {
      await this.connectFiller(host, port);
      await this.connectFiller(host, port);
    }));
    if (!canReadSocketTable) {
      for (const port of ports) void this.connectFiller(host, port);
      return;
    }
    for (let round = 0; round < 3; round++) {
      const queued = new Map<number, number>();
      for (const s of readTcpSockets()) if (s.state === TCP_LISTEN && listensFor(s.localAddress, host)) queued.set(s.localPort, s.rxQueue);
      const open = ports.filter((port) => (queued.get(port) ?? 0) < 2);
      if (open.length === 0) return;
      await Promise.all(open.map((port) => this.connectFiller(host, port)));
    }
    throw new Error(`could not fill the accept queues of ${host} ports to make them never answer`);
  }

  /** One connection into a listener's queue; resolves when it is queued, or when it is clearly not going to be. */
  private connectFiller(host: string, port: number): Promise<void> {
    return new Promise((resolve) => {
      const socket = net.connect({ host, port });
      this.sockets.push(socket);
      const remember = () => {
        if (socket.localPort !== undefined) this.fillers.add(`${socket.localPort}>${port}`);
      };
      const done = () => {
        clearTimeout(timer);
        remember();
        resolve();
      };
      const timer = setTimeout(done, FILLER_WAIT_MS);
      socket.once("connect", done);
      socket.on("error", done);
      // The local port is known as soon as the attempt starts: record it even if it never connects.
      setImmediate(remember);
    });
  }
}
