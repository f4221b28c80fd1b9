import { check, gradeExercise, type CheckContext, type SeededRandom } from "../harness/index.ts";
import { LossyServer, type Fate } from "./udp-reliable-client/lossy-server.ts";
import { judgeRun } from "./udp-reliable-client/verdict.ts";

gradeExercise("udp-reliable-client");

/** Long enough for a few lost datagrams at 200 ms each; short, so a client that never retransmits is caught fast. */
const RUN_LIMIT_MS = 3000;
/** 10 tries of 200 ms take 2 s; the contract allows 5 s. */
const GIVE_UP_LIMIT_MS = 5000;

const WORDS = ["ping", "datagram", "socket", "packet", "retry", "port", "echo", "timeout"];
const PHRASES = ["hello world", "are you there?", "one more time", "lost and found", "two  spaces"];

/**
 * Messages for a check: "hello" first (so a failure reads the same in every
 * seed), then seeded words and one phrase with spaces, since each argument
 * is one message, spaces and all.
 */
function pickMessages(random: SeededRandom, count: number): string[] {
  const words = random.shuffle([...WORDS]);
  const messages = ["hello", random.pick(PHRASES), ...words.slice(0, count - 2)];
  return messages.slice(0, count);
}

/** Texts the client cannot guess: each message backwards and a seeded number, unique in the check. */
function makeTexts(random: SeededRandom, messages: string[]): string[] {
  const used = new Set<number>();
  return messages.map((message) => {
    let number = random.int(1000, 9999);
    while (used.has(number)) number = random.int(1000, 9999);
    used.add(number);
    return `${[...message].reverse().join("")} #${number}`;
  });
}

/** Runs the learner's client against a server that treats each try as `plan` says, then judges the run. */
async function runAgainst(ctx: CheckContext, messages: string[], plan: (i: number, tryNumber: number) => Fate, givesUpOn?: number): Promise<void> {
  const texts = makeTexts(ctx.random, messages);
  const server = await LossyServer.open(ctx, messages, texts, plan);
  try {
    const timeoutMs = givesUpOn === undefined ? RUN_LIMIT_MS : GIVE_UP_LIMIT_MS;
    const run = await ctx.run(messages, { env: { HOST: "127.0.0.1", PORT: String(server.port) }, timeoutMs });
    judgeRun(run, server, { messages, texts, timeoutMs, ...(givesUpOn === undefined ? {} : { givesUpOn }) });
  } finally {
    server.close();
  }
}

check("sends each message and prints the replies, in order", async (ctx) => {
  await runAgainst(ctx, pickMessages(ctx.random, 3), () => "reply");
});

check("retransmits after 200 ms when a request or its reply is lost", async (ctx) => {
  // The first try of message 0 never reaches the server; the reply to the first try of message 1 never comes back.
  const lost: Record<number, Fate> = { 0: "drop-request", 1: "drop-reply" };
  await runAgainst(ctx, pickMessages(ctx.random, 3), (i, tryNumber) => (tryNumber === 1 ? (lost[i] ?? "reply") : "reply"));
});

check("ignores a duplicate reply that comes after the client moved on", async (ctx) => {
  // Message 0 is answered at once and again 60 ms later; message 1's reply takes 120 ms, so
  // the duplicate of reply 0 arrives while the client waits for reply 1.
  const fates: Fate[] = ["duplicate", "slow", "reply"];
  await runAgainst(ctx, pickMessages(ctx.random, 3), (i) => fates[i] ?? "reply");
});

check('gives up after 10 tries: "error: no reply for <i>" and exit code 1', async (ctx) => {
  // Message 0 is answered; then the server goes silent, so the client must give up on message 1.
  await runAgainst(ctx, pickMessages(ctx.random, 3), (i) => (i === 0 ? "reply" : "drop-request"), 1);
});
