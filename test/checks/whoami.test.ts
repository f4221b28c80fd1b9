import net from "node:net";
import { describe, expect, it } from "vitest";
import { expectDiagnosis, knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

/** Whether ::1 can be bound here; without it the IPv6 check skips, and so must the test that needs it. */
async function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(0, "::1", () => server.close(() => resolve(true)));
  });
}
const ipv6 = await hasIpv6Loopback();

describe("whoami checks", () => {
  referenceSolutionPasses("whoami", 5);

  it("fail the stub at the first check, saying nothing came back and what to write", async () => {
    const { exitCode, report } = await gradeJson("whoami", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe("tells a client from 127.0.0.1 its address and port");
    expect(failed.message).toMatch(/\[client-1\] got\s+nothing within 1000 ms/);
    expect(failed.expected[0]).toMatch(/^"IPv4 127\.0\.0\.1 \d+\\n"$/);
    expect(failed.hint).toMatch(/socket\.remoteAddress/);
    expect(failed.output?.lines.join("\n")).toMatch(/a client connected: IPv6 ::ffff:127\.0\.0\.1/);
    expect(report.checks.slice(1).every((c) => c.status === "skipped")).toBe(true);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "whoami/hard-coded-address.ts",
      check: "tells clients from 127.0.0.2 and 127.0.0.3 their own addresses",
      says: [/from 127\.0\.0\.2/, /got\s+"IPv4 127\.0\.0\.1 \d+\\n": it connected from 127\.0\.0\.2, so 127\.0\.0\.1 is not its address \(is it hard-coded\?\)/, /"IPv4 127\.0\.0\.2 \d+\\n"/, /never a fixed one/],
    },
    {
      fixture: "whoami/mapped-address.py",
      check: "tells a client from 127.0.0.1 its address and port",
      says: [/got\s+"IPv6 ::ffff:127\.0\.0\.1 \d+\\n": ::ffff:127\.0\.0\.1 is 127\.0\.0\.1 written as an IPv4-mapped IPv6 address: the client is IPv4/, /strip the prefix and say IPv4/],
    },
    {
      fixture: "whoami/server-port.ts",
      check: "tells a client from 127.0.0.1 its address and port",
      says: [/(\d+) is your server's own port \(PORT\), not the client's/, /remotePort/],
    },
  ];
  knownWrongPrograms("whoami", knownWrong);

  it.skipIf(!ipv6)(`diagnose whoami/ipv4-only.ts${ipv6 ? "" : " (skipped: this machine has no IPv6 loopback)"}`, async () => {
    await expectDiagnosis("whoami", {
      fixture: "whoami/ipv4-only.ts",
      check: "tells a client over IPv6 (::1) its address and port",
      says: [/could not connect to \[::1\]:\d+: ECONNREFUSED/, /listens on IPv4 only/, /server\.listen\(port, "::"\)/, /dualstack_ipv6=True/],
    });
  });
});
