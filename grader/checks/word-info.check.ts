import { check, gradeExercise, CheckFailure, describeDifference, quoteBytes, type TcpClient, cutInsideCharacters, sendInPieces, expectServedAlongside } from "../harness/index.ts";

gradeExercise("word-info");

const ANSWER_HINT =
  'answer every line with "<n> <c>\\n": the number of characters in the word and its first character ("hello" gets "5 h"), on the same connection, and keep the connection open for the next word.';
const BYTES_HINT =
  'count characters, not bytes: UTF-8 takes 2 to 4 bytes for a character outside ASCII ("é" is 2, "😀" is 4). Decode the line first, then count: len(line.decode("utf-8")) in Python, [...text].length in Node.';
const UTF16_HINT =
  "count code points, not UTF-16 units: a JavaScript string's .length counts an emoji as 2, and text[0] is half of it. Use [...text].length and [...text][0] (or Array.from(text)), which walk the string by code points.";
const EMPTY_HINT = 'an empty line (nothing before the "\\n") gets "error: empty word"; the connection stays open for the next word.';
const PIECES_HINT =
  `one 'data' event (one recv) is not one word: TCP delivers a stream, in chunks of any size. Keep each connection's bytes until a "\\n" arrives, and decode whole lines, so a character split between chunks is not broken.`;
const SEVERAL_HINT = 'one chunk may hold several words, and the start of the next: split the buffer at every "\\n", answer each complete word in order, and keep the rest for later.';
const CR_HINT = 'a line may end in "\\r\\n" (nc -C, telnet, Windows tools): drop a "\\r" right before the "\\n" before counting, so "word\\r\\n" is the word "word".';
const WHOLE_LINE_HINT = 'the whole line is the word, spaces and all: "ice cream" is 9 characters. Do not split the line at spaces, and answer each line once.';
const SHARED_BUFFER_HINT =
  "give every connection its own buffer: declare it inside the 'connection' callback (Python: a local variable in the thread that serves one client), never at the top of the file, where every client's bytes end up in the same place.";

check("answers a word with its length and first character", async ({ tcp }) => {
  const client = await tcp();
  for (const word of ["hello", "socket"]) {
    client.send(`${word}\n`);
    await expectAnswer(client, word, { hint: ANSWER_HINT });
  }
});

check("counts characters (code points), not bytes or UTF-16 units", async ({ tcp }) => {
  const client = await tcp();
  for (const word of ["héllo", "日本語", "😀", "🎉party"]) {
    client.send(`${word}\n`);
    await expectAnswer(client, word, { hint: UTF16_HINT });
  }
});

check('answers an empty line with "error: empty word"', async ({ tcp }) => {
  const client = await tcp();
  client.send("\n");
  await expectAnswer(client, "", { hint: EMPTY_HINT });
  client.send("ok\n");
  await expectAnswer(client, "ok", { hint: EMPTY_HINT });
});

check("answers a word that arrives in pieces", async ({ tcp }) => {
  const client = await tcp();
  await sendInPieces(client, [...Buffer.from("Grüße\n")].map((byte) => Buffer.from([byte])));
  await expectAnswer(client, "Grüße", { hint: PIECES_HINT });
  await sendInPieces(client, cutInsideCharacters("tschüß 👋\n"));
  await expectAnswer(client, "tschüß 👋", { hint: PIECES_HINT });
});

check("answers several words sent in one segment, in order", async ({ tcp }) => {
  const client = await tcp();
  await sendInPieces(client, [Buffer.from("one\ntwo\nsix"), Buffer.from("teen\nfour\n")]);
  for (const word of ["one", "two", "sixteen", "four"]) await expectAnswer(client, word, { hint: SEVERAL_HINT });
});

check('drops a "\\r" before the "\\n"', async ({ tcp }) => {
  const client = await tcp();
  client.send("word\r\n");
  await expectAnswer(client, "word", { hint: CR_HINT, sentCr: true });
  client.send("\r\n");
  await expectAnswer(client, "", { hint: CR_HINT, sentCr: true });
});

check("takes the whole line as the word, spaces included", async ({ tcp }) => {
  const client = await tcp();
  client.send("ice cream\n");
  await expectAnswer(client, "ice cream", { hint: WHOLE_LINE_HINT });
  client.send("x\n");
  await expectAnswer(client, "x", { hint: WHOLE_LINE_HINT });
});

/** Each client's words begin with its own letter, so an answer mixed from two clients shows whose word got in. */
const WORDS = [
  ["apple", "apricot", "açaí", "almond", "anise"],
  ["banana", "brûlée", "basil", "blueberry", "bagel"],
  ["cherry", "crème", "cinnamon", "coconut", "clove"],
  ["date", "durian", "dill", "dragée", "damson"],
];

