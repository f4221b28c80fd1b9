import dgram from "node:dgram";
import { quoteBytes, type CheckContext } from "../../harness/index.ts";

/**
 * What the server does with one try of one message: answer it, lose the
 * request, lose the reply, answer at once and again DUPLICATE_AFTER_MS later
 * (when the client has moved on to the next message), or answer SLOW_MS late
 * (still before the client's 200 ms retransmission).
 */
export type Fate = "reply" | "drop-request" | "drop-reply" | "duplicate" | "slow";

export const DUPLICATE_AFTER_MS = 60;
export const SLOW_MS = 120;

/** One well-formed request as the server saw it. */
export interface Try {
  i: number;
  /** 1 for the first try of message i, 2 for the first retransmission, ... */
  number: number;
  at: number;
  fate: Fate;
  /** When the reply to this try left the server (late ones too), if one did. */
  repliedAt?: number;
}

/** A datagram that is not "<i> <message>" for one of the messages. */
export interface Stray {
  data: Buffer;
  problem: string;
  expected: string;
}

const LABEL = "grader's server";

/**
 * The grader's UDP server for udp-reliable-client: answers "<i> <message>"
 * with "<i> <text>", where the texts are made up by the check so the client
 * cannot guess them, and misbehaves as `plan` says, like a lossy network.
 * Every try and what became of it goes into the transcript.
 */
export class LossyServer {
  readonly tries: Try[] = [];
  readonly strays: Stray[] = [];
  private readonly socket: dgram.Socket;
  private readonly ctx: CheckContext;
  private readonly messages: string[];
  private readonly texts: string[];
  private readonly plan: (i: number, tryNumber: number) => Fate;
  private readonly timers = new Set<NodeJS.Timeout>();
  private firstAt: number | undefined;

  private constructor(ctx: CheckContext, socket: dgram.Socket, messages: string[], texts: string[], plan: (i: number, tryNumber: number) => Fate) {
    this.ctx = ctx;
    this.socket = socket;
    this.messages = messages;
    this.texts = texts;
    this.plan = plan;
    socket.on("message", (data, from) => this.answer(data, from));
    socket.on("error", () => {});
  }

  static async open(ctx: CheckContext, messages: string[], texts: string[], plan: (i: number, tryNumber: number) => Fate): Promise<LossyServer> {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, "127.0.0.1", () => resolve());
    });
    return new LossyServer(ctx, socket, messages, texts, plan);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** The request for message i, as the client must send it. */
  request(i: number): string {
    return `${i} ${this.messages[i]}`;
  }

  /** The reply the server gives to message i. */
  reply(i: number): string {
    return `${i} ${this.texts[i]}`;
  }

  /** "+203 ms": a time relative to the first datagram, as the transcript shows it. */
  since(at: number): string {
    return `+${at - (this.firstAt ?? at)} ms`;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    try {
      this.socket.close();
    } catch {
      // Already closed.
    }
  }

  private answer(data: Buffer, from: dgram.RemoteInfo): void {
    const at = Date.now();
    this.firstAt ??= at;
    const shown = `got   ${quoteBytes(data)} at ${this.since(at)}`;
    const match = /^(0|[1-9]\d*) ([\s\S]*)$/.exec(data.toString("utf8"));
    const i = match ? Number(match[1]) : -1;
    if (!match || i >= this.messages.length || match[2] !== this.messages[i]) {
      const stray = this.describeStray(data, match ? i : undefined);
      this.strays.push(stray);
      this.ctx.scope.transcript.add(LABEL, `${shown}: not a request it knows, no reply`);
      return;
    }
    const number = this.tries.filter((t) => t.i === i).length + 1;
    const fate = this.plan(i, number);
    const attempt: Try = { i, number, at, fate };
    this.tries.push(attempt);
    const reply = this.reply(i);
    const send = () => {
      attempt.repliedAt ??= Date.now();
      this.socket.send(reply, from.port, from.address);
    };
    const what = `${shown} (message ${i}, try ${number})`;
    const later = (ms: number, note: string) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        send();
        this.ctx.scope.transcript.add(LABEL, `sent  ${quoteBytes(reply)} at ${this.since(Date.now())} (${note})`);
      }, ms);
      this.timers.add(timer);
    };
    switch (fate) {
      case "reply":
        send();
        this.ctx.scope.transcript.add(LABEL, `${what}: replied ${quoteBytes(reply)}`);
        return;
      case "duplicate":
        send();
        this.ctx.scope.transcript.add(LABEL, `${what}: replied ${quoteBytes(reply)}, and will send it again in ${DUPLICATE_AFTER_MS} ms`);
        later(DUPLICATE_AFTER_MS, `a duplicate of the reply to message ${i}`);
        return;
      case "slow":
        this.ctx.scope.transcript.add(LABEL, `${what}: will reply in ${SLOW_MS} ms`);
        later(SLOW_MS, `the slow reply to message ${i}`);
        return;
      case "drop-request":
        this.ctx.scope.transcript.add(LABEL, `${what}: dropped it, as a lossy network does`);
        return;
      case "drop-reply":
        this.ctx.scope.transcript.add(LABEL, `${what}: replied, but the reply was lost on the way`);
        return;
    }
  }

  /** Why a datagram is not a request, and what the right one would be. */
  private describeStray(data: Buffer, i: number | undefined): Stray {
    const text = data.toString("utf8");
    const request = (k: number) => quoteBytes(`${k} ${this.messages[k]}`);
    if (i === undefined) {
      // The message the client is on: the last one it asked about, or the first.
      const current = this.tries.reduce((last, t) => Math.max(last, t.i), 0);
      const expected = request(current);
      if (text.trim() === this.messages[current]) return { data, problem: "it has no number in front: a request is the index i (counted from 0), one space, then the message", expected };
      if (/^\d+ /.test(text.trim())) return { data, problem: 'it has extra whitespace: send exactly "<i> <message>", with no newline', expected };
      return { data, problem: 'it is not "<i> <message>": the index i (counted from 0), one space, then the message', expected };
    }
    const sent = text.slice(text.indexOf(" ") + 1);
    if (i > 0 && sent === this.messages[i - 1]) return { data, problem: `messages are numbered from 0: ${quoteBytes(sent)} is message ${i - 1}`, expected: request(i - 1) };
    if (i >= this.messages.length) return { data, problem: `there are ${this.messages.length} messages, numbered 0 to ${this.messages.length - 1}`, expected: request(this.messages.length - 1) };
    const message = this.messages[i]!;
    if (sent.trim() === message) return { data, problem: 'it has extra whitespace: send exactly "<i> <message>", with no newline', expected: request(i) };
    if (sent.startsWith(message) || message.startsWith(sent)) {
      return { data, problem: `message ${i} is the whole argument ${quoteBytes(message)}: each argument is one message, spaces and all`, expected: request(i) };
    }
    return { data, problem: `message ${i} is the argument ${quoteBytes(message)}`, expected: request(i) };
  }
}
