import type { Member } from "./member.ts";
import {
  ASCII_NAME_HINT,
  CASE_HINT,
  CR_HINT,
  ECHO_HINT,
  FREE_NAME_HINT,
  JOIN_HINT,
  JOIN_ORDER_HINT,
  LEAVE_ONCE_HINT,
  NAME_RULE_HINT,
  NOT_JOINED_HINT,
  NOT_JOINED_LEAVE_HINT,
  ONE_CHUNK_HINT,
  PRESENCE_HINT,
  SELF_IN_LIST_HINT,
  SEVERAL_LINES_HINT,
  SORT_HINT,
  SPLIT_CHAR_HINT,
} from "./hints.ts";

/** Why a line is wrong, in a few words, and what to do about it. */
export interface Diagnosis {
  why: string;
  hint: string;
}

/** What a verdict needs to know of the room. */
export interface RoomHistory {
  /** Whether a member of that name joined during this check (it may have left since). */
  everJoined(name: string): boolean;
  /** Whether a member of that name joined and then left. */
  departed(name: string): boolean;
  /** The names in the room now, in the order they joined. */
  names(): string[];
}

export const PRESENCE_PREFIX = "* in the room:";

/** The line a newcomer should get, given the names of the others. */
export function presenceLine(others: string[]): string {
  const sorted = [...others].sort(byteOrder);
  return sorted.length === 0 ? PRESENCE_PREFIX : `${PRESENCE_PREFIX} ${sorted.join(", ")}`;
}

export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The mistakes a wrong line most often shows, whatever was expected: a
 * member's own line sent back, a line to a client not in the room, a leave
 * told twice, a "\r" kept, a character broken in two, a line cut short.
 */
export function explainLine(member: Member, got: string, expected: string, room: RoomHistory): Diagnosis | undefined {
  const relayed = /^\[([^\]]*)\] (.*)$/s.exec(got);
  if (relayed && relayed[1] === member.name && member.said.has(relayed[2]!)) {
    return { why: `[${member.label}]'s own line, sent back to it`, hint: ECHO_HINT };
  }
  const notice = /^\* (.*) has (joined|left)$/s.exec(got);
  if (!member.joined && (relayed || notice)) {
    return { why: `meant for the members of the room, but [${member.label}] has not sent its name yet`, hint: NOT_JOINED_HINT };
  }
  if (notice && notice[2] === "joined" && notice[1] === member.name) {
    return { why: `a notice of [${member.label}]'s own joining: the newcomer gets the list of the others, and only the others are told it joined`, hint: JOIN_HINT };
  }
  if (notice && notice[2] === "left" && member.sawLeave.has(notice[1]!)) {
    return { why: `a second leave notice for ${notice[1]}, who had left already`, hint: LEAVE_ONCE_HINT };
  }
  const due = /^\* (.*) has (joined|left)$/s.exec(expected);
  if (notice && !room.everJoined(notice[1]!) && notice[1] !== due?.[1]) {
    if (due && notice[2] === "joined" && due[2] === "joined" && due[1]!.startsWith(notice[1]!)) {
      return { why: `the name cut short: "${notice[1]}" is the first piece of the name line "${due[1]}\\n"`, hint: ONE_CHUNK_HINT };
    }
    return { why: `a notice about "${notice[1]}", a client that never joined the room`, hint: NOT_JOINED_LEAVE_HINT };
  }
  if (got === `${expected}\r`) return { why: 'the "\\r" of a "\\r\\n" line end was kept', hint: CR_HINT };
  if (got.includes("\uFFFD") && !expected.includes("\uFFFD")) {
    return { why: 'a character cut between two segments came out as U+FFFD, the replacement character (the bytes "\\xef\\xbf\\xbd")', hint: SPLIT_CHAR_HINT };
  }
  const sender = /^(\[[^\]]*\] )(.*)$/s.exec(expected);
  if (sender && got.length < expected.length && got.startsWith(sender[1]!) && expected.startsWith(got)) {
    return { why: "the first piece of the line, relayed before the rest of it had arrived", hint: ONE_CHUNK_HINT };
  }
  if (sender && got === sender[2]) {
    return { why: `the line without "${sender[1]}" in front: it reached the others inside the line before it`, hint: SEVERAL_LINES_HINT };
  }
  return undefined;
}

