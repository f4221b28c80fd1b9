import { colorWanted, paint, type Paint } from "../report/colors.ts";

/** Where a command writes, and how: kept apart so tests can capture it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Colours for stdout and for stderr, each off when that stream is not a terminal. */
  paint: Paint;
  errPaint: Paint;
  /** Whether stdout gets colour (the lesson renderer colours by itself). */
  color: boolean;
  isTTY: boolean;
}

export function processIo(): Io {
  const color = colorWanted(process.stdout);
  return {
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    paint: paint(color),
    color,
    errPaint: paint(colorWanted(process.stderr)),
    isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
  };
}
