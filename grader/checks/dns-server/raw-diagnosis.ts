/**
 * When a real client (Node's resolver, dig) rejects or misreads a reply, a
 * raw query of the same question shows why, in bytes: no reply at all, a
 * reply from another port, or the first thing wrong with the reply.
 */
import { CheckFailure, type CheckContext } from "../../harness/index.ts";
import { typeName } from "../../protocols/dns-message.ts";
import type { GradedZone } from "./answers.ts";
import { receiveReply, sendQuery } from "./exchange.ts";
import { HINTS } from "./hints.ts";
import { makeQuery } from "./queries.ts";
import { expectedFor, judgeReply } from "./verdict.ts";

export interface ClientFailure {
  happened: string;
  details: string[];
  expected: string[];
  /** The hint when the raw reply shows nothing wrong. */
  fallbackHint: string;
}

export async function explainWithRawQuery(ctx: CheckContext, graded: GradedZone, question: { name: string; type: number }, failure: ClientFailure): Promise<never> {
  const query = makeQuery(ctx.random, question.name, question.type);
  const client = await ctx.udp();
  sendQuery(ctx, client, query);
  const asked = `a raw query for ${typeName(query.type)} ${query.name}`;
  let datagram;
  try {
    datagram = await receiveReply(ctx, client, []);
  } catch {
    throw new CheckFailure(failure.happened, { details: [...failure.details, `${asked} got no reply either`], expected: failure.expected, hint: HINTS.noReply });
  }
  if (datagram.from.port !== ctx.port) {
    throw new CheckFailure(failure.happened, {
      details: [...failure.details, `${asked}, sent to port ${ctx.port}, got its reply from port ${datagram.from.port}: resolvers and dig accept replies only from the address and port they asked`],
      expected: [`replies from 127.0.0.1:${ctx.port}`],
      hint: HINTS.sameSocket,
    });
  }
  try {
    judgeReply(query, datagram.data, expectedFor(graded, query), { label: client.label, graded, aspects: { flags: true, exactQuestion: true } });
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new CheckFailure(failure.happened, { details: [...failure.details, `${asked} shows why: ${error.happened}`, ...error.details], expected: error.expected, ...(error.hint ? { hint: error.hint } : {}) });
  }
  throw new CheckFailure(failure.happened, { details: [...failure.details, `${asked} got a reply that looks right`], expected: failure.expected, hint: failure.fallbackHint });
}
