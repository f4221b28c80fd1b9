import { CheckFailure } from "../../harness/index.ts";
import type { Backend, BackendPool } from "./backends.ts";
import { ROUND_ROBIN_HINT } from "./hints.ts";

/** Which backend a client's connection went to. */
export interface Assignment {
  client: string;
  backend: Backend;
}

/**
 * Consecutive connections must go to consecutive backends, in BACKENDS
 * order, wrapping around. Where the first one goes is free: the grader's
 * readiness probe and earlier checks took turns too.
 */
export function expectRoundRobin(pool: BackendPool, assignments: Assignment[], hint = ROUND_ROBIN_HINT): void {
  const order = assignments.map((a) => `${a.client} -> ${a.backend.name}`).join(", ");
  const details = [`in BACKENDS order: ${pool.backends.map((b) => `${b.name} (${b.address})`).join(", ")}`, `your program sent ${order}`];
  const first = assignments[0]?.backend;
  if (assignments.length > 2 && assignments.every((a) => a.backend === first)) {
    throw new CheckFailure(`all ${assignments.length} connections went to ${first!.name}`, {
      details,
      expected: [`each connection to the backend after the previous one's: ${cycle(pool, first!, assignments.length)}`],
      hint,
    });
  }
  for (let i = 1; i < assignments.length; i++) {
    const previous = assignments[i - 1]!;
    const current = assignments[i]!;
    const due = pool.at(pool.indexOf(previous.backend) + 1);
    if (current.backend === due) continue;
    throw new CheckFailure(`[${current.client}] went to ${current.backend.name} right after [${previous.client}] went to ${previous.backend.name}`, {
      details,
      expected: [`[${current.client}] on ${due.name}, the backend after ${previous.backend.name} in BACKENDS (wrapping around to the first after the last)`],
      hint,
    });
  }
}

/** "backend-2, backend-3, backend-1, ...": the order from `first` on. */
function cycle(pool: BackendPool, first: Backend, count: number): string {
  const start = pool.indexOf(first);
  return Array.from({ length: count }, (_, i) => pool.at(start + i).name).join(", ");
}
