/**
 * What a program printed, capped: the last `capBytes` are kept and the total
 * is counted, so a program that prints without end costs a fixed amount of
 * memory and its latest lines can still be shown.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private kept = 0;
  totalBytes = 0;
  private listeners: ((chunk: Buffer) => void)[] = [];
  private readonly capBytes: number;

  constructor(capBytes = 64 * 1024) {
    this.capBytes = capBytes;
  }

  push(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept - (this.chunks[0]?.length ?? 0) >= this.capBytes) {
      this.kept -= this.chunks.shift()!.length;
    }
    for (const listener of this.listeners) listener(chunk);
  }

  /** Called with every chunk from now on (the `run` command streams them). */
  onData(listener: (chunk: Buffer) => void): void {
    this.listeners.push(listener);
  }

  get truncated(): boolean {
    return this.totalBytes > this.kept;
  }

  /** How many lines were kept: with nothing truncated, all the program printed. */
  lineCount(): number {
    const text = this.text().replace(/\n+$/, "");
    return text === "" ? 0 : text.split("\n").length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }

  /**
   * The last `count` lines, each cut to `maxWidth` characters. When the
   * program crashed, the window moves up to the error's own line: Node prints
   * "Error: ..." above its stack frames, and the frames alone say little.
   */
  lastLines(count: number, maxWidth = 200): string[] {
    const lines = this.text().split("\n").map((l) => l.replace(/\r$/, ""));
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    let shown = lines.slice(-count);
    const error = lastIndexWhere(lines.slice(-30), (l) => CRASH_LINE.test(l));
    if (error >= 0) {
      const at = lines.length - Math.min(30, lines.length) + error;
      if (at < lines.length - count) {
        // Blank lines out: the error, the line after it, and what led up to it.
        const room = Math.max(0, count - 2);
        const before = room === 0 ? [] : lines.slice(0, at).filter((l) => l.trim() !== "").slice(-room);
        shown = [...before, ...lines.slice(at, at + 2)].slice(0, count);
      }
    }
    return shown.map((l) => (l.length > maxWidth ? `${l.slice(0, maxWidth)}… (${l.length} characters)` : l));
  }
}

/** "TypeError: x", "ZeroDivisionError: y", "Traceback (most recent call last):", "panic: z". */
const CRASH_LINE = /^(Uncaught )?(\w*(Error|Exception)\b|Traceback \(most recent call last\)|panic:)/;

function lastIndexWhere<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}
