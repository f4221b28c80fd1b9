/**
 * One request line and what must come back for it: a frame's hex and its
 * reference reply, a frame cut short, or a line that is not a frame at all.
 */
import { cutFrame, explainFrame, expectedReply, type Expectation } from "./frame-describer.ts";
import { encodeFrame, type FrameSpec } from "./packet-builder.ts";

export interface Request {
  /** The request line, without its line end. */
  text: string;
  ending: "\n" | "\r\n";
  /** What the line is, in a few words, for the transcript and failures. */
  what: string;
  expect: Expectation;
  /** The frame the line was built from: the hints read its facts (options, padding, ...). */
  spec?: FrameSpec;
  /** A hint for this line, in place of the one the differing layer suggests. */
  hint?: string;
}

export type HexCase = "lower" | "upper" | "mixed";

export interface RequestOptions {
  case?: HexCase;
  ending?: "\n" | "\r\n";
  hint?: string;
  /** Said after the frame's own description, in brackets: "in upper case", ... */
  label?: string;
}

/** A whole frame, as hex in the case asked for. */
export function frameRequest(spec: FrameSpec, options: RequestOptions = {}): Request {
  const hex = encodeFrame(spec).bytes.toString("hex");
  return withOptions({ text: hex, ending: "\n", what: explainFrame(spec), expect: expectedReply(spec), spec }, options);
}

/** The frame's first `length` bytes only. */
export function cutRequest(spec: FrameSpec, length: number, options: RequestOptions = {}): Request {
  const { bytes, expectation, region } = cutFrame(spec, length);
  const what = `${explainFrame(spec)}, cut after ${length} bytes (inside the ${region})`;
  return withOptions({ text: bytes.toString("hex"), ending: "\n", what, expect: expectation, spec }, options);
}

/** A line that is not a frame: it gets "error: <reason>". */
export function badLineRequest(text: string, what: string, hint?: string): Request {
  return { text, ending: "\n", what, expect: { kind: "error", why: `${what} is not a frame` }, ...(hint ? { hint } : {}) };
}

function withOptions(request: Request, options: RequestOptions): Request {
  const text = recase(request.text, options.case ?? "lower");
  const what = options.label ? `${request.what} (${options.label})` : request.what;
  return { ...request, text, what, ending: options.ending ?? "\n", ...(options.hint ? { hint: options.hint } : {}) };
}

function recase(hex: string, want: HexCase): string {
  if (want === "lower") return hex;
  if (want === "upper") return hex.toUpperCase();
  // Every other letter upper-case: "aB3c" reads as both cases inside one byte, too.
  let upper = false;
  return hex.replace(/[a-f]/g, (c) => ((upper = !upper) ? c.toUpperCase() : c));
}

/** The bytes on the wire: the line and its end. */
export function wireBytes(request: Request): Buffer {
  return Buffer.from(request.text + request.ending, "latin1");
}
