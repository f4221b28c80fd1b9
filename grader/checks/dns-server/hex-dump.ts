/**
 * A binary reply as a learner can read it beside their code: offsets, 16
 * bytes a row, printable ASCII on the right, and the byte a failure is about
 * in brackets.
 */
const MAX_ROWS = 24;

export function hexDump(data: Buffer, mark?: number): string[] {
  const rows: string[] = [];
  for (let start = 0; start < data.length; start += 16) {
    const bytes = [...data.subarray(start, start + 16)];
    const hex = bytes.map((b, i) => (start + i === mark ? `[${hexByte(b)}]` : ` ${hexByte(b)} `)).join("");
    const ascii = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    rows.push(`${start.toString(16).padStart(4, "0")} ${hex.padEnd(16 * 4)} |${ascii}|`);
  }
  if (mark !== undefined && mark >= data.length) rows.push(`${data.length.toString(16).padStart(4, "0")} [end of the message]`);
  if (rows.length <= MAX_ROWS) return rows;
  // Keep the rows around the marked byte, or the start.
  const markRow = mark === undefined ? 0 : Math.floor(mark / 16);
  const from = Math.max(0, Math.min(markRow - MAX_ROWS / 2, rows.length - MAX_ROWS));
  return [...(from > 0 ? [`(${from} rows before)`] : []), ...rows.slice(from, from + MAX_ROWS), ...(from + MAX_ROWS < rows.length ? [`(${rows.length - from - MAX_ROWS} rows after)`] : [])];
}

function hexByte(b: number): string {
  return b.toString(16).padStart(2, "0");
}
