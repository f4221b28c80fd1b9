import { describe, expect, it } from "vitest";
import { ProbeScope } from "../../grader/probes/probe-scope.ts";

describe("ProbeScope", () => {
  it("numbers clients from 1", () => {
    const scope = new ProbeScope(500);
    expect([scope.nextLabel(), scope.nextLabel(), scope.nextLabel()]).toEqual(["client-1", "client-2", "client-3"]);
    expect(scope.readTimeoutMs).toBe(500);
  });

  it("runs every cleanup once, even after one throws", () => {
    const scope = new ProbeScope(500);
    const ran: string[] = [];
    scope.track(() => ran.push("first"));
    scope.track(() => {
      throw new Error("already closed");
    });
    scope.track(() => ran.push("third"));
    scope.closeAll();
    scope.closeAll();
    expect(ran).toEqual(["first", "third"]);
  });
});
