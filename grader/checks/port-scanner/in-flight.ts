import { canReadSocketTable, readTcpSockets, TCP_CLOSE_WAIT, TCP_ESTABLISHED, TCP_SYN_SENT } from "./socket-table.ts";
import type { ScanTarget } from "./scan-target.ts";

/**
 * At most this often: enough to catch attempts held for a scanner's timeout.
 * A busy table (thousands of sockets) costs the kernel milliseconds per read,
 * so samples are spaced at ten times what the last read cost, at the least.
 */
const SAMPLE_EVERY_MS = 40;

/** What the samples showed: the most connections the scanner had open at once, and what it had open last. */
export interface InFlight {
  /** False where /proc is missing: then nothing was seen. */
  measured: boolean;
  samples: number;
  max: number;
  /** Ports the scanner was connecting to (SYN sent, no answer yet) in the last sample that showed any. */
  lastPending: number[];
}

/**
 * Watches the kernel's socket table while the scanner runs and counts its
 * connections to the target: attempts in flight (SYN sent) and connections
 * not yet closed. The grader's own connections are left out.
 */
export class InFlightSampler {
  private readonly target: ScanTarget;
  private timer: NodeJS.Timeout | undefined;
  private readonly result: InFlight = { measured: canReadSocketTable, samples: 0, max: 0, lastPending: [] };

  constructor(target: ScanTarget) {
    this.target = target;
  }

  start(): void {
    if (!canReadSocketTable) return;
    const next = (delay: number) => {
      this.timer = setTimeout(() => {
        const began = performance.now();
        this.sample();
        next(Math.max(SAMPLE_EVERY_MS, 10 * (performance.now() - began)));
      }, delay);
    };
    next(SAMPLE_EVERY_MS);
  }

  stop(): InFlight {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.result;
  }

  private sample(): void {
    const { host, base, last, ownConnections } = this.target;
    const live = (state: number) => state === TCP_SYN_SENT || state === TCP_ESTABLISHED || state === TCP_CLOSE_WAIT;
    // The scanner connects to an IPv4 host: its sockets are all in the IPv4 table.
    const mine = readTcpSockets({ ipv6: host.includes(":"), where: (s) => s.remotePort >= base && s.remotePort <= last && live(s.state) }).filter(
      (s) =>
        s.remoteAddress === host &&
        s.remotePort >= base &&
        s.remotePort <= last &&
        !ownConnections.has(`${s.localPort}>${s.remotePort}`) &&
        (s.state === TCP_SYN_SENT || s.state === TCP_ESTABLISHED || s.state === TCP_CLOSE_WAIT),
    );
    this.result.samples += 1;
    this.result.max = Math.max(this.result.max, mine.length);
    const pending = mine.filter((s) => s.state === TCP_SYN_SENT).map((s) => s.remotePort);
    if (pending.length > 0) this.result.lastPending = pending;
  }
}
