import dgram from "node:dgram";
import { existsSync } from "node:fs";
import { CheckFailure } from "./check-failure.ts";
import { describeDifference } from "./byte-diff.ts";
import { countBytes, quoteBytes } from "./format-bytes.ts";
import { hintFor } from "./socket-hints.ts";
import { readProcSockets } from "../launcher/proc-net.ts";
import type { ProbeScope } from "./probe-scope.ts";

export interface Datagram {
  data: Buffer;
  from: { address: string; port: number };
}

interface ReceiveOptions {
  timeoutMs?: number;
  hint?: string;
  /** Shown as the expected reply when nothing comes back. */
  expected?: string;
}

/**
 * A grader-side UDP socket: sends datagrams to the program and queues what
 * comes back, each exchange in the transcript under this client's label.
 */
export class UdpClient {
  readonly label: string;
  readonly socket: dgram.Socket;
  private readonly scope: ProbeScope;
  private queue: Datagram[] = [];
  private wake: (() => void) | undefined;
  /** Where the last datagram went, to say so when no reply comes. */
  private lastTarget = "";
  private lastTargetPort = 0;

  private constructor(scope: ProbeScope, socket: dgram.Socket, label: string) {
    this.scope = scope;
    this.socket = socket;
    this.label = label;
    socket.on("message", (data, rinfo) => {
      this.queue.push({ data, from: { address: rinfo.address, port: rinfo.port } });
      this.wake?.();
    });
    // ICMP errors on an unconnected socket are not reported; nothing to do here.
    socket.on("error", () => {});
  }

  static async open(scope: ProbeScope, options: { family?: 4 | 6; localAddress?: string; label?: string } = {}): Promise<UdpClient> {
    const socket = dgram.createSocket(options.family === 6 ? "udp6" : "udp4");
    scope.track(() => socket.close());
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, options.localAddress ?? (options.family === 6 ? "::1" : "127.0.0.1"), () => resolve());
    });
    return new UdpClient(scope, socket, options.label ?? scope.nextLabel());
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(data: Buffer | string, port: number, host = "127.0.0.1", describe?: string): void {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    this.lastTarget = `${host}:${port}`;
    this.lastTargetPort = port;
    this.scope.transcript.add(this.label, `sent  ${describe ?? quoteBytes(bytes)} to ${host}:${port} from port ${this.port}`);
    this.socket.send(bytes, port, host);
  }

  /** The next datagram to arrive, or a failure naming the timeout. */
  async receive(options: ReceiveOptions = {}): Promise<Datagram> {
    const timeoutMs = options.timeoutMs ?? this.scope.readTimeoutMs;
    this.scope.transcript.step(`${this.label} waiting for a reply from ${this.lastTarget}`);
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0 || this.scope.programGone) {
        const what = this.scope.programGone ? `nothing: your program ${this.scope.programEnd}` : `nothing within ${timeoutMs} ms`;
        this.scope.transcript.add(this.label, `got   ${what}`);
        throw new CheckFailure(`[${this.label}] got   ${what}`, {
          details: this.scope.programGone ? [] : this.whereDidItGo(),
          expected: options.expected === undefined ? [] : [quoteBytes(options.expected)],
          hint: options.hint ?? hintFor("timeout", "udp"),
        });
      }
      await this.scope.nap(left, (wake) => (this.wake = wake));
    }
    const datagram = this.queue.shift()!;
    this.scope.transcript.add(this.label, this.describeReceived(datagram));
    return datagram;
  }

  /** Receives one datagram and compares it byte for byte. */
  async expectReply(expected: string, options: Omit<ReceiveOptions, "expected"> = {}): Promise<Datagram> {
    const datagram = await this.receive({ ...options, expected });
    const want = Buffer.from(expected);
    if (!datagram.data.equals(want)) {
      throw new CheckFailure(`[${this.label}] ${this.describeReceived(datagram)}`, {
        expected: [quoteBytes(want), ...(describeDifference(want, datagram.data)?.split("\n") ?? [])],
        hint: options.hint,
      });
    }
    return datagram;
  }

  /** "got "11" from 127.0.0.1:4000": the transcript line, reused by failures so it is not shown twice. */
  describeReceived(datagram: Datagram): string {
    const shown = datagram.data.length > 200 ? countBytes(datagram.data.length) : quoteBytes(datagram.data);
    return `got   ${shown} from ${datagram.from.address}:${datagram.from.port}`;
  }

  /**
   * When no reply comes, the kernel's view of the program's socket tells
   * "never read it" apart from "read it and answered somewhere else".
   */
  private whereDidItGo(): string[] {
    if (!existsSync("/proc/net/udp")) return [];
    const sockets = readProcSockets("udp").filter((s) => s.localPort === this.lastTargetPort);
    if (sockets.length === 0) return [`nothing is bound to port ${this.lastTargetPort} any more`];
    if (sockets.some((s) => s.rxQueue > 0)) return ["your program has not read the datagram: it is still waiting in its socket's receive queue"];
    return [`your program read the datagram (its receive queue is empty), but no reply reached ${this.socket.address().address}:${this.port}`];
  }

  /** Datagrams that arrived and were not read, e.g. duplicates. */
  drain(): Datagram[] {
    return this.queue.splice(0);
  }
}
