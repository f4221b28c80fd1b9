import { spawnSync } from "node:child_process";

/**
 * A network namespace per submission, holding only a loopback interface:
 * the student's program and the grader that checks it share it, and neither
 * can reach anything else. Needs Linux user namespaces (or root) and `ip`
 * to bring the loopback up; where they are missing, grading still isolates
 * by ports and process groups, and says so once.
 */
export interface Isolation {
  kind: "network-namespace" | "processes";
  /** Why there is no namespace, when there is none. */
  reason?: string;
  /** Wraps a command so it runs inside a fresh namespace. */
  wrap(command: string[]): string[];
}

const BRING_UP_LOOPBACK = 'ip link set lo up && exec "$0" "$@"';

export function detectIsolation(): Isolation {
  const attempts = [
    ["unshare", "--user", "--map-root-user", "--net"],
    ...(process.getuid?.() === 0 ? [["unshare", "--net"]] : []),
  ];
  let reason = "";
  for (const prefix of attempts) {
    const probe = spawnSync(prefix[0]!, [...prefix.slice(1), "sh", "-c", BRING_UP_LOOPBACK, "true"], { encoding: "utf8", timeout: 5000 });
    if (probe.status === 0) {
      return { kind: "network-namespace", wrap: (command) => [...prefix, "sh", "-c", BRING_UP_LOOPBACK, ...command] };
    }
    reason = probe.error ? `${prefix[0]} is not available` : (probe.stderr.trim().split("\n").pop() ?? `${prefix.join(" ")} failed`);
  }
  return { kind: "processes", reason, wrap: (command) => command };
}
