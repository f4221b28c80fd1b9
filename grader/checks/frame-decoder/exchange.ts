/**
 * Talking to the decoder: sends request lines (one at a time, all at once,
 * or in pieces) and checks each reply line, in order, against the reference.
 * A wrong reply names the layer that differs and a hint for it; a reply that
 * never comes says whether the program died, closed, or went quiet.
 */
import { CheckFailure, quoteBytes, type CheckContext, type SeededRandom, type TcpClient } from "../../harness/index.ts";
import { describeLayerDifference, hintFor, SURVIVAL_HINT } from "./hints.ts";
import { wireBytes, type Request } from "./requests.ts";

/** Long enough for the whole hex line of a 200-byte frame: most frames before the mixed checks are shorter. */
const SHOWN = 420;

export const FIRST_REPLY_HINT =
  'reply to each line with one line: keep what arrives in a buffer, cut it at "\\n", decode the hex frame, and write the answer followed by "\\n".';

export const FRAMING_HINT =
  'TCP delivers a byte stream, not lines: one \'data\' event (one recv) may hold part of a line, or several lines. Keep a buffer per connection, append every chunk, and answer each complete line (up to "\\n") in it, in order; keep the rest for later.';

/** Replies read so far, per client: a silence after some replies is not the same as no reply ever. */
const repliesRead = new WeakMap<TcpClient, number>();
/** Clients that were already answered "error: ..." once: a close after that is the error's doing. */
const answeredAnError = new WeakSet<TcpClient>();

interface Position {
  index: number;
  total: number;
}

export function quoted(text: string): string {
  return quoteBytes(Buffer.from(text, "latin1"), SHOWN);
}

function sentText(request: Request): string {
  return `${quoteBytes(wireBytes(request), SHOWN)} (${request.what})`;
}

/** Sends each line and waits for its reply before sending the next. */
export async function askEach(ctx: CheckContext, client: TcpClient, requests: Request[]): Promise<void> {
  for (const request of requests) {
    client.send(wireBytes(request), sentText(request));
    await expectReplyTo(ctx, client, request);
  }
}

/**
 * Sends every line before reading any reply, the bytes cut into `pieces`
 * (one write each, `pauseMs` apart), then expects the replies in order.
 */
export async function askPipelined(
  ctx: CheckContext,
  client: TcpClient,
  requests: Request[],
  options: { pieces?: (bytes: Buffer) => Buffer[]; pauseMs?: number; how?: string } = {},
): Promise<void> {
  const bytes = Buffer.concat(requests.map(wireBytes));
  const pieces = options.pieces?.(bytes) ?? [bytes];
  ctx.scope.transcript.add(client.label, `sent  ${requests.length} ${requests.length === 1 ? "line" : "lines"} ${options.how ?? (pieces.length === 1 ? "in one write" : `in ${pieces.length} writes`)}:`);
  requests.forEach((request, i) => ctx.scope.transcript.add(client.label, `  line ${i + 1}: ${sentText(request)}`));
  await writePieces(ctx, client, pieces, options.pauseMs ?? 0);
  for (const [index, request] of requests.entries()) await expectReplyTo(ctx, client, request, { index: index + 1, total: requests.length });
}

/** Writes each piece on its own, with Nagle off, so each can leave as its own segment. */
export async function writePieces(ctx: CheckContext, client: TcpClient, pieces: Buffer[], pauseMs: number): Promise<void> {
  client.socket.setNoDelay(true);
  for (const [i, piece] of pieces.entries()) {
    client.socket.write(piece);
    if (pauseMs > 0 && i < pieces.length - 1) await ctx.sleep(pauseMs);
  }
}

/** Reads the next reply line and checks it against what `request` expects. */
export async function expectReplyTo(ctx: CheckContext, client: TcpClient, request: Request, position?: Position): Promise<void> {
  const shown = request.expect.kind === "reply" ? request.expect.line : "error: <reason>";
  let got: string;
  try {
    got = await client.readLine({ expected: shown });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    await ctx.expectStillRunning(`[${client.label}] sent ${request.what}`, SURVIVAL_HINT);
    throw noReply(error, client, request, position);
  }
  repliesRead.set(client, (repliesRead.get(client) ?? 0) + 1);
  if (/^error:/.test(got)) answeredAnError.add(client);
  if (matches(request, got)) return;
  const expected =
    request.expect.kind === "reply"
      ? [quoted(request.expect.line), ...(got.startsWith("error:") ? [] : optional(describeLayerDifference(request.expect.line, got)))]
      : [`"error: <reason>", since ${request.expect.why}`];
  throw new CheckFailure(`[${client.label}] got   ${quoted(got)}`, { details: context(request, position), expected, hint: hintFor(request, got) });
}

function matches(request: Request, got: string): boolean {
  return request.expect.kind === "reply" ? got === request.expect.line : /^error: \S/.test(got);
}

/** The request's failure (closed, reset, or silent), with what was awaited and why it matters. */
function noReply(failure: CheckFailure, client: TcpClient, request: Request, position: Position | undefined): CheckFailure {
  const closed = /closed|reset/.test(failure.happened);
  const first = (repliesRead.get(client) ?? 0) === 0;
  const afterError = request.expect.kind === "error" || answeredAnError.has(client);
  const hint = closed ? (afterError ? SURVIVAL_HINT : failure.hint) : (request.hint ?? (first ? FIRST_REPLY_HINT : FRAMING_HINT));
  const expected = request.expect.kind === "reply" ? quoted(request.expect.line) : `"error: <reason>", since ${request.expect.why}`;
  return new CheckFailure(failure.happened, { details: context(request, position), expected: [expected, ...(closed ? ["and the connection to stay open for the next line"] : [])], hint });
}

function context(request: Request, position: Position | undefined): string[] {
  if (!position) return [`in reply to ${request.what}`];
  return [`in reply to line ${position.index} of ${position.total}: ${request.what}`, `that line was ${quoted(request.text + request.ending)}`];
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

/** Cuts bytes into pieces of `size` bytes: one byte per write, say. */
export function splitEvery(size: number): (bytes: Buffer) => Buffer[] {
  return (bytes) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
}

/** Cuts bytes into `count` pieces at random places: inside a byte's two hex digits, between "\r" and "\n", anywhere. */
export function splitRandomly(random: SeededRandom, count: number): (bytes: Buffer) => Buffer[] {
  return (bytes) => {
    const cuts = new Set<number>();
    while (cuts.size < Math.min(count - 1, bytes.length - 1)) cuts.add(random.int(1, bytes.length - 1));
    const points = [0, ...[...cuts].sort((x, y) => x - y), bytes.length];
    return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
  };
}
