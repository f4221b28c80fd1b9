import { CheckFailure } from "./check-failure.ts";
import type { TcpClient } from "./tcp-client.ts";

export const SEQUENTIAL_HINT =
  "your server serves one client at a time: it is still busy with the first client, so the others wait. This is the sequential accept loop (accept, serve until the client leaves, accept the next). Serve every connection independently: in Node, each 'connection' callback runs on its own; in Python, use a thread per client or selectors.";

/**
 * Runs `read` (an expected answer on `client`). When nothing came while
 * `others` stayed connected, closes them and runs `read` once more: an
 * answer that arrives then proves the program serves one client at a time.
 */
export async function expectServedAlongside(client: TcpClient, others: TcpClient[], read: () => Promise<unknown>): Promise<void> {
  try {
    await read();
  } catch (error) {
    if (!(error instanceof CheckFailure) || !/got\s+nothing/.test(error.happened)) throw error;
    const connected = others.filter((other) => other !== client && !other.socket.destroyed);
    if (connected.length === 0) throw error;
    for (const other of connected) other.close();
    try {
      await read();
    } catch {
      throw error;
    }
    const names = connected.map((other) => `[${other.label}]`).join(", ");
    throw new CheckFailure(`[${client.label}] got its answer only after ${names} disconnected`, {
      expected: [`the answer while ${names} ${connected.length === 1 ? "was" : "were"} still connected`],
      hint: SEQUENTIAL_HINT,
    });
  }
}
