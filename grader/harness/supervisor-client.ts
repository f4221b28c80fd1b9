import { BroadcastChannel } from "node:worker_threads";
import { SUPERVISOR_CHANNEL, type Reply, type Request } from "../launcher/supervisor-protocol.ts";
import type { ExitInfo } from "../launcher/start-program.ts";

type Pending = { resolve: (reply: Reply) => void };

/**
 * The checks' side of the supervisor channel: requests with an id, answered
 * by the CLI's main thread, and exit notices for every program.
 */
export class SupervisorClient {
  private readonly channel = new BroadcastChannel(SUPERVISOR_CHANNEL);
  private readonly pending = new Map<number, Pending>();
  private readonly exitListeners = new Set<(pid: number, exit: ExitInfo) => void>();

  constructor() {
    this.channel.unref();
    this.channel.onmessage = (event) => {
      const reply = (event as { data: Reply }).data;
      if (reply.kind === "exited") {
        for (const listener of this.exitListeners) listener(reply.pid, reply.exit);
        return;
      }
      this.pending.get(reply.id)?.resolve(reply);
    };
  }

  /**
   * Sends a request and waits for its reply (ids are unique across threads).
   * A supervisor that does not answer in `limitMs` is a grader bug: it is
   * reported as one instead of hanging the check.
   */
  request<K extends Request["kind"]>(request: DistributiveOmit<Extract<Request, { kind: K }>, "id">, limitMs = 60_000): Promise<Reply> {
    const id = nextId();
    // Keep the thread alive while an answer is due.
    this.channel.ref();
    return new Promise<Reply>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (this.pending.size === 0) this.channel.unref();
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`the grader's supervisor did not answer a "${request.kind}" request within ${limitMs} ms`));
      }, limitMs);
      this.pending.set(id, {
        resolve: (reply) => {
          settle();
          resolve(reply);
        },
      });
      this.channel.postMessage({ ...request, id } as Request);
    });
  }

  onExit(listener: (pid: number, exit: ExitInfo) => void): void {
    this.exitListeners.add(listener);
  }

  close(): void {
    this.channel.close();
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

let counter = 0;
function nextId(): number {
  // Several workers share the channel: mix in a per-thread random base.
  counter += 1;
  return BASE + counter;
}
const BASE = Math.floor(Math.random() * 2 ** 40) * 1000;