/** A presence line that differs from the expected one: which names, in which order. */
export function explainPresence(got: string, newcomer: string, room: RoomHistory): Diagnosis | undefined {
  if (!got.startsWith(PRESENCE_PREFIX)) return undefined;
  if (got === `${PRESENCE_PREFIX} `) return { why: 'a space at the end: alone, the line is "* in the room:" with nothing after the colon', hint: PRESENCE_HINT };
  const listed = got === PRESENCE_PREFIX ? [] : got.slice(PRESENCE_PREFIX.length + 1).split(", ");
  const others = room.names();
  if (listed.includes(newcomer) && !others.includes(newcomer)) {
    return { why: `the list includes the newcomer, ${newcomer}, itself`, hint: SELF_IN_LIST_HINT };
  }
  const same = listed.length === others.length && [...listed].sort(byteOrder).join() === [...others].sort(byteOrder).join();
  if (!same) return { why: `it names ${listed.length === 0 ? "no one" : listed.join(", ")}, but the room holds ${others.length === 0 ? "no one else" : others.join(", ")}`, hint: PRESENCE_HINT };
  if (listed.join() === others.join()) return { why: "the names are in the order the members joined, not sorted", hint: JOIN_ORDER_HINT };
  if (listed.join() === [...others].sort((a, b) => a.localeCompare(b)).join() || listed.join() === [...others].sort(caseless).join()) {
    return { why: "the names are sorted ignoring case (as localeCompare or str.lower do), not in byte order", hint: SORT_HINT };
  }
  return { why: "the names are not sorted in byte order", hint: SORT_HINT };
}

function caseless(a: string, b: string): number {
  return byteOrder(a.toLowerCase(), b.toLowerCase());
}

/** An "error: ..." line where the newcomer expected to join. */
export function explainRefusal(got: string, name: string, nameLine: string, room: RoomHistory): Diagnosis | undefined {
  if (got === "error: invalid name" && nameLine.endsWith("\r\n")) {
    return { why: `the name line ${JSON.stringify(nameLine)} was refused: the "\\r" before the "\\n" was taken as part of the name`, hint: CR_HINT };
  }
  if (got === "error: invalid name") return { why: `"${name}" is a valid name: 1 to 16 of A-Z a-z 0-9 _`, hint: NAME_RULE_HINT };
  if (got !== "error: name taken") return undefined;
  if (room.names().includes(name)) return undefined;
  const other = room.names().find((n) => n.toLowerCase() === name.toLowerCase());
  if (other) return { why: `"${name}" was refused because "${other}" is in the room, but names are compared exactly, case included`, hint: CASE_HINT };
  if (room.departed(name)) return { why: `"${name}" is still taken, though the member of that name left`, hint: FREE_NAME_HINT };
  return { why: `no one called "${name}" is in the room`, hint: FREE_NAME_HINT };
}

/** Why the name the server accepted is invalid. */
export function whyInvalid(name: string): Diagnosis {
  if (name === "") return { why: "an empty line is no name", hint: NAME_RULE_HINT };
  if (/[^\x00-\x7f]/.test(name)) return { why: `"${name}" has a letter outside A-Z a-z ("${[...name].find((c) => c > "\x7f")}"): names are ASCII only`, hint: ASCII_NAME_HINT };
  if (name.length > 16) return { why: `"${name}" has ${name.length} characters, more than 16`, hint: NAME_RULE_HINT };
  const bad = [...name].find((c) => !/[A-Za-z0-9_]/.test(c));
  const called = bad === " " ? "a space" : bad === "-" ? "a hyphen" : `"${bad}"`;
  return { why: `"${name}" has ${called}, which is not one of A-Z a-z 0-9 _`, hint: NAME_RULE_HINT };
}
