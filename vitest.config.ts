import { defineConfig } from "vitest/config";

/**
 * Tests that measure time tightly: a scan must finish within 5 s, a hostile
 * program must be diagnosed within its limit, a retransmission must come
 * 150-400 ms after the last try. They run alone, after the others, so a busy
 * CPU cannot fail a correct grader (or pass a wrong program).
 */
const TIMING = ["test/checks/port-scanner.test.ts", "test/grading/hostile-programs.test.ts", "test/checks/udp-reliable-client.test.ts"];

const shared = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      {
        // Most tests wait on sockets and timeouts, not the CPU: two files at a
        // time on a 2-core machine, where vitest's default would run them one by one.
        test: { ...shared, name: "parallel", include: ["test/**/*.test.ts"], exclude: TIMING, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        test: { ...shared, name: "timing", include: TIMING, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
