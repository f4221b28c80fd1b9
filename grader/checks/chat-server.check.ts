/**
 * chat-server: a chat room over TCP, one line at a time. The grader's
 * clients are members with readable names (alice, bob, ...), and the
 * transcript is labelled with them. Every action reads at once the line
 * each member is due (chat-server/room.ts), so a wrong or missing line fails
 * at the step that caused it, and chat-server/verdict.ts names the likely
 * bug: a line sent back to its sender, a list not in byte order, a leave told
 * twice, a chunk taken for a line, ...
 *
 * "Nothing" is checked without waiting for a timeout wherever the order of
 * lines allows it: a line sent back to its sender would arrive before the
 * next line that member is due, and a line sent to a client that has not
 * joined would arrive before its "* in the room:" line.
 *
 * Each check ends by closing its clients politely and waiting for the
 * program to close their connections, so the next check starts from an
 * empty room (its "* in the room:" lines rely on that). And no two checks
 * use the same name, so a program that never frees a name fails only at
 * the check that says so.
 *
 * Decisions (notes/decisions-chat-lb-tls.md; lessons/09-chat.md says the
 * same): names match /^[A-Za-z0-9_]{1,16}$/ and are compared exactly; the
 * list is sorted in byte order; a slow member may be kept or dropped (the
 * others then read "* <name> has left"), as long as the others are not
 * delayed: with it not reading, 6 MiB of 8 KiB lines (more than the kernel
 * buffers for it) must reach another member without a 1 s pause.
 */
import { check, cutInsideCharacters, gradeExercise } from "../harness/index.ts";
import { expectAllHearAll } from "./chat-server/crowd.ts";
import { LONG_LINE_HINT, NAME_RULE_HINT, SEVERAL_LINES_HINT, TAKEN_HINT } from "./chat-server/hints.ts";
import { inRoom } from "./chat-server/room.ts";
import { expectNoStallBehind } from "./chat-server/slow-member.ts";
import { whyInvalid } from "./chat-server/verdict.ts";

gradeExercise("chat-server");

const WORDS = ["socket", "packet", "stream", "router", "latency", "buffer", "thread", "select", "kernel", "backlog"];

/** Thirty readable names for the crowd check, none used by another check. */
const CROWD = ["anna", "boris", "clara", "dmitri", "elena", "felix", "gina", "hugo", "iris", "jonas", "karla", "lars", "mona", "nils", "olga", "pablo", "rosa", "sven", "tara", "ugo", "vera", "wim", "xavi", "yara", "zeno", "abel", "bruno", "cora", "dino", "ella"];

check('greets a new connection with "Welcome! What is your name?"', (ctx) =>
  inRoom(ctx, async (room) => {
    await room.arrive("alice");
  }),
);

check('lets the first member join an empty room: "* in the room:"', (ctx) =>
  inRoom(ctx, async (room) => {
    await room.join("alice");
  }),
);

check("announces each newcomer to the members already in the room", (ctx) =>
  inRoom(ctx, async (room) => {
    for (const name of ["bob", "carol", "dave"]) await room.join(name);
  }),
);

check("tells a newcomer who is in the room, sorted in byte order", (ctx) =>
  inRoom(ctx, async (room) => {
    // Joined in no order at all; in byte order they are "Ben", "Zoe", "erin", "mike".
    for (const name of ["mike", "erin", "Zoe", "Ben", "kate"]) await room.join(name);
  }),
);

check('relays each line to every other member as "[name] text", never back to the sender', (ctx) =>
  inRoom(ctx, async (room) => {
    const frank = await room.join("frank");
    const grace = await room.join("grace");
    const heidi = await room.join("heidi");
    // A line sent back to its sender would come before the next line it is due.
    await room.say(frank, `hello, everyone: any news about the ${ctx.random.pick(WORDS)}?`);
    await room.say(grace, "hi frank! ça va? ☕");
    await room.say(heidi, "I am here too");
    await room.say(frank, "bye for now");
    await room.say(grace, "see you");
  }),
);

check("sends nothing to a client that has not joined, and announces no one who leaves before joining", (ctx) =>
  inRoom(ctx, async (room) => {
    const ivan = await room.join("ivan");
    const judy = await room.join("judy");
    // kim is welcomed, then keeps quiet for a while: she is not in the room yet.
    const kim = await room.arrive("kim");
    await room.say(ivan, "is anyone new here?");
    await room.join("leo");
    await room.say(judy, `welcome, leo: we talk about the ${ctx.random.pick(WORDS)}`);
    // mallory leaves before giving a name: no one is told.
    const mallory = await room.arrive("mallory");
    await mallory.hangUp();
    // Anything sent to kim so far comes before her list of the room.
    await room.enter(kim);
    await room.say(kim, "hello, all");
  }),
);

check('accepts names of 1 to 16 of A-Z a-z 0-9 _, and refuses others with "error: invalid name"', (ctx) =>
  inRoom(ctx, async (room) => {
    for (const name of ["x", "Ada_Lovelace_815", "_007"]) await room.join(name);
    const invalid = ["", "Grace_Hopper_1906", "bob smith", "mary-jane", "zoë"];
    for (const [i, name] of invalid.entries()) {
      await room.expectRefused(`guest-${i + 1}`, `${name}\n`, "invalid name", { hint: NAME_RULE_HINT, accepted: whyInvalid(name) });
    }
    // The members were told of none of them: their next line is about nina.
    await room.join("nina");
  }),
);

