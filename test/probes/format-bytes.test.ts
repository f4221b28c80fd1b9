import { describe, expect, it } from "vitest";
import { countBytes, quoteBytes } from "../../grader/probes/format-bytes.ts";

const bytes = (...values: number[]) => Buffer.from(values);

describe("quoteBytes", () => {
  it("quotes plain text as it is", () => {
    expect(quoteBytes("hello")).toBe('"hello"');
    expect(quoteBytes(Buffer.alloc(0))).toBe('""');
  });

  it("escapes newline, carriage return, tab, double quote and backslash", () => {
    expect(quoteBytes('a\nb\rc\td"e\\f')).toBe('"a\\nb\\rc\\td\\"e\\\\f"');
  });

  it("shows other control bytes and DEL as \\xNN", () => {
    expect(quoteBytes(bytes(0x00, 0x07, 0x1b, 0x7f))).toBe('"\\x00\\x07\\x1b\\x7f"');
  });

  it("shows valid UTF-8 as the characters it encodes", () => {
    expect(quoteBytes("café")).toBe('"café"');
    expect(quoteBytes("日本")).toBe('"日本"');
    expect(quoteBytes("ok 😀")).toBe('"ok 😀"');
  });

  it("shows bytes that are not valid UTF-8 as \\xNN, one by one", () => {
    expect(quoteBytes(bytes(0x80))).toBe('"\\x80"');
    expect(quoteBytes(bytes(0xff, 0x41))).toBe('"\\xffA"');
    // A sequence cut short at the end of the data.
    expect(quoteBytes(bytes(0x41, 0xc3))).toBe('"A\\xc3"');
    // A lead byte followed by something that is no continuation byte.
    expect(quoteBytes(bytes(0xc3, 0x41))).toBe('"\\xc3A"');
    // Overlong encodings and UTF-16 surrogates are not valid UTF-8 either.
    expect(quoteBytes(bytes(0xc0, 0xaf))).toBe('"\\xc0\\xaf"');
    expect(quoteBytes(bytes(0xe0, 0x80, 0xaf))).toBe('"\\xe0\\x80\\xaf"');
    expect(quoteBytes(bytes(0xed, 0xa0, 0x80))).toBe('"\\xed\\xa0\\x80"');
  });

  it("shows a U+FFFD in the data as its three bytes, so a lossy echo is visible", () => {
    expect(quoteBytes(bytes(0xef, 0xbf, 0xbd))).toBe('"\\xef\\xbf\\xbd"');
  });

  // Bug (grader/probes/format-bytes.ts:24-27 with utf8Length): the doc comment
  // promises "escapes for control characters", but a C1 control character
  // (U+0080-U+009F, encoded as the valid UTF-8 pair C2 80..C2 9F) is printed raw.
  // U+009B is CSI, which some terminals obey, and U+0085 is a line break (NEL).
  it("escapes C1 control characters too, as it does C0 ones", () => {
    expect(quoteBytes(bytes(0xc2, 0x85, 0xc2, 0x9b))).not.toMatch(/[\u0080-\u009f]/);
  });

  it("cuts long data at maxChars and says how many bytes there were in all", () => {
    expect(quoteBytes("x".repeat(100))).toBe(`"${"x".repeat(80)}"… (100 bytes in all)`);
    expect(quoteBytes("abcdef", 4)).toBe('"abcd"… (6 bytes in all)');
    expect(quoteBytes("abcd", 4)).toBe('"abcd"');
  });

  it("never cuts an escape or a character in half", () => {
    expect(quoteBytes("abc\n", 4)).toBe('"abc"… (4 bytes in all)');
    expect(quoteBytes("abcé", 3)).toBe('"abc"… (5 bytes in all)');
  });
});

describe("countBytes", () => {
  it("says byte for one and bytes otherwise, with thousands separators", () => {
    expect(countBytes(0)).toBe("0 bytes");
    expect(countBytes(1)).toBe("1 byte");
    expect(countBytes(2)).toBe("2 bytes");
    expect(countBytes(1_048_576)).toBe("1,048,576 bytes");
  });
});
