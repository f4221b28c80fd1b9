import { CheckFailure, describeDifference, quoteBytes, SEQUENTIAL_HINT, type CheckContext } from "../../harness/index.ts";
import { describeSilence, Member, type Silence } from "./member.ts";
import { CLOSE_AFTER_ERROR_HINT, JOIN_HINT, LEAVE_HINT, limitedHint, PRESENCE_HINT, RELAY_HINT, RESET_CRASH_HINT, RESET_LEAVE_HINT, WELCOME_HINT } from "./hints.ts";
import { explainLine, explainPresence, explainRefusal, presenceLine, PRESENCE_PREFIX, type Diagnosis, type RoomHistory } from "./verdict.ts";

export const WELCOME = "Welcome! What is your name?";

/** What one expected line is for. */
export interface Step {
  /** The advice when the line is wrong or does not come. */
  hint: string;
  /** Names a wrong line's likely cause, after the common causes (verdict.ts) had nothing to say. */
  explain?: (got: string) => Diagnosis | undefined;
  timeoutMs?: number;
  quiet?: boolean;
}

/**
 * The grader's side of the chat room: the members it has joined, in order,
 * and what each one must read next. Every action (join, say, leave) reads
 * at once the line each member is due, so a wrong or missing line fails at
 * the step that caused it, naming the member that saw it.
 */
export class Room implements RoomHistory {
  readonly ctx: CheckContext;
  /** In the room now, in the order they joined. */
  readonly members: Member[] = [];
  /** Every client opened in this check, joined or not: they leave politely when it ends. */
  private readonly connections: Member[] = [];
  private readonly joinedNames = new Set<string>();
  private readonly leftNames = new Set<string>();
  /** The grader's last action, for "your program exited after ...". */
  private lastAction = "the check began";

  constructor(ctx: CheckContext) {
    this.ctx = ctx;
  }

  everJoined(name: string): boolean {
    return this.joinedNames.has(name);
  }

  departed(name: string): boolean {
    return this.leftNames.has(name) && !this.names().includes(name);
  }

  names(): string[] {
    return this.members.map((member) => member.name);
  }

  /** Connects a client that means to join as `name`, and reads its welcome. */
  async arrive(name: string, options: { label?: string; quiet?: boolean; hint?: string } = {}): Promise<Member> {
    const member = await Member.connect(this.ctx, name, options.label);
    this.connections.push(member);
    this.lastAction = `[${member.label}] connected`;
    const step = { hint: options.hint ?? WELCOME_HINT, ...(options.quiet ? { quiet: true } : {}) };
    const got = await member.next(step);
    if (Buffer.isBuffer(got)) this.judge(member, got, WELCOME, step);
    else await this.servedAlongside(member, got, step);
    return member;
  }

  /**
   * A client that got no welcome while others were connected: when closing
   * them brings it, the program serves a limited number of clients at once.
   */
  private async servedAlongside(member: Member, silence: Silence, step: Step): Promise<void> {
    const others = this.connections.filter((other) => other !== member && other.open);
    if (silence.kind !== "timeout" || others.length === 0) throw await this.silent(member, silence, WELCOME, step);
    for (const other of others) other.client.close();
    const late = await member.next();
    if (!Buffer.isBuffer(late) || late.toString("utf8") !== WELCOME) throw await this.silent(member, silence, WELCOME, step);
    const who = others.length === 1 ? `[${others[0]!.label}]` : `the ${others.length} clients connected before it`;
    throw new CheckFailure(`[${member.label}] got its welcome only after ${who} disconnected`, {
      expected: [`${quoteBytes(`${WELCOME}\n`)} as soon as it connected, while ${who} ${others.length === 1 ? "was" : "were"} still connected`],
      hint: others.length === 1 ? SEQUENTIAL_HINT : limitedHint(others.length),
    });
  }

  /** Sends `member`'s name line (in `pieces`, when given) and expects it to join the room. */
  async enter(member: Member, options: { pieces?: Buffer[]; describe?: string; quiet?: boolean } = {}): Promise<void> {
    const pieces = options.pieces ?? [Buffer.from(`${member.name}\n`)];
    const nameLine = Buffer.concat(pieces).toString("utf8");
    if (pieces.length === 1) member.send(pieces[0]!);
    else await member.client.sendPieces(pieces, options.describe ? { describe: options.describe } : {});
    this.lastAction = `[${member.label}] sent its name`;
    const quiet = options.quiet ? { quiet: true } : {};
    const explain = (got: string) => explainRefusal(got, member.name, nameLine, this) ?? explainPresence(got, member.name, this);
    await this.expect(member, presenceLine(this.names()), { hint: PRESENCE_HINT, explain, ...quiet });
    member.joined = true;
    this.joinedNames.add(member.name);
    for (const other of this.members) await this.expect(other, `* ${member.name} has joined`, { hint: JOIN_HINT, ...quiet });
    this.members.push(member);
  }

  /** A client joins as `name`: welcome, name, the room's list; the others hear of it. */
  async join(name: string, options: { quiet?: boolean } = {}): Promise<Member> {
    const member = await this.arrive(name, options);
    await this.enter(member, options);
    return member;
  }