check('refuses a name already in the room with "error: name taken", comparing names exactly', (ctx) =>
  inRoom(ctx, async (room) => {
    await room.join("oscar");
    const peggy = await room.join("peggy");
    await room.expectRefused("impostor", "oscar\n", "name taken", { hint: TAKEN_HINT, accepted: { why: 'a second "oscar" was let in while [oscar] is in the room', hint: TAKEN_HINT } });
    await room.join("Oscar");
    await room.say(peggy, "two of you now");
  }),
);

check('drops the "\\r" of lines ending in "\\r\\n", in names and in messages', (ctx) =>
  inRoom(ctx, async (room) => {
    const quinn = await room.join("quinn");
    await room.join("rupert");
    const sybil = await room.arrive("sybil");
    await room.enter(sybil, { pieces: [Buffer.from("sybil\r\n")] });
    await room.say(sybil, "hi there", { raw: [Buffer.from("hi there\r\n")] });
    await room.say(quinn, "hello, sybil", { raw: [Buffer.from("hello, sybil\r\n")] });
  }),
);

check("relays a line that arrives in pieces, even cut inside a character", (ctx) =>
  inRoom(ctx, async (room) => {
    const trent = await room.join("trent");
    const uma = await room.join("uma");
    await room.say(trent, "hello, world", { raw: ["hel", "lo, wor", "ld\n"].map((piece) => Buffer.from(piece)) });
    const text = "grüße aus Köln 😀";
    await room.say(uma, text, { raw: cutInsideCharacters(`${text}\n`), describe: `${JSON.stringify(`${text}\n`)} in ${cutInsideCharacters(`${text}\n`).length} pieces, each cut inside a character` });
    const long = Array.from({ length: 2400 }, () => ctx.random.pick(WORDS)).join(" ").slice(0, 16 * 1024 - 1);
    await room.say(trent, long, { raw: [Buffer.from(`${long}\n`)], describe: `a line of 16,384 bytes (random words), "\\n" included`, hint: LONG_LINE_HINT });
    // The name line, too, may come in pieces.
    const victor = await room.arrive("victor");
    await room.enter(victor, { pieces: [Buffer.from("vic"), Buffer.from("tor\n")] });
  }),
);

check("relays several lines that arrive in one segment, in order", (ctx) =>
  inRoom(ctx, async (room) => {
    const walter = await room.join("walter");
    const xena = await room.join("xena");
    await room.say(walter, ["one", "two"], { hint: SEVERAL_LINES_HINT });
    await room.say(xena, ["three", "four"], { raw: [Buffer.from("three\nfo"), Buffer.from("ur\n")], hint: SEVERAL_LINES_HINT });
    // A name and a first message in one segment.
    const yuri = await room.arrive("yuri");
    const first = "hi, I am new";
    await room.enter(yuri, { pieces: [Buffer.from(`yuri\n${first}\n`)] });
    yuri.said.add(first);
    for (const other of [walter, xena]) await room.expect(other, `[yuri] ${first}`, { hint: SEVERAL_LINES_HINT });
  }),
);

check("announces a member who closes its connection, once, and frees its name", (ctx) =>
  inRoom(ctx, async (room) => {
    await room.join("amir");
    const bea = await room.join("bea");
    const chen = await room.join("chen");
    await room.leave(bea, "close");
    // A second "* bea has left" would come before chen's line.
    await room.say(chen, "is bea gone?");
    const back = await room.arrive("bea", { label: "bea-again" });
    await room.enter(back);
  }),
);

check("announces a member whose connection is reset, and frees its name", (ctx) =>
  inRoom(ctx, async (room) => {
    const dara = await room.join("dara");
    const eve = await room.join("eve");
    await room.join("finn");
    await room.leave(eve, "reset");
    const back = await room.arrive("eve", { label: "eve-again" });
    await room.enter(back);
    await room.say(dara, "welcome back, eve");
  }),
);

check("delivers every line among 30 members within 2 s", (ctx) =>
  inRoom(ctx, async (room) => {
    const crowd = [];
    for (const name of CROWD) crowd.push(await room.join(name, { quiet: true }));
    ctx.scope.transcript.add("grader", `all ${CROWD.length} joined; each got the list of the room and a notice for each member after it`);
    const texts = new Map(crowd.map((member) => [member, `hello from ${member.name}, about the ${ctx.random.pick(WORDS)}`]));
    await expectAllHearAll(room, crowd, texts, 2000);
  }),
);

check("a member that stops reading does not delay the others", (ctx) =>
  inRoom(ctx, async (room) => {
    const hana = await room.join("hana");
    const gus = await room.join("gus");
    const dora = await room.join("dora");
    await expectNoStallBehind(room, { sender: hana, reader: gus, slow: dora, random: ctx.random });
  }),
);