check("serves four clients sending words at once, each its own answers in order", async ({ tcp, random }) => {
  const clients = await Promise.all(WORDS.map(() => tcp()));
  const initials = new Map(clients.map((client, i) => [WORDS[i]![0]![0]!, client.label]));
  for (let round = 0; round < 3; round++) {
    const plans = random.shuffle(
      clients.map((client, i) => {
        const next = random.pick(WORDS[i]!);
        return { client, whole: random.pick(WORDS[i]!), next, cut: random.int(1, [...next].length - 1) };
      }),
    );
    // Every client sends a whole word and the start of its next one; the rest
    // of that word comes only once all the others have sent theirs.
    for (const { client, whole, next, cut } of plans) client.send(`${whole}\n${[...next].slice(0, cut).join("")}`);
    for (const { client, whole, next, cut } of plans) {
      await expectServedAlongside(client, clients, () => expectAnswer(client, whole, { hint: SHARED_BUFFER_HINT, initials }));
      client.send(`${[...next].slice(cut).join("")}\n`);
      await expectAnswer(client, next, { hint: SHARED_BUFFER_HINT, initials });
    }
  }
});

interface AnswerOptions {
  hint: string;
  /** The word was sent with "\r\n": an answer that counts the "\r" kept it. */
  sentCr?: boolean;
  /** When several clients talk at once: the letter each one's words begin with, and its label. */
  initials?: Map<string, string>;
}

function answerFor(word: string): string {
  if (word === "") return "error: empty word";
  const characters = [...word];
  return `${characters.length} ${characters[0]}`;
}

/** Reads one answer and compares it with the right one for `word`; a wrong answer gets its likely cause named. */
async function expectAnswer(client: TcpClient, word: string, options: AnswerOptions): Promise<void> {
  const expected = answerFor(word);
  const got = await client.readLine({ expected, hint: options.hint });
  if (got === expected) return;
  const want = Buffer.from(`${expected}\n`);
  const have = Buffer.from(`${got}\n`);
  const { why, hint } = diagnose(word, got, client.label, options);
  throw new CheckFailure(`[${client.label}] got   ${quoteBytes(have)}: ${why}`, {
    expected: [`${quoteBytes(want)} for ${quoteBytes(word)}`, ...(describeDifference(want, have)?.split("\n") ?? [])],
    hint,
  });
}

function diagnose(word: string, got: string, label: string, options: AnswerOptions): { why: string; hint: string } {
  if (word === "") {
    if (options.sentCr && /^1 /.test(got)) return { why: 'the "\\r" was counted as a one-character word', hint: CR_HINT };
    return { why: "an empty line is not a word", hint: EMPTY_HINT };
  }
  const answer = /^(\d+) (.*)$/su.exec(got);
  if (!answer) return { why: 'not of the form "<n> <c>" (a number, one space, a character)', hint: options.hint };
  const count = Number(answer[1]);
  const first = answer[2]!;
  const characters = [...word];
  const from = options.initials?.get(first);
  if (from !== undefined && from !== label) {
    return { why: `the answer to a word mixed from two clients: "${first}" begins the words of [${from}], and [${label}] sent "${word}"`, hint: SHARED_BUFFER_HINT };
  }
  if (count !== characters.length) {
    const bytes = Buffer.byteLength(word);
    if (count === bytes) return { why: `${count} is the number of bytes of "${word}" in UTF-8, not of its characters (${characters.length})`, hint: BYTES_HINT };
    if (count === word.length) {
      const half = first === "\uFFFD" && characters[0]!.length === 2 ? `, and U+FFFD ("\\xef\\xbf\\xbd") stands for half of "${characters[0]}"` : "";
      return { why: `${count} is the number of UTF-16 units of "${word}" (JavaScript's .length), not of its characters (${characters.length})${half}`, hint: UTF16_HINT };
    }
    if (options.sentCr && count === characters.length + 1) return { why: 'the "\\r" before the "\\n" was counted as a character', hint: CR_HINT };
    if (options.initials) return { why: `the answer to a word mixed with another client's bytes: [${label}] sent "${word}", ${characters.length} characters`, hint: SHARED_BUFFER_HINT };
    if (word.includes(" ")) return { why: `"${word}" has ${characters.length} characters, counting the spaces`, hint: options.hint };
    return { why: `"${word}" has ${characters.length} characters`, hint: options.hint };
  }
  if (first === "\uFFFD" && characters[0]!.length === 2) {
    return { why: `half of "${characters[0]}" (one UTF-16 unit, which cannot be encoded alone and became U+FFFD) instead of the whole character`, hint: UTF16_HINT };
  }
  if (first === "\uFFFD") return { why: `the first byte of "${characters[0]}" instead of the whole character`, hint: BYTES_HINT };
  return { why: `the first character of "${word}" is "${characters[0]}"`, hint: options.hint };
}
