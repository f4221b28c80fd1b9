import { CheckFailure, quoteBytes } from "../../harness/index.ts";
import type { Member, Silence } from "./member.ts";
import { CROWD_HINT } from "./hints.ts";
import type { Room } from "./room.ts";

/**
 * Every member of `crowd` sends its line at once; each must read the lines of
 * all the others within `withinMs`, in any order (only one member's own lines
 * have an order). The transcript keeps the sends and a summary, not the
 * hundreds of lines read.
 */
export async function expectAllHearAll(room: Room, crowd: Member[], texts: Map<Member, string>, withinMs: number): Promise<void> {
  const started = Date.now();
  const deadline = started + withinMs;
  for (const member of crowd) member.say(texts.get(member)!);
  const due = new Map(crowd.map((member) => [member, new Set(crowd.filter((other) => other !== member).map((other) => `[${other.name}] ${texts.get(other)!}`))]));
  const silences = new Map<Member, Silence>();
  await Promise.all(
    crowd.map(async (member) => {
      const lines = due.get(member)!;
      while (lines.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return;
        const got = await member.next({ timeoutMs: left, quiet: true });
        if (!Buffer.isBuffer(got)) {
          silences.set(member, got);
          return;
        }
        if (!lines.delete(got.toString("utf8"))) room.judge(member, got, [...lines][0]!, { hint: CROWD_HINT, quiet: true });
      }
    }),
  );
  const behind = crowd.find((member) => due.get(member)!.size > 0);
  if (!behind) {
    room.ctx.scope.transcript.add("grader", `each of the ${crowd.length} members got the lines of the ${crowd.length - 1} others, within ${Date.now() - started} ms`);
    return;
  }
  const missing = [...due.get(behind)!];
  const silence = silences.get(behind);
  if (silence && silence.kind !== "timeout") throw await room.silent(behind, silence, missing[0]!, { hint: CROWD_HINT });
  const others = crowd.length - 1;
  const stragglers = crowd.filter((member) => due.get(member)!.size > 0).length;
  room.ctx.scope.transcript.add(behind.label, `got ${others - missing.length} of the ${others} lines within ${withinMs} ms`);
  throw new CheckFailure(`[${behind.label}] got ${others - missing.length} of the other ${others} members' lines within ${withinMs} ms`, {
    details: [
      `still missing, among others: ${missing.slice(0, 4).map((line) => quoteBytes(`${line}\n`)).join(", ")}`,
      ...(stragglers > 1 ? [`${stragglers} of the ${crowd.length} members were missing lines`] : []),
    ],
    expected: [`every line to reach all ${others} other members within ${withinMs} ms`],
    hint: CROWD_HINT,
  });
}
