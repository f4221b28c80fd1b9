/**
 * Many queries at once from several sockets, each with its own ID and
 * question: every one must get its own reply, at the socket that sent it.
 * Replies may come in any order. The transcript gets a summary, not 200 lines.
 */
import dgram from "node:dgram";
import { CheckFailure, type CheckContext } from "../../harness/index.ts";
import { decodeHeader } from "../../protocols/dns-message.ts";
import type { GradedZone } from "./answers.ts";
import { HINTS } from "./hints.ts";
import type { Query } from "./queries.ts";
import { expectedFor, judgeReply } from "./verdict.ts";

interface Sender {
  label: string;
  socket: dgram.Socket;
  queries: Query[];
  replies: Buffer[];
}

async function openSender(ctx: CheckContext, label: string, queries: Query[]): Promise<Sender> {
  const socket = dgram.createSocket("udp4");
  ctx.scope.track(() => socket.close());
  socket.on("error", () => {});
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const sender: Sender = { label, socket, queries, replies: [] };
  socket.on("message", (data) => sender.replies.push(data));
  return sender;
}

/** Sends every batch at once, one socket a batch, and waits until all are answered or the replies stop coming. */
export async function askAtOnce(ctx: CheckContext, graded: GradedZone, batches: Query[][]): Promise<void> {
  const senders = await Promise.all(batches.map((queries, i) => openSender(ctx, `sender-${i + 1}`, queries)));
  const total = batches.reduce((sum, b) => sum + b.length, 0);
  for (const sender of senders) for (const query of sender.queries) sender.socket.send(query.bytes, ctx.port, "127.0.0.1");
  ctx.scope.transcript.add("grader", `sent ${total} queries at once from ${senders.length} sockets (sender-1 to sender-${senders.length}), each with its own ID`);
  ctx.scope.transcript.step(`waiting for the replies to ${total} queries`);
  const received = () => senders.reduce((sum, s) => sum + s.replies.length, 0);
  let seen = -1;
  // Wait while replies keep coming; give up a read timeout after the last one.
  while (received() < total && received() !== seen && !ctx.scope.programGone) {
    seen = received();
    const deadline = Date.now() + ctx.readTimeoutMs;
    while (received() === seen && Date.now() < deadline && !ctx.scope.programGone) await ctx.sleep(5);
  }
  ctx.scope.transcript.add("grader", `got ${received()} replies`);

  const unanswered: string[] = [];
  const strays: string[] = [];
  for (const sender of senders) {
    const byId = new Map<number, Buffer[]>();
    for (const reply of sender.replies) {
      const id = decodeHeader(reply)?.id ?? -1;
      byId.set(id, [...(byId.get(id) ?? []), reply]);
    }
    for (const query of sender.queries) {
      if (!byId.has(query.id)) unanswered.push(`[${sender.label}] ${query.describe}: no reply`);
    }
    for (const [id, replies] of byId) {
      const mine = sender.queries.some((q) => q.id === id);
      if (!mine) strays.push(`[${sender.label}] got ${replies.length} ${replies.length === 1 ? "reply" : "replies"} with ID ${id}, ${describeOwner(senders, id)}`);
      else if (replies.length > 1) strays.push(`[${sender.label}] got ${replies.length} replies with ID ${id}: one of its queries, answered ${replies.length} times`);
    }
  }
  if (unanswered.length > 0 || strays.length > 0) {
    const happened = unanswered.length > 0 ? `${unanswered.length} of the ${total} queries sent at once got no reply` : `${strays.length} replies did not belong to the socket that got them`;
    throw new CheckFailure(happened, {
      details: [...strays.slice(0, 5), ...(strays.length > 5 ? [`(${strays.length - 5} more like these)`] : []), ...unanswered.slice(0, 5), ...(unanswered.length > 5 ? [`(${unanswered.length - 5} more without a reply)`] : [])],
      expected: [`${total} replies, one to each query, each with its query's ID and question, sent to the socket that asked`],
      hint: HINTS.concurrent,
    });
  }
  for (const sender of senders) {
    for (const query of sender.queries) {
      const reply = sender.replies.find((r) => decodeHeader(r)?.id === query.id)!;
      try {
        judgeReply(query, reply, expectedFor(graded, query), { label: sender.label, graded });
      } catch (error) {
        if (error instanceof CheckFailure) ctx.scope.transcript.add(sender.label, `sent  ${query.describe}, among the others`);
        throw error;
      }
    }
  }
}

function describeOwner(senders: Sender[], id: number): string {
  const owner = senders.find((s) => s.queries.some((q) => q.id === id));
  return owner ? `the ID of a query that ${owner.label} sent` : "the ID of no query";
}
