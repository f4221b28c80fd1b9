import { describe, expect, it } from "vitest";
import { OutputTail } from "../../grader/launcher/output-tail.ts";

const tailOf = (capBytes: number, ...chunks: string[]): OutputTail => {
  const tail = new OutputTail(capBytes);
  for (const chunk of chunks) tail.push(Buffer.from(chunk));
  return tail;
};

describe("OutputTail", () => {
  it("keeps everything while under the cap", () => {
    const tail = tailOf(100, "hello\n", "world\n");
    expect(tail.text()).toBe("hello\nworld\n");
    expect(tail.totalBytes).toBe(12);
    expect(tail.truncated).toBe(false);
  });

  it("drops the oldest chunks past the cap, keeps the latest bytes and counts them all", () => {
    const tail = tailOf(10, "aaaa", "bbbb", "cccc", "dddd");
    expect(tail.totalBytes).toBe(16);
    expect(tail.truncated).toBe(true);
    // At least the cap is kept, and never more than the cap plus one chunk.
    expect(tail.text()).toBe("bbbbccccdddd");
  });

  it("keeps at least the last capBytes however the chunks fall", () => {
    const tail = new OutputTail(64);
    let all = "";
    for (let i = 0; i < 500; i++) {
      const chunk = `${i},`.repeat((i % 7) + 1);
      all += chunk;
      tail.push(Buffer.from(chunk));
    }
    const kept = tail.text();
    expect(tail.totalBytes).toBe(Buffer.byteLength(all));
    expect(kept.length).toBeGreaterThanOrEqual(64);
    expect(all.endsWith(kept)).toBe(true);
  });

  it("gives the last lines, without the empty lines at the end and without \\r", () => {
    const tail = tailOf(1000, "one\r\ntwo\r\n", "three\n\n\n");
    expect(tail.lastLines(2)).toEqual(["two", "three"]);
    expect(tail.lastLines(10)).toEqual(["one", "two", "three"]);
  });

  it("gives no lines for no output, or output of empty lines only", () => {
    expect(tailOf(100).lastLines(5)).toEqual([]);
    expect(tailOf(100, "\n\r\n\n").lastLines(5)).toEqual([]);
  });

  it("cuts a long line to maxWidth and says how long it was", () => {
    const tail = tailOf(1000, `${"x".repeat(30)}\nshort\n`);
    expect(tail.lastLines(2, 10)).toEqual(["xxxxxxxxxx… (30 characters)", "short"]);
  });

  it("keeps a line that is exactly maxWidth whole", () => {
    expect(tailOf(1000, "0123456789\n").lastLines(1, 10)).toEqual(["0123456789"]);
  });

  it("keeps empty lines between others: they are part of what the program printed", () => {
    expect(tailOf(1000, "first\n\nsecond\n").lastLines(3)).toEqual(["first", "", "second"]);
  });

  describe("after a crash", () => {
    const nodeCrash = [
      "listening on 4000",
      "file:///tmp/calc.mjs:12",
      '    throw new Error("division by zero");',
      "    ^",
      "",
      "Error: division by zero",
      ...Array.from({ length: 10 }, (_, i) => `    at frame${i} (file:///tmp/calc.mjs:${i + 1}:5)`),
      "",
      "Node.js v20.20.2",
      "",
    ].join("\n");

    it("moves the window up to the error's own line, with the non-blank lines before it", () => {
      expect(tailOf(10_000, nodeCrash).lastLines(5)).toEqual([
        "file:///tmp/calc.mjs:12",
        '    throw new Error("division by zero");',
        "    ^",
        "Error: division by zero",
        "    at frame0 (file:///tmp/calc.mjs:1:5)",
      ]);
    });

    it("shows the plain last lines when the error is among them anyway", () => {
      expect(tailOf(10_000, "starting\nTypeError: x is not a function\n    at main\n").lastLines(5)).toEqual(["starting", "TypeError: x is not a function", "    at main"]);
    });

    it("leaves a Python traceback at the end, where its error line already is", () => {
      const python = ["ready", "Traceback (most recent call last):", ...Array.from({ length: 8 }, (_, i) => `  File "calc.py", line ${i}`), "ZeroDivisionError: division by zero"].join("\n");
      expect(tailOf(10_000, python).lastLines(3)).toEqual(['  File "calc.py", line 6', '  File "calc.py", line 7', "ZeroDivisionError: division by zero"]);
    });

    // Bug (grader/launcher/output-tail.ts:54, lastLines, the crash window): it keeps
    // `.slice(-(count - 2))` of the lines before the error. For count 2 that is
    // slice(-0), i.e. every line before the error; for count 1, slice(1). So
    // lastLines(2) returns the whole kept output (up to the cap) instead of 2 lines.
    it("never gives more than `count` lines, even for a count below 3", () => {
      expect(tailOf(10_000, nodeCrash).lastLines(2)).toHaveLength(2);
      expect(tailOf(10_000, nodeCrash).lastLines(1)).toHaveLength(1);
    });
  });

  it("hands every chunk to onData listeners from the moment they subscribe", () => {
    const tail = new OutputTail(4);
    tail.push(Buffer.from("before"));
    const seen: string[] = [];
    const alsoSeen: number[] = [];
    tail.onData((chunk) => seen.push(chunk.toString()));
    tail.onData((chunk) => alsoSeen.push(chunk.length));
    tail.push(Buffer.from("after one"));
    tail.push(Buffer.from("two"));
    // Listeners get whole chunks, even those the cap then drops.
    expect(seen).toEqual(["after one", "two"]);
    expect(alsoSeen).toEqual([9, 3]);
  });
});
