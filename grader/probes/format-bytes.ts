/**
 * Shows bytes the way a learner can read them: a quoted string with escapes
 * for control characters and invalid UTF-8, cut short when long.
 */
export function quoteBytes(data: Buffer | string, maxChars = 80): string {
  const buffer = typeof data === "string" ? Buffer.from(data) : data;
  let out = "";
  for (const text of readableUnits(buffer)) {
    if (out.length + text.length > maxChars) {
      return `"${out}"… (${buffer.length} bytes in all)`;
    }
    out += text;
  }
  return `"${out}"`;
}

/** One character, or one escaped byte, at a time. */
function* readableUnits(buffer: Buffer): Generator<string> {
  let i = 0;
  while (i < buffer.length) {
    const byte = buffer[i]!;
    const length = utf8Length(buffer, i);
    const character = length > 1 ? buffer.toString("utf8", i, i + length) : "";
    // C1 controls (U+0080-U+009F) are valid UTF-8 but some terminals obey them: escape their bytes.
    if (length > 1 && !/^[\u0080-\u009f]$/.test(character)) {
      yield character;
      i += length;
      continue;
    }
    yield escapeByte(byte);
    i += 1;
  }
}

function escapeByte(byte: number): string {
  switch (byte) {
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x22:
      return '\\"';
    case 0x5c:
      return "\\\\";
  }
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return `\\x${byte.toString(16).padStart(2, "0")}`;
}

/** Length of a valid multi-byte UTF-8 sequence at i, or 1 when there is none. */
function utf8Length(buffer: Buffer, i: number): number {
  const b = buffer[i]!;
  const length = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? (b <= 0xef ? 3 : 1) : b >= 0xc2 && b <= 0xdf ? 2 : 1;
  if (length === 1 || i + length > buffer.length) return 1;
  for (let k = 1; k < length; k++) if ((buffer[i + k]! & 0xc0) !== 0x80) return 1;
  const text = buffer.toString("utf8", i, i + length);
  return text.includes("\uFFFD") ? 1 : length;
}

/** "1 byte", "1,048,576 bytes". */
export function countBytes(n: number): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? "byte" : "bytes"}`;
}
