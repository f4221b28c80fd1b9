import { check, gradeExercise, CheckFailure, countBytes, describeDifference, quoteBytes, type SeededRandom, type TcpClient, cutInsideCharacters, sendInPieces, expectServedAlongside } from "../harness/index.ts";

gradeExercise("uppercase-server");

const UPPER_HINT = 'answer every line with line.toUpperCase() + "\\n" (Python: line.upper() + "\\n"), on the same connection, and keep the connection open for the next line.';
const UNICODE_HINT =
  "upper-case text, not bytes: decode the line as UTF-8, then text.toUpperCase() in Node or text.upper() in Python. Both apply Unicode's default case mapping, where one character may become two (ß becomes SS).";
const ASCII_HINT =
  'only a-z were upper-cased: that is what bytes.upper() in Python (or a hand-made a-z table) does. Decode the line first and upper-case the text: line.decode("utf-8").upper() in Python, text.toUpperCase() in Node.';
const ONE_RECV_HINT =
  "one 'data' event (one recv) is not one line: TCP delivers a stream, in chunks of any size. Keep the bytes of each connection in a buffer and answer only when a \"\\n\" has arrived, once per complete line.";
const SPLIT_CHAR_HINT =
  'a character whose bytes were split between two chunks came back as U+FFFD: your program decodes each chunk on its own. Keep the bytes until the "\\n" and decode whole lines (Buffer.concat, then toString("utf8")), or let socket.setEncoding("utf8") decode (its decoder waits for the rest of a character). Python: split the bytes at b"\\n", then decode each line.';
const SEVERAL_LINES_HINT =
  'one chunk may hold several lines, and the start of the next one: split the buffer at every "\\n", answer each complete line in order, and keep the rest for later.';
const CR_HINT = 'a line may end in "\\r\\n" (nc -C, telnet, Windows tools): drop a "\\r" right before the "\\n" before upper-casing, so the answer ends in "\\n" alone.';
const QUIT_HINT = 'the line "q" (exactly that, compared before upper-casing) gets "bye\\n", and then the server closes that connection: socket.end("bye\\n") (Python: conn.sendall(b"bye\\n"), then conn.close()). Any other line, "quit" too, is upper-cased.';
const LONG_LINE_HINT =
  "a 100 KiB line arrives in many chunks: keep appending to the connection's buffer until the \"\\n\" comes, however long that takes (Python: a fixed recv(1024) is a piece, not a line).";
const SHARED_BUFFER_HINT =
  "give every connection its own buffer: declare it inside the 'connection' callback (Python: a local variable in the thread that serves one client), never at the top of the file where all clients share it.";
const EMPTY_LINE_HINT = 'an empty line is a line too: its upper case is empty, so answer it with "\\n" alone.';

check("answers each line with the line in upper case", async ({ tcp }) => {
  const client = await tcp();
  for (const line of ["hello", "Hello, World 42!"]) {
    client.send(`${line}\n`);
    await expectUpper(client, line, { hint: UPPER_HINT });
  }
});

check("upper-cases with Unicode's default case mapping (straße → STRASSE)", async ({ tcp }) => {
  const client = await tcp();
  for (const line of ["straße", "ǆep", "καλημέρα κόσμε", "привет, мир", "ﬁn de siècle 😀"]) {
    client.send(`${line}\n`);
    await expectUpper(client, line, { hint: UNICODE_HINT });
  }
});

check('answers "q" with "bye" and closes the connection', async ({ tcp }) => {
  const client = await tcp();
  client.send("quit\n");
  await expectUpper(client, "quit", { hint: QUIT_HINT });
  client.send("q\n");
  await client.expectLine("bye", { hint: QUIT_HINT });
  await client.expectClose({ hint: QUIT_HINT });
});

check("answers a line sent one byte at a time", async ({ tcp }) => {
  const client = await tcp();
  const line = "hello, world";
  await sendInPieces(client, [...Buffer.from(`${line}\n`)].map((byte) => Buffer.from([byte])));
  await expectUpper(client, line, { hint: ONE_RECV_HINT });
});

check("answers a line split inside multi-byte characters", async ({ tcp }) => {
  const client = await tcp();
  const line = "grüße aus Köln 😀";
  await sendInPieces(client, cutInsideCharacters(`${line}\n`));
  await expectUpper(client, line, { hint: SPLIT_CHAR_HINT });
});

check("answers several lines sent in one segment, in order", async ({ tcp }) => {
  const client = await tcp();
  await sendInPieces(client, [Buffer.from("one\ntwo\nthr"), Buffer.from("ee\nfour\n")]);
  for (const line of ["one", "two", "three", "four"]) await expectUpper(client, line, { hint: SEVERAL_LINES_HINT });
});

check('drops a "\\r" before the "\\n"', async ({ tcp }) => {
  const client = await tcp();
  client.send("hello\r\n");
  await expectExactLine(client, "HELLO", CR_HINT);
  client.send("q\r\n");
  await expectExactLine(client, "bye", `${CR_HINT} Then "q\\r\\n" is the line "q".`);
  await client.expectClose({ hint: QUIT_HINT });
});

check("answers a 100 KiB line", async ({ tcp, random }) => {
  const client = await tcp();
  const line = longLine(random, 100 * 1024);
  client.send(`${line}\n`, `a line of ${countBytes(Buffer.byteLength(line))} (random words, some letters non-ASCII), then "\\n"`);
  await expectUpper(client, line, { hint: LONG_LINE_HINT, describe: "the same line in upper case", timeoutMs: 5000 });
  client.send("still there?\n");
  await expectUpper(client, "still there?", { hint: LONG_LINE_HINT });
});

