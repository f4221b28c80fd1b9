/**
 * One query and its reply over a raw UDP socket: sent, received (or not),
 * shown decoded in the transcript, judged against the zone.
 */
import { CheckFailure, type CheckContext, type Datagram, type UdpClient } from "../../harness/index.ts";
import { decodeMessage, type DecodedMessage } from "../../protocols/dns-message.ts";
import type { GradedZone } from "./answers.ts";
import { HINTS } from "./hints.ts";
import type { Query } from "./queries.ts";
import { describeExpected, describeReply, expectedFor, judgeReply, type Aspects, type Expected } from "./verdict.ts";

export const CRASH_HINT =
  "your program ended while handling this packet: read its error below. A server must survive any datagram: check lengths before you read (packet.length, and every offset you compute), and never let one bad packet end the process.";

export function sendQuery(ctx: CheckContext, client: UdpClient, query: Query | { bytes: Buffer; describe: string }): void {
  client.send(query.bytes, ctx.port, "127.0.0.1", query.describe);
}

/** The next datagram, or a failure that says what reply was due and what to try. */
export async function receiveReply(ctx: CheckContext, client: UdpClient, expected: string[], hint: string = HINTS.noReply): Promise<Datagram> {
  try {
    const datagram = await client.receive();
    note(ctx, client, datagram.data);
    return datagram;
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new CheckFailure(error.happened, { details: error.details, expected, hint: ctx.scope.programGone ? CRASH_HINT : hint });
  }
}

/** Adds the decoded reply to the transcript, when it decodes. */
function note(ctx: CheckContext, client: UdpClient, data: Buffer): void {
  try {
    ctx.scope.transcript.add(client.label, `decoded ${describeReply(decodeMessage(data))}`);
  } catch {
    // The verdict says what is wrong with it.
  }
}

export interface AskOptions {
  aspects?: Aspects;
  /** Defaults to what the zone answers. */
  expected?: Expected;
  /** What to try when nothing comes back, or when the RCODE is an error (FORMERR, NOTIMP, ...): for checks about one feature. */
  hints?: { noReply?: string; rcode?: string };
}

/** Sends `query`, and judges the reply against the zone. */
export async function ask(ctx: CheckContext, client: UdpClient, graded: GradedZone, query: Query, options: AskOptions = {}): Promise<DecodedMessage> {
  const expected = options.expected ?? expectedFor(graded, query);
  sendQuery(ctx, client, query);
  const datagram = await receiveReply(ctx, client, describeExpected(query, expected, options.aspects), options.hints?.noReply);
  return judgeReply(query, datagram.data, expected, { label: client.label, graded, ...(options.aspects ? { aspects: options.aspects } : {}), ...(options.hints?.rcode ? { rcodeHint: options.hints.rcode } : {}) });
}
