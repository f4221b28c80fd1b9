import { Resolver } from "node:dns/promises";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../support/run-cli.ts";

const BIN = path.join(ROOT, "bin", "socketlings.mjs");

/** `socketlings run ...` left running, with its output so far. */
function startRun(args: string[], env: Record<string, string> = {}): { child: ResultPromise<{ reject: false; all: true }>; output: () => string; waitFor: (pattern: RegExp) => Promise<RegExpMatchArray> } {
  const child = execa(process.execPath, [BIN, "run", ...args], { cwd: ROOT, reject: false, all: true, env: { NO_COLOR: "1", ...env }, timeout: 20_000 });
  let text = "";
  child.all.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const waitFor = async (pattern: RegExp) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const match = text.match(pattern);
      if (match) return match;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`run never printed ${pattern}; it printed:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { child, output: () => text, waitFor };
}

const running: { child: ResultPromise<{ reject: false; all: true }> }[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) {
    run.child.kill("SIGINT");
    await run.child;
  }
});

describe("run", () => {
  it("serves the example zone when ZONE_FILE is unset, says so, and stops on Ctrl-C", async () => {
    const run = startRun(["dns-server", "--solution"]);
    running.push(run);
    await run.waitFor(/ZONE_FILE is not set: using the example, ZONE_FILE=exercises\/07-dns\/example\.zone/);
    const [, port] = await run.waitFor(/listening on 127\.0\.0\.1:(\d+) \(UDP\) after/);
    expect(run.output()).toMatch(new RegExp(`dig @127\\.0\\.0\\.1 -p ${port} www\\.example\\.test A`));
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([`127.0.0.1:${port}`]);
    expect((await resolver.resolve4("www.example.test")).length).toBeGreaterThan(0);
    running.splice(0);
    run.child.kill("SIGINT");
    const result = await run.child;
    expect(result.exitCode).toBe(0);
    expect(result.all).toMatch(/stopped\./);
  });

  it("passes a ZONE_FILE the learner set", async () => {
    const run = startRun(["dns-server", "--solution"], { ZONE_FILE: path.join(ROOT, "exercises/07-dns/example.zone") });
    running.push(run);
    await run.waitFor(/listening on/);
    expect(run.output()).not.toMatch(/is not set/);
    expect(run.output()).toMatch(/ZONE_FILE=\/\S+example\.zone/);
  });

  it("suggests curl for the HTTP server", async () => {
    const run = startRun(["http-server", "--solution"]);
    running.push(run);
    const [, port] = await run.waitFor(/listening on 127\.0\.0\.1:(\d+) \(TCP\) after/);
    await run.waitFor(new RegExp(`curl -i http://127\\.0\\.0\\.1:${port}/`));
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toContain("Hello, World!");
  });
});
