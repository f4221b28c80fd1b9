import dgram from "node:dgram";
import type { CheckContext } from "../../harness/index.ts";
import { decodeHeader, decodeMessage, defaultFlags, encodeMessage, rcodeName, Rcode, typeName, type Question, type ResourceRecord } from "../../protocols/dns-message.ts";
import { answerFrom } from "../../protocols/dns-zone.ts";

/** A classic DNS answer over UDP fits in 512 bytes (RFC 1035 4.2.1); our zones are kept well under. */
const MAX_REPLY_BYTES = 512;
/** Queries kept for judging, per server. */
const MAX_KEPT = 1000;
/** Queries written into the transcript, per server. */
const MAX_LOGGED = 20;

/** One datagram the server got, and what it did with it. */
export interface Query {
  /** The question, when the datagram was a query the server could read. */
  question?: Question;
  /** Why it could not be read (a hand-made query with a bug), when it could not. */
  problem?: string;
  from: string;
  at: number;
  /** The datagram as it came. */
  packet: Buffer;
  rcode?: number;
  answers: ResourceRecord[];
}

/**
 * The grader's DNS server for one run of the learner's program: answers
 * from a zone on 127.0.0.1 (a free UDP port), or, when `silent`, reads every
 * query and never replies. Each query and its answer go into the transcript,
 * so a learner sees exactly what their program asked.
 */
export class LabServer {
  readonly queries: Query[] = [];
  readonly silent: boolean;
  /** Set when the server itself went wrong (a bug in the check, not in the program). */
  bug: string | undefined;
  /** Datagrams beyond the first MAX_KEPT, neither kept nor answered. */
  uncounted = 0;
  private readonly socket: dgram.Socket;
  private readonly ctx: CheckContext;
  private readonly zone: readonly ResourceRecord[];
  private firstAt: number | undefined;

  private constructor(ctx: CheckContext, socket: dgram.Socket, zone: readonly ResourceRecord[], silent: boolean) {
    this.ctx = ctx;
    this.socket = socket;
    this.zone = zone;
    this.silent = silent;
    socket.on("message", (packet, from) => this.answer(packet, from));
    socket.on("error", () => {});
  }

  static async open(ctx: CheckContext, zone: readonly ResourceRecord[], options: { silent?: boolean } = {}): Promise<LabServer> {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, "127.0.0.1", () => resolve());
    });
    const server = new LabServer(ctx, socket, zone, options.silent ?? false);
    ctx.scope.track(() => server.close());
    return server;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** "127.0.0.1:41234": what DNS_SERVER is set to. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The queries whose question could be read. */
  get questions(): Question[] {
    return this.queries.flatMap((q) => (q.question ? [q.question] : []));
  }

  /** "+2001 ms": when a query came, counted from the first. */
  since(at: number): string {
    return `+${at - (this.firstAt ?? at)} ms`;
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // Already closed.
    }
  }

  private log(text: string): void {
    // A program that floods the server must not flood the transcript.
    if (this.queries.length > MAX_LOGGED) return;
    const label = `grader's DNS server ${this.address}`;
    if (this.queries.length === MAX_LOGGED) this.ctx.scope.transcript.add(label, `${text} (further queries are counted, not shown)`);
    else this.ctx.scope.transcript.add(label, text);
  }

  private answer(packet: Buffer, from: dgram.RemoteInfo): void {
    // Enough to judge any program; a flood beyond it is only counted.
    if (this.queries.length >= MAX_KEPT) {
      this.uncounted += 1;
      return;
    }
    const at = Date.now();
    this.firstAt ??= at;
    const sender = `${from.address}:${from.port}`;
    const when = this.silent ? ` at ${this.since(at)}` : "";
    let message;
    try {
      message = decodeMessage(packet);
    } catch (error) {
      const problem = (error as Error).message;
      this.queries.push({ problem, from: sender, at, packet, answers: [] });
      const header = decodeHeader(packet);
      this.log(`got ${packet.length} bytes from ${sender}${when} that are not a DNS message: ${problem}; ${header && !this.silent ? "answered FORMERR" : "no reply"}`);
      if (header && !header.flags.qr && !this.silent) this.reply(header.id, header.flags.rd, [], Rcode.FORMERR, [], from);
      return;
    }
    if (message.flags.qr) {
      this.queries.push({ problem: "it is a response (QR=1), not a query", from: sender, at, packet, answers: [] });
      this.log(`got a response (QR=1) from ${sender}${when}, not a query; no reply`);
      return;
    }
    const question = message.questions[0];
    if (message.questions.length !== 1 || !question) {
      const problem = `a query asks exactly one question, this one has ${message.questions.length} (QDCOUNT)`;
      this.queries.push({ problem, from: sender, at, packet, answers: [] });
      this.log(`got a query from ${sender}${when} with ${message.questions.length} questions: ${this.silent ? "no reply" : "answered FORMERR"}`);
      if (!this.silent) this.reply(message.id, message.flags.rd, message.questions, Rcode.FORMERR, [], from);
      return;
    }
    const asked = `${typeName(question.type)} ${question.name === "" ? "." : question.name}`;
    if (this.silent) {
      this.queries.push({ question, from: sender, at, packet, answers: [] });
      this.log(`got a query for ${asked} from ${sender}${when}: no reply (this server never answers)`);
      return;
    }
    const { rcode, answers } = answerFrom(this.zone, question);
    this.queries.push({ question, from: sender, at, packet, rcode, answers });
    this.reply(message.id, message.flags.rd, [question], rcode, answers, from);
    this.log(`got a query for ${asked} from ${sender}: ${describeAnswer(rcode, answers)}`);
  }

  private reply(id: number, rd: boolean, questions: Question[], rcode: number, answers: ResourceRecord[], to: dgram.RemoteInfo): void {
    // The question is echoed as it was asked, case and all, as resolvers expect.
    const flags = defaultFlags({ qr: true, aa: true, rd, rcode });
    const reply = encodeMessage({ id, flags, questions, answers, authorities: [], additionals: [] });
    // Thrown from the check, not here: an exception in a socket's handler would take down the worker.
    if (reply.length > MAX_REPLY_BYTES) this.bug ??= `the grader's DNS reply is ${reply.length} bytes, over ${MAX_REPLY_BYTES}: a zone too big for UDP`;
    this.socket.send(reply, to.port, to.address);
  }
}

/** "answered 2 records", "answered 3 records (1 CNAME, 2 A)", "NXDOMAIN", ... */
export function describeAnswer(rcode: number, answers: readonly ResourceRecord[]): string {
  if (rcode === Rcode.NXDOMAIN) return "NXDOMAIN (no such name)";
  if (rcode !== Rcode.NOERROR) return rcodeName(rcode);
  if (answers.length === 0) return "no records of that type (NOERROR, 0 answers)";
  const counts = new Map<string, number>();
  for (const rr of answers) counts.set(typeName(rr.type), (counts.get(typeName(rr.type)) ?? 0) + 1);
  const what = counts.size > 1 ? ` (${[...counts].map(([type, n]) => `${n} ${type}`).join(", ")})` : "";
  return `answered ${answers.length} record${answers.length === 1 ? "" : "s"}${what}`;
}

