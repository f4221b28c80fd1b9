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

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }

  /** The last `count` non-empty lines, each cut to `maxWidth` characters. */
  lastLines(count: number, maxWidth = 200): string[] {
    const lines = this.text().split("\n").map((l) => l.replace(/\r$/, ""));
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines.slice(-count).map((l) => (l.length > maxWidth ? `${l.slice(0, maxWidth)}… (${l.length} characters)` : l));
  }
}
