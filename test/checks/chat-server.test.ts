import { describe, expect, it } from "vitest";
import { knownWrongPrograms, referenceSolutionPasses, type KnownWrong } from "../support/diagnosis.ts";
import { firstFailure, gradeJson } from "../support/run-cli.ts";

const CHECKS = {
  welcome: 'greets a new connection with "Welcome! What is your name?"',
  emptyRoom: 'lets the first member join an empty room: "* in the room:"',
  joinNotices: "announces each newcomer to the members already in the room",
  sorted: "tells a newcomer who is in the room, sorted in byte order",
  relay: 'relays each line to every other member as "[name] text", never back to the sender',
  notJoined: "sends nothing to a client that has not joined, and announces no one who leaves before joining",
  names: 'accepts names of 1 to 16 of A-Z a-z 0-9 _, and refuses others with "error: invalid name"',
  taken: 'refuses a name already in the room with "error: name taken", comparing names exactly',
  carriageReturn: 'drops the "\\r" of lines ending in "\\r\\n", in names and in messages',
  pieces: "relays a line that arrives in pieces, even cut inside a character",
  severalLines: "relays several lines that arrive in one segment, in order",
  leaveOnClose: "announces a member who closes its connection, once, and frees its name",
  leaveOnReset: "announces a member whose connection is reset, and frees its name",
  crowd: "delivers every line among 30 members within 2 s",
  slowMember: "a member that stops reading does not delay the others",
};