check("serves 5 clients at once, each its own lines", async ({ tcp, random }) => {
  // Each client's lines begin with its own tag, so a line mixed from two clients shows whose bytes got in.
  const tags = ["anna", "bert", "cleo", "dora", "emil"];
  const clients = await Promise.all(tags.map(() => tcp()));
  const owner = new Map(clients.map((client, i) => [tags[i]!, client.label]));
  const line = (tag: string) => `${tag} ${random.pick(WORDS)} ${random.pick(WORDS)} ${random.int(0, 9999)}`;
  for (let round = 0; round < 2; round++) {
    const plans = random.shuffle(
      clients.map((client, i) => {
        const next = line(tags[i]!);
        return { client, whole: line(tags[i]!), next, cut: random.int(next.indexOf(" ") + 1, next.length - 1) };
      }),
    );
    // Every client sends a whole line and the start of its next one (the tag
    // and more); the rest of that line comes only once all the others have
    // sent theirs.
    for (const { client, whole, next, cut } of plans) client.send(`${whole}\n${next.slice(0, cut)}`);
    for (const { client, whole, next, cut } of plans) {
      await expectServedAlongside(client, clients, () => expectUpper(client, whole, { hint: SHARED_BUFFER_HINT, owner }));
      client.send(`${next.slice(cut)}\n`);
      await expectUpper(client, next, { hint: SHARED_BUFFER_HINT, owner });
    }
  }
});

check("answers an empty line with an empty line", async ({ tcp }) => {
  const client = await tcp();
  client.send("\nabc\n");
  await expectUpper(client, "", { hint: EMPTY_LINE_HINT });
  await expectUpper(client, "abc", { hint: EMPTY_LINE_HINT });
});

const WORDS = ["socket", "stream", "packet", "grüße", "straße", "café", "byte", "line", "buffer", "ñandú", "ёлка", "Ωmega"];

/** Random words, about `bytes` bytes of UTF-8 in all; no "\n". */
function longLine(random: SeededRandom, bytes: number): string {
  const words: string[] = [];
  let size = 0;
  while (size < bytes) {
    const word = random.pick(WORDS);
    words.push(word);
    size += Buffer.byteLength(word) + 1;
  }
  return words.join(" ");
}

interface UpperOptions {
  hint: string;
  /** Shown instead of the bytes, for a line too long to quote. */
  describe?: string;
  timeoutMs?: number;
  /** When several clients talk at once: the word that starts each one's lines, and its label. */
  owner?: Map<string, string>;
}

/** Reads one line and compares it with `sent` in upper case; a wrong answer gets its likely cause named. */
async function expectUpper(client: TcpClient, sent: string, options: UpperOptions): Promise<void> {
  const expected = sent.toUpperCase();
  const got = await client.readLine({ expected, hint: options.hint, ...(options.describe ? { describe: `${options.describe} (${countBytes(Buffer.byteLength(expected) + 1)})` } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  if (got === expected) return;
  const want = Buffer.from(`${expected}\n`);
  const have = Buffer.from(`${got}\n`);
  const { why, hint } = diagnose(sent, got, client.label, options);
  const shown = options.describe ? `a line of ${countBytes(have.length)}` : quoteBytes(have);
  throw new CheckFailure(`[${client.label}] got   ${shown}: ${why}`, {
    expected: [options.describe ? `${options.describe} (${countBytes(want.length)})` : quoteBytes(want), ...(describeDifference(want, have)?.split("\n") ?? [])],
    hint,
  });
}

function diagnose(sent: string, got: string, label: string, options: UpperOptions): { why: string; hint: string } {
  const expected = sent.toUpperCase();
  const intruder = [...(options.owner ?? [])].find(([tag, owner]) => owner !== label && got.includes(tag.toUpperCase()));
  if (intruder) return { why: `a line mixed from two clients: "${intruder[0].toUpperCase()}" comes from [${intruder[1]}]'s line`, hint: SHARED_BUFFER_HINT };
  if (got.includes("\uFFFD") && !expected.includes("\uFFFD")) {
    return { why: 'a character cut between two segments came back as U+FFFD, the replacement character (the bytes "\\xef\\xbf\\xbd")', hint: SPLIT_CHAR_HINT };
  }
  if (got === asciiUpper(sent)) return { why: "only the ASCII letters a-z were upper-cased", hint: ASCII_HINT };
  if (got === sent) return { why: "the line came back unchanged", hint: options.hint };
  if (got === "" && expected !== "") return { why: "an empty line, for a line that was not empty", hint: options.hint };
  if (expected.includes(got)) {
    return { why: `the answer to a piece of the line (${countBytes(Buffer.byteLength(got))} of ${countBytes(Buffer.byteLength(expected))}), sent before the rest of the line had arrived`, hint: ONE_RECV_HINT };
  }
  if (expected === "") return { why: "no answer to the empty line (this is the line after it)", hint: EMPTY_LINE_HINT };
  return { why: "not the line in upper case", hint: options.hint };
}

/** Reads exactly the bytes of `expected` and "\n": unlike readLine, it sees a "\r" left before the "\n". */
async function expectExactLine(client: TcpClient, expected: string, hint: string): Promise<void> {
  const want = Buffer.from(`${expected}\n`);
  const got = await client.readBytes(want.length, { expected: want, hint });
  if (got.equals(want)) return;
  const kept = got.equals(Buffer.from(`${expected}\r`));
  throw new CheckFailure(`[${client.label}] got   ${quoteBytes(got)}${kept ? ': the "\\r" of the "\\r\\n" line end came back, where "\\n" should be' : ""}`, {
    expected: [quoteBytes(want), ...(describeDifference(want, got)?.split("\n") ?? [])],
    hint,
  });
}

function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}
