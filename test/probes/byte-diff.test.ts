import { describe, expect, it } from "vitest";
import { describeDifference, firstDifference } from "../../grader/probes/byte-diff.ts";

const b = (text: string) => Buffer.from(text);

describe("firstDifference", () => {
  it.each([
    ["equal", "hello", "hello", -1],
    ["both empty", "", "", -1],
    ["first byte", "hello", "jello", 0],
    ["a middle byte", "hello", "helLo", 3],
    ["got is shorter", "hello", "hel", 3],
    ["got is longer", "hel", "hello", 3],
    ["got is empty", "hello", "", 0],
  ])("%s", (_case, expected, got, at) => {
    expect(firstDifference(b(expected), b(got))).toBe(at);
  });
});

describe("describeDifference", () => {
  it("is undefined when the bytes are the same", () => {
    expect(describeDifference(b("same\n"), b("same\n"))).toBeUndefined();
  });

  it("names the first differing byte, quoted and in hex", () => {
    expect(describeDifference(b("hello\n"), b("hellO\n"))).toBe('first difference at byte 4: expected "o" (0x6f), got "O" (0x4f)');
  });

  it("says the data ended early, and gives both lengths", () => {
    expect(describeDifference(b("hello\n"), b("hello"))).toBe('first difference at byte 5: expected "\\n" (0x0a), got the end of the data\n  lengths: expected 6 bytes, got 5 bytes');
  });

  it("says the data went on past the end, and gives both lengths", () => {
    expect(describeDifference(b("a"), b("a\r\n"))).toBe('first difference at byte 1: expected the end of the data, got "\\r" (0x0d)\n  lengths: expected 1 byte, got 3 bytes');
  });

  it("shows an invalid byte in hex on both sides", () => {
    expect(describeDifference(Buffer.from([0x41, 0x80]), Buffer.from([0x41, 0xef, 0xbf, 0xbd]))).toBe(
      'first difference at byte 1: expected "\\x80" (0x80), got "\\xef" (0xef)\n  lengths: expected 2 bytes, got 4 bytes',
    );
  });

  it("shows a few bytes around a difference deep in the data, from both sides", () => {
    const expected = Buffer.alloc(2000, "a");
    const got = Buffer.from(expected);
    got[1500] = "b".charCodeAt(0);
    expect(describeDifference(expected, got)).toBe(
      'first difference at byte 1,500: expected "a" (0x61), got "b" (0x62)\n' + '  around it, expected "aaaaaaaaaaaaaaaa", got "aaaaaaaabaaaaaaa" (from byte 1,492)',
    );
  });

  it("shows context and lengths when a long reply stops short", () => {
    const expected = b(`${"x".repeat(50)}tail`);
    const got = b("x".repeat(50));
    expect(describeDifference(expected, got)).toBe(
      'first difference at byte 50: expected "t" (0x74), got the end of the data\n' +
        '  around it, expected "xxxxxxxxtail", got "xxxxxxxx" (from byte 42)\n' +
        "  lengths: expected 54 bytes, got 50 bytes",
    );
  });
});