describe("chat-server checks", () => {
  referenceSolutionPasses("chat-server", Object.keys(CHECKS).length);

  it("fail the stub at the first check, saying no welcome came and what to send", async () => {
    const { exitCode, report } = await gradeJson("chat-server", []);
    expect(exitCode).toBe(1);
    const failed = firstFailure(report);
    expect(failed.name).toBe(CHECKS.welcome);
    expect(failed.transcript.some((line) => /^\[alice\] connected to 127\.0\.0\.1:\d+/.test(line))).toBe(true);
    expect(failed.message).toMatch(/^\[alice\] got\s+nothing within 1000 ms$/);
    expect(failed.expected).toEqual(['"Welcome! What is your name?\\n"']);
    expect(failed.hint).toContain("as soon as a client connects, write \"Welcome! What is your name?\\n\"");
    expect(failed.output?.lines.some((line) => line.startsWith("a client connected"))).toBe(true);
    expect(report.checks.slice(1).every((c) => c.status === "skipped")).toBe(true);
  });

  const knownWrong: KnownWrong[] = [
    {
      fixture: "chat-server/includes-newcomer.ts",
      check: CHECKS.emptyRoom,
      says: [/\[alice\] got\s+"\* in the room: alice\\n": the list includes the newcomer, alice, itself/, /names the OTHER members/],
    },
    {
      fixture: "chat-server/sequential-accept.py",
      check: CHECKS.joinNotices,
      says: [/\[carol\] got its welcome only after \[bob\] disconnected/, /sequential accept loop/, /thread per client/],
    },
    {
      fixture: "chat-server/unsorted-presence.ts",
      check: CHECKS.sorted,
      says: [/\[Zoe\] got\s+"\* in the room: mike, erin\\n": the names are in the order the members joined, not sorted/, /"\* in the room: erin, mike\\n"/, /sorted\(members\)/],
    },
    {
      fixture: "chat-server/locale-sort.ts",
      check: CHECKS.sorted,
      says: [/\[Ben\] got\s+"\* in the room: erin, mike, Zoe\\n": the names are sorted ignoring case/, /"\* in the room: Zoe, erin, mike\\n"/, /byte order/, /names\.sort\(\) with no comparator/],
    },
    {
      fixture: "chat-server/echoes-to-sender.ts",
      check: CHECKS.relay,
      says: [/\[frank\] got\s+"\[frank\] hello, everyone: [^"]*\\n": \[frank\]'s own line, sent back to it/, /"\[grace\] hi frank! ça va\? ☕\\n"/, /skip the sender/, /if conn is not sender/],
    },
    {
      fixture: "chat-server/broadcasts-to-unjoined.ts",
      check: CHECKS.notJoined,
      says: [/\[kim\] got\s+"\[ivan\] is anyone new here\?\\n": meant for the members of the room, but \[kim\] has not sent its name yet/, /in the name step, not when it connects/],
    },
    {
      fixture: "chat-server/unicode-word-names.py",
      check: CHECKS.names,
      says: [/\[guest-5\] sent\s+"zoë\\n"/, /\[guest-5\] got\s+"\* in the room: [^"]*": "zoë" has a letter outside A-Z a-z \("ë"\): names are ASCII only/, /expected "error: invalid name\\n"|"error: invalid name\\n"/, /Python's \\w/, /re\.ASCII/],
    },
    {
      fixture: "chat-server/allows-duplicate-names.ts",
      check: CHECKS.taken,
      says: [/\[impostor\] sent\s+"oscar\\n"/, /a second "oscar" was let in while \[oscar\] is in the room/, /"error: name taken\\n"/, /members\.has\(name\)/],
    },
    {
      fixture: "chat-server/keeps-carriage-return.ts",
      check: CHECKS.carriageReturn,
      says: [/\[sybil\] got\s+"error: invalid name\\n": the name line "sybil\\r\\n" was refused: the "\\r" before the "\\n" was taken as part of the name/, /drop a "\\r" right before the "\\n"/],
    },
    {
      fixture: "chat-server/chunk-is-a-line.ts",
      check: CHECKS.pieces,
      says: [/\[trent\] sent\s+"hel"/, /\[uma\] got\s+"\[trent\] hel\\n": the first piece of the line, relayed before the rest of it had arrived/, /one 'data' event \(one recv\) is not one line/],
    },
    {
      fixture: "chat-server/if-not-while.ts",
      check: CHECKS.severalLines,
      says: [/\[walter\] sent\s+"one\\ntwo\\n"/, /\[xena\] got\s+nothing within 1000 ms/, /"\[walter\] two\\n"/, /while, not if/],
    },
    {
      fixture: "chat-server/leave-twice.ts",
      check: CHECKS.leaveOnClose,
      says: [/\[bea\] closed the connection/, /\[amir\] got\s+"\* bea has left\\n": a second leave notice for bea, who had left already/, /"\[chen\] is bea gone\?\\n"/, /'close' fires exactly once/],
    },
    {
      fixture: "chat-server/never-frees-name.ts",
      check: CHECKS.leaveOnClose,
      says: [/\[bea-again\] got\s+"error: name taken\\n": "bea" is still taken, though the member of that name left/, /members\.delete\(name\)/],
    },
    {
      fixture: "chat-server/leave-on-end-only.ts",
      check: CHECKS.leaveOnReset,
      says: [/\[eve\] reset the connection \(RST\)/, /\[dara\] got\s+nothing within 1000 ms/, /"\* eve has left\\n"/, /never 'end'/, /ConnectionResetError/],
    },
    {
      fixture: "chat-server/no-error-handler.ts",
      check: CHECKS.leaveOnReset,
      says: [/your program exited with code 1 after \[eve\] reset its connection/, /read ECONNRESET/, /socket\.on\('error'/],
    },
    {
      fixture: "chat-server/thread-pool-20.py",
      check: CHECKS.crowd,
      says: [/got its welcome only after the 20 clients connected before it disconnected/, /at most 20 clients at once/, /a pool with a fixed number of workers/],
    },
    {
      fixture: "chat-server/blocks-on-drain.ts",
      check: CHECKS.slowMember,
      says: [/\[dora\] stops reading/, /\[gus\] got \d+ of hana's \d+ lines \([\d,]+ bytes of [\d,]+ bytes\), then nothing more within 1000 ms, while \[dora\] was not reading/, /without awaiting 'drain'/, /writableLength/],
    },
    {
      fixture: "chat-server/global-lock-sendall.py",
      check: CHECKS.slowMember,
      says: [/\[gus\] got \d+ of hana's \d+ lines .*, then nothing more within 1000 ms, while \[dora\] was not reading/, /never hold a lock around sendall\(\)/],
    },
  ];
  knownWrongPrograms("chat-server", knownWrong);
});
