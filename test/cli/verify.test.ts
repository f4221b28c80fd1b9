import { expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";

it("verify --solutions: every reference solution passes and every stub fails, exit 0", async () => {
  const run = await runCli(["verify", "--solutions"]);
  expect(run.exitCode, run.stderr).toBe(0);
  const [solutions = "", stubs = ""] = run.stdout.split("starting stubs (each must fail):");
  for (const [exercise, checks] of [["welcome-server", 5], ["echo-server", 8], ["udp-calculator", 10]] as const) {
    expect(solutions).toMatch(new RegExp(`✓ ${exercise}\\s+${checks}/${checks} checks passed`));
    expect(stubs).toMatch(new RegExp(`✓ ${exercise}\\s+0/${checks} checks passed — `));
  }
  expect(run.stdout).toMatch(/verified in \d+\.\d s/);
});