  /**
   * `from` sends `texts`, lines in one write (or `raw`: these bytes, piece
   * by piece), and every other member must read "[<name>] <text>" for
   * each, in order.
   */
  async say(from: Member, texts: string | string[], options: { raw?: Buffer[]; describe?: string; hint?: string } = {}): Promise<void> {
    const lines = typeof texts === "string" ? [texts] : texts;
    for (const text of lines) from.said.add(text);
    const raw = options.raw ?? [Buffer.from(lines.map((text) => `${text}\n`).join(""))];
    if (raw.length === 1) from.send(raw[0]!, options.describe);
    else await from.client.sendPieces(raw, options.describe ? { describe: options.describe } : {});
    this.lastAction = `[${from.label}] sent ${options.describe ?? quoteBytes(Buffer.concat(raw))}`;
    for (const other of this.members) {
      if (other === from) continue;
      for (const text of lines) await this.expect(other, `[${from.name}] ${text}`, { hint: options.hint ?? RELAY_HINT });
    }
  }

  /** `member` closes (FIN) or resets (RST) its connection; every other member must read that it left. */
  async leave(member: Member, how: "close" | "reset"): Promise<void> {
    if (how === "close") {
      member.client.close();
      this.lastAction = `[${member.label}] closed its connection`;
    } else {
      await this.ctx.resetAndWait(member.client);
      this.lastAction = `[${member.label}] reset its connection`;
      await this.ctx.expectStillRunning(this.lastAction, RESET_CRASH_HINT);
    }
    this.members.splice(this.members.indexOf(member), 1);
    this.leftNames.add(member.name);
    for (const other of this.members) {
      await this.expect(other, `* ${member.name} has left`, { hint: how === "reset" ? RESET_LEAVE_HINT : LEAVE_HINT });
      other.sawLeave.add(member.name);
    }
  }

  /** A client sends `nameLine` and must get "error: <error>", then see the connection closed. */
  async expectRefused(label: string, nameLine: string, error: "invalid name" | "name taken", step: { hint: string; accepted: Diagnosis }): Promise<void> {
    const guest = await this.arrive(nameLine.replace(/\r?\n$/, ""), { label });
    guest.send(nameLine);
    this.lastAction = `[${label}] sent ${quoteBytes(nameLine)}`;
    const expected = `error: ${error}`;
    await this.expect(guest, expected, { hint: step.hint, explain: (got) => (got.startsWith(PRESENCE_PREFIX) ? step.accepted : undefined) });
    const { lines, closed } = await guest.closed();
    if (lines.length > 0) {
      const more = Buffer.concat(lines.flatMap((line) => [line, Buffer.from("\n")]));
      this.ctx.scope.transcript.add(label, `got   ${quoteBytes(more, 300)}`);
      throw new CheckFailure(`[${label}] got   ${quoteBytes(more)} after ${quoteBytes(`${expected}\n`)}`, { expected: ["the connection to close, with nothing more sent"], hint: CLOSE_AFTER_ERROR_HINT });
    }
    if (!closed) {
      this.ctx.scope.transcript.add(label, `the connection stayed open ${this.ctx.readTimeoutMs} ms after the error`);
      throw new CheckFailure(`[${label}] the connection stayed open after ${quoteBytes(`${expected}\n`)}`, { expected: ["your program to close the connection after the error line"], hint: CLOSE_AFTER_ERROR_HINT });
    }
    this.ctx.scope.transcript.add(label, "the connection was closed by your program");
  }

  /** Reads `member`'s next line and fails, naming the likely bug, unless it is `expected`. */
  async expect(member: Member, expected: string, step: Step): Promise<void> {
    const got = await member.next(step);
    if (!Buffer.isBuffer(got)) throw await this.silent(member, got, expected, step);
    this.judge(member, got, expected, step);
  }

  judge(member: Member, got: Buffer, expected: string, step: Step): void {
    if (got.equals(Buffer.from(expected))) return;
    const shown = Buffer.concat([got, Buffer.from("\n")]);
    if (step.quiet) this.ctx.scope.transcript.add(member.label, `got   ${quoteBytes(shown, 300)}`);
    const text = got.toString("utf8");
    const diagnosis = explainLine(member, text, expected, this) ?? step.explain?.(text);
    const want = Buffer.from(`${expected}\n`);
    throw new CheckFailure(`[${member.label}] got   ${quoteBytes(shown, 300)}${diagnosis ? `: ${diagnosis.why}` : ""}`, {
      expected: [quoteBytes(want, 300), ...(describeDifference(want, shown)?.split("\n") ?? [])],
      hint: diagnosis?.hint ?? step.hint,
    });
  }

  /** No line came: says how the wait ended, first making sure the program is still running. */
  async silent(member: Member, silence: Silence, expected: string, step: Step): Promise<CheckFailure> {
    if (silence.kind !== "timeout") await this.ctx.expectStillRunning(this.lastAction, step.hint);
    const what = describeSilence(silence);
    this.ctx.scope.transcript.add(member.label, what);
    return new CheckFailure(`[${member.label}] ${what}`, { expected: [quoteBytes(`${expected}\n`, 300)], hint: step.hint });
  }

  /** Every client still open says goodbye (FIN), and the program gets a moment to see them all leave. */
  async empty(): Promise<void> {
    await Promise.all(this.connections.map((member) => member.leaveQuietly(500)));
  }
}

/**
 * Runs a check's body in a fresh room, and empties the room afterwards, even
 * when the check failed: the next check starts from an empty room, which its
 * "* in the room:" lines rely on.
 */
export async function inRoom(ctx: CheckContext, body: (room: Room) => Promise<void>): Promise<void> {
  const room = new Room(ctx);
  try {
    await body(room);
  } finally {
    await room.empty();
  }
}
