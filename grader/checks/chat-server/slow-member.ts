import { readFileSync } from "node:fs";
import { CheckFailure, countBytes, type SeededRandom } from "../../harness/index.ts";
import type { Member } from "./member.ts";
import { ORDER_HINT, READER_DROPPED_HINT, RELAY_HINT, SLOW_MEMBER_HINT } from "./hints.ts";
import type { Room } from "./room.ts";

const LINE_BYTES = 8 * 1024;
const MiB = 1024 * 1024;
/** Lines sent at once: 128 KiB. */
const BATCH = 16;
/** However the lines flow, all must have arrived within this. */
const TOTAL_LIMIT_MS = 8000;

/**
 * How many bytes to send past a member that does not read. The kernel takes
 * a good deal before a write to it would block: the server's send buffer
 * grows up to tcp_wmem's maximum (4 MiB by default), and the reader's receive
 * buffer holds some more. Only past both does a server that waits for the
 * slow member stall, so the lines must be more than that: 2 MiB more.
 */
function floodBytes(): number {
  let sendBufferMax = 4 * MiB;
  try {
    sendBufferMax = Number(readFileSync("/proc/sys/net/ipv4/tcp_wmem", "utf8").trim().split(/\s+/)[2]) || sendBufferMax;
  } catch {
    // Not Linux: assume the default.
  }
  return Math.min(Math.max(sendBufferMax + 2 * MiB, 4 * MiB), 16 * MiB);
}

/**
 * `slow` stops reading; `sender` then sends 8 KiB lines, numbered, well
 * past what the kernel can buffer for `slow`, a batch at a time, each once
 * `reader` has the one before (as people talking would: no server has to
 * hold much for a member that reads). `reader` must get every line in order
 * without a pause of `readTimeoutMs`. The program may drop `slow` (the
 * others then read "* <slow> has left", once, anywhere among the lines).
 * Last, `reader` says something and `sender` must hear it at once.
 */
export async function expectNoStallBehind(room: Room, { sender, reader, slow, random }: { sender: Member; reader: Member; slow: Member; random: SeededRandom }): Promise<void> {
  const { ctx } = room;
  const count = Math.ceil(floodBytes() / LINE_BYTES);
  const filler = Buffer.from(Array.from({ length: LINE_BYTES - 6 }, () => 97 + random.int(0, 25)));
  const lines = Array.from({ length: count }, (_, i) => Buffer.concat([Buffer.from(`${String(i).padStart(4, "0")} `), filler]));
  const prefix = Buffer.from(`[${sender.name}] `);
  const leftNotice = Buffer.from(`* ${slow.name} has left`);
  const who = { sender, reader, slow };

  slow.stopReading();
  ctx.scope.transcript.add(sender.label, `sends ${count} lines of 8 KiB (${countBytes(count * LINE_BYTES)}), numbered 0000 to ${pad(count - 1)}, ${BATCH} at a time, each batch once [${reader.label}] has the one before`);
  const started = Date.now();
  let dropped = false;
  for (let next = 0; next < count; next++) {
    if (next % BATCH === 0) sender.client.socket.write(Buffer.concat(lines.slice(next, next + BATCH).flatMap((line) => [line, Buffer.from("\n")])));
    if (Date.now() - started > TOTAL_LIMIT_MS) throw stalled(room, who, next, count, `within ${TOTAL_LIMIT_MS} ms`);
    let got = await reader.next({ quiet: true });
    if (Buffer.isBuffer(got) && !dropped && got.equals(leftNotice)) {
      dropped = true;
      got = await reader.next({ quiet: true });
    }
    if (!Buffer.isBuffer(got)) {
      if (got.kind === "timeout") throw stalled(room, who, next, count, `then nothing more within ${got.timeoutMs} ms`);
      throw await room.silent(reader, got, `[${sender.name}] ${pad(next)} ...`, { hint: READER_DROPPED_HINT });
    }
    if (got.length === prefix.length + LINE_BYTES - 1 && got.subarray(0, prefix.length).equals(prefix) && got.subarray(prefix.length).equals(lines[next]!)) continue;
    const number = /^(\d{4}) /.exec(got.subarray(prefix.length, prefix.length + 5).toString("latin1"))?.[1];
    const other = number === undefined ? undefined : lines[Number(number)];
    if (got.subarray(0, prefix.length).equals(prefix) && other && got.subarray(prefix.length).equals(other)) {
      const what = `got ${sender.name}'s line ${number} where line ${pad(next)} was due`;
      ctx.scope.transcript.add(reader.label, what);
      throw new CheckFailure(`[${reader.label}] ${what}`, { expected: [`${sender.name}'s lines in the order sent`], hint: ORDER_HINT });
    }
    room.judge(reader, got, `${prefix.toString()}${lines[next]!.toString("latin1")}`, { hint: RELAY_HINT, quiet: true });
  }
  ctx.scope.transcript.add(reader.label, `got all ${count} of ${sender.name}'s lines, in order, within ${Date.now() - started} ms, while [${slow.label}] read nothing`);
  if (dropped) ctx.scope.transcript.add(reader.label, `got "* ${slow.name} has left" among them: your program dropped [${slow.label}], as it may`);

  // The other way round: the sender must hear the reader at once, a leave notice for the slow member aside.
  const text = "all of it arrived";
  reader.say(text);
  const expected = `[${reader.name}] ${text}`;
  let got = await sender.next();
  if (Buffer.isBuffer(got) && got.equals(leftNotice)) got = await sender.next();
  if (!Buffer.isBuffer(got)) throw await room.silent(sender, got, expected, { hint: SLOW_MEMBER_HINT });
  room.judge(sender, got, expected, { hint: SLOW_MEMBER_HINT });
}

const pad = (n: number) => String(n).padStart(4, "0");

function stalled(room: Room, who: { sender: Member; reader: Member; slow: Member }, got: number, count: number, ending: string): CheckFailure {
  const { sender, reader, slow } = who;
  const what = `got ${got} of ${sender.name}'s ${count} lines (${countBytes(got * LINE_BYTES)} of ${countBytes(count * LINE_BYTES)}), ${ending}, while [${slow.label}] was not reading`;
  room.ctx.scope.transcript.add(reader.label, what);
  return new CheckFailure(`[${reader.label}] ${what}`, {
    expected: [`all ${count} lines without a pause: a member that stops reading must not delay the others`],
    hint: SLOW_MEMBER_HINT,
  });
}
