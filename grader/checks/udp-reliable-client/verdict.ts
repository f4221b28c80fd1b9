import { CheckFailure, describeDifference, quoteBytes, type ClientRun } from "../../harness/index.ts";
import type { LossyServer, Try } from "./lossy-server.ts";

/** The contract's retransmission timeout, and how far from it a retransmission may be. */
const RETRY_MS = 200;
const EARLIEST_MS = 150;
const LATEST_MS = 400;
/** A reply reaches the client within this on loopback; a try after it means the reply was ignored. */
const REPLY_TRAVEL_MS = 50;

export const RETRANSMIT_HINT =
  "UDP loses datagrams and nobody sends them again for you: when the reply for message i has not come within 200 ms, send the same datagram again (setTimeout in Node; sock.settimeout(0.2) and catch socket.timeout in Python), up to 10 tries.";
const MATCH_HINT =
  'a reply is "<i> <text>": accept the first datagram whose number (before the first space) is the current i, print the text after that space, and ignore every other datagram.';
const STALE_HINT =
  "a datagram that arrives while you wait for message i may be a duplicate or a late reply to an earlier message: check that its number is i, and ignore it otherwise (keep waiting, without restarting the 200 ms timer).";
const GIVE_UP_HINT = 'count the tries of each message: after the 10th try brings no reply within 200 ms, print "error: no reply for <i>" on stderr and exit with code 1.';

interface Expectation {
  messages: string[];
  texts: string[];
  timeoutMs: number;
  /** The message the server never answers, for the give-up check. */
  givesUpOn?: number;
}

/**
 * Judges one run of the client against what the server saw. The order of the
 * questions is the order of the learner's likely bugs: sent nothing, sent the
 * wrong thing, got stuck, gave up, printed the wrong thing, did not wait for
 * each reply, retransmitted too soon or too late.
 */
export function judgeRun(run: ClientRun, server: LossyServer, expectation: Expectation): void {
  const where = `the grader's server at 127.0.0.1:${server.port}`;
  const stray = server.strays[0];
  if (server.tries.length === 0 && !stray) {
    throw new CheckFailure(`your program sent nothing to ${where}`, {
      details: [`it ${describeEnd(run, expectation.timeoutMs)}`],
      expected: [`${quoteBytes(`0 ${expectation.messages[0]}`)} to 127.0.0.1:${server.port}, then the text of the reply on stdout`],
      hint: 'send "<i> <message>" for each argument (process.argv.slice(2) in Node, sys.argv[1:] in Python) to HOST and PORT from the environment, with one UDP socket: socket.send(data, port, host).',
    });
  }
  if (stray) {
    throw new CheckFailure(`the grader's server got ${quoteBytes(stray.data)}: ${stray.problem}`, {
      expected: [stray.expected],
      hint: 'send message i (counted from 0) as the datagram "<i> <message>": the number, one space, then the argument as it is.',
    });
  }
  if (run.timedOut) throw stuck(run, server, expectation);
  if (expectation.givesUpOn === undefined) {
    expectSuccess(run, server);
    expectLines(run, server, expectation.texts);
  } else {
    expectGiveUp(run, server, expectation.givesUpOn, expectation.texts);
  }
  expectStopAndWait(server);
  expectTiming(server);
}

function describeEnd(run: ClientRun, timeoutMs: number): string {
  if (run.timedOut) return `was still running after ${timeoutMs} ms`;
  const how = run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`;
  return `${how} after ${run.durationMs} ms`;
}

/** Message i+1 goes out only once the reply to message i has come. */
function expectStopAndWait(server: LossyServer): void {
  for (const attempt of server.tries) {
    if (attempt.number !== 1 || attempt.i === 0) continue;
    const previous = server.tries.filter((t) => t.i === attempt.i - 1);
    const answered = previous.map((t) => t.repliedAt).filter((at): at is number => at !== undefined);
    if (answered.length === 0 || Math.min(...answered) > attempt.at) {
      throw new CheckFailure(`your program sent ${quoteBytes(server.request(attempt.i))} before any reply to message ${attempt.i - 1} had been sent`, {
        details: [`message ${attempt.i} arrived at ${server.since(attempt.at)}, while message ${attempt.i - 1} was still unanswered`],
        expected: [`message ${attempt.i} only after the reply to message ${attempt.i - 1} arrived (stop and wait)`],
        hint: "send one message at a time: wait for the reply to message i (or give up on it) before sending message i+1.",
      });
    }
  }
}

/** The run hit its time limit: say what it was waiting for. */
function stuck(run: ClientRun, server: LossyServer, expectation: Expectation): CheckFailure {
  const last = server.tries.reduce((a, b) => (b.i > a.i || (b.i === a.i && b.number > a.number) ? b : a));
  const sent = server.tries.filter((t) => t.i === last.i);
  const request = quoteBytes(server.request(last.i));
  const still = `it was still running after ${expectation.timeoutMs} ms, and had printed ${countLines(run.stdout)} of ${expectation.givesUpOn ?? expectation.messages.length} replies`;
  const replied = sent.filter((t) => t.repliedAt !== undefined);
  if (sent.length === 1 && replied.length === 0) {
    const lost = last.fate === "drop-request" ? "dropped it" : "lost its reply";
    return new CheckFailure(`your program sent ${request} once and never again, while the grader's server ${lost}`, {
      details: [still],
      expected: [`${request} again ${RETRY_MS} ms after the first try`],
      hint: RETRANSMIT_HINT,
    });
  }
  if (replied.length > 0) {
    return new CheckFailure(`the grader's server replied ${quoteBytes(server.reply(last.i))} to your program, but it did not take the reply: it sent ${request} ${times(sent.length)}`, {
      details: [still],
      expected: [`${quoteBytes(expectation.texts[last.i] ?? "")} printed, then the next message`],
      hint: MATCH_HINT,
    });
  }
  if (expectation.givesUpOn !== undefined) {
    return new CheckFailure(`your program sent ${request} ${times(sent.length)} and never gave up`, {
      details: [still],
      expected: [`10 tries, then "error: no reply for ${last.i}" on stderr and exit code 1`],
      hint: GIVE_UP_HINT,
    });
  }
  return new CheckFailure(`your program did not finish: ${still}`, { details: [`its last request was ${request}, try ${last.number}`], hint: RETRANSMIT_HINT });
}

function expectSuccess(run: ClientRun, server: LossyServer): void {
  if (run.exit.code === 0) return;
  const gaveUp = /^error: no reply for (\d+)\r?$/m.exec(run.stderr);
  if (gaveUp) {
    const i = Number(gaveUp[1]);
    const sent = server.tries.filter((t) => t.i === i);
    throw new CheckFailure(`your program gave up on message ${i} after ${tries(sent.length)}`, {
      details: sent.map((t) => `the grader's server got ${quoteBytes(server.request(i))} at ${server.since(t.at)}: ${fateText(t)}`),
      expected: [`${quoteBytes(server.request(i))} again ${RETRY_MS} ms after each try that brings no reply, up to 10 tries`],
      hint: "one lost datagram is normal for UDP, not a reason to give up: when no reply has come within 200 ms, send the same datagram again (setTimeout in Node; sock.settimeout(0.2) and catch socket.timeout in Python), and give up only after 10 tries.",
    });
  }
  throw new CheckFailure(`your program ${run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`} after ${run.durationMs} ms`, {
    expected: ["every reply's text printed, then exit code 0"],
    hint: "its error output above says why it stopped. Print each reply's text, close the socket and let the program end (exit code 0).",
  });
}

function expectLines(run: ClientRun, server: LossyServer, texts: string[]): void {
  const lines = run.stdout === "" ? [] : run.stdout.replace(/\n$/, "").split("\n").map((line) => line.replace(/\r$/, ""));
  const expected = texts.map((text) => quoteBytes(`${text}\n`)).join(" ");
  for (const [i, text] of texts.entries()) {
    const line = lines[i];
    if (line === text) continue;
    if (line === undefined) {
      throw new CheckFailure(`your program printed ${lines.length} lines for ${texts.length} messages: the reply to message ${i} is missing`, {
        expected: [expected],
        hint: "print the text of each reply on its own line (console.log), in the order of the messages.",
      });
    }
    const other = texts.indexOf(line);
    if (other !== -1) {
      const how = other < i ? `a copy of the reply to message ${other} came again while your program waited for message ${i}` : `it is the reply to a later message`;
      throw new CheckFailure(`line ${i + 1} of your output is ${quoteBytes(line)}, the reply to message ${other}, not to message ${i}`, {
        details: [`${how}; the reply to message ${i} was ${quoteBytes(server.reply(i))}`],
        expected: [expected],
        hint: STALE_HINT,
      });
    }
    const want = Buffer.from(`${text}\n`);
    const got = Buffer.from(`${line}\n`);
    const numbered = line === server.reply(i);
    throw new CheckFailure(`line ${i + 1} of your output is ${quoteBytes(line)}`, {
      details: describeDifference(want, got)?.split("\n") ?? [],
      expected: [quoteBytes(want)],
      hint: numbered ? `print only the text after "${i} ": the number is for matching the reply to its message.` : MATCH_HINT,
    });
  }
  if (lines.length > texts.length) {
    throw new CheckFailure(`your program printed ${lines.length} lines for ${texts.length} messages: ${quoteBytes(lines.slice(texts.length).join("\n"))} is too many`, {
      expected: [expected],
      hint: "print one line per message: the text of its reply, once, even when a duplicate comes.",
    });
  }
}

function expectGiveUp(run: ClientRun, server: LossyServer, i: number, texts: string[]): void {
  const sent = server.tries.filter((t) => t.i === i);
  const error = `error: no reply for ${i}`;
  if (run.exit.code === 0) {
    throw new CheckFailure(`your program exited with code 0, but the grader's server never answered message ${i}`, {
      details: [`it sent message ${i} ${times(sent.length)}`],
      expected: [`"${error}" on stderr and exit code 1`],
      hint: GIVE_UP_HINT,
    });
  }
  if (!run.stderr.split("\n").some((line) => line.replace(/\r$/, "") === error)) {
    throw new CheckFailure(`your program ${run.exit.signal ? `was killed by ${run.exit.signal}` : `exited with code ${run.exit.code}`} without the line ${quoteBytes(error)} on stderr`, {
      details: run.stderr === "" ? ["its stderr was empty"] : [`its stderr: ${quoteBytes(run.stderr.slice(-200))}`],
      expected: [`${quoteBytes(error)} on stderr, and exit code 1`],
      hint: `console.error("${error.replace(String(i), "${i}")}") in Node (print(..., file=sys.stderr) in Python), then exit with code 1: process.exitCode = 1.`,
    });
  }
  if (run.exit.code !== 1) {
    throw new CheckFailure(`your program exited with code ${run.exit.code} after "${error}"`, { expected: ["exit code 1"], hint: "set process.exitCode = 1 (sys.exit(1) in Python) when it gives up." });
  }
  if (sent.length !== 10) {
    throw new CheckFailure(`your program gave up on message ${i} after ${tries(sent.length)}`, {
      details: [`the grader's server got message ${i} at ${sent.map((t) => server.since(t.at)).join(", ")}`],
      expected: ["10 tries (the first send and 9 retransmissions), 200 ms apart"],
      hint: GIVE_UP_HINT,
    });
  }
  const printed = run.stdout.replace(/\n$/, "");
  const before = texts.slice(0, i).join("\n");
  if (printed !== "" && printed !== before) {
    throw new CheckFailure(`your program printed ${quoteBytes(run.stdout)} on stdout`, {
      expected: [before === "" ? "nothing on stdout" : `the replies before message ${i} (${quoteBytes(`${before}\n`)}), or nothing`],
      hint: "print only the texts of replies that came; the error goes to stderr.",
    });
  }
}

/** Each retransmission about 200 ms after the try before it, and none after the reply came. */
function expectTiming(server: LossyServer): void {
  const byMessage = new Map<number, Try[]>();
  for (const attempt of server.tries) byMessage.set(attempt.i, [...(byMessage.get(attempt.i) ?? []), attempt]);
  for (const [i, sent] of byMessage) {
    for (let n = 1; n < sent.length; n++) {
      const previous = sent[n - 1]!;
      const attempt = sent[n]!;
      const gap = attempt.at - previous.at;
      const request = quoteBytes(server.request(i));
      const repliedAt = sent.slice(0, n).map((t) => t.repliedAt).find((at) => at !== undefined && at + REPLY_TRAVEL_MS < attempt.at);
      if (repliedAt !== undefined) {
        throw new CheckFailure(`your program sent message ${i} again at ${server.since(attempt.at)}, ${attempt.at - repliedAt} ms after the grader's server had replied ${quoteBytes(server.reply(i))}`, {
          details: sent.map((t) => `try ${t.number} at ${server.since(t.at)}: ${fateText(t)}`),
          expected: ["no more tries of a message once its reply has come"],
          hint: "stop the retransmission timer as soon as the reply for i arrives (clearTimeout in Node), and go on to the next message.",
        });
      }
      if (gap < EARLIEST_MS || gap > LATEST_MS) {
        const when = gap < EARLIEST_MS ? `only ${gap} ms` : `${gap.toLocaleString("en-US")} ms`;
        throw new CheckFailure(`your program sent ${request} (message ${i}, try ${attempt.number}) ${when} after the previous try`, {
          details: sent.map((t) => `try ${t.number} at ${server.since(t.at)}: ${fateText(t)}`),
          expected: [`a retransmission ${RETRY_MS} ms after the previous try (${EARLIEST_MS} to ${LATEST_MS} ms is accepted)`],
          hint:
            gap < EARLIEST_MS
              ? "wait 200 ms for the reply before sending the same datagram again; sending sooner only adds traffic to a network that is already losing it."
              : "retransmit after 200 ms without the right reply: setTimeout(resend, 200) in Node, sock.settimeout(0.2) in Python. Datagrams for other messages do not restart that timer.",
        });
      }
    }
  }
}

function fateText(attempt: Try): string {
  switch (attempt.fate) {
    case "reply":
      return "replied";
    case "duplicate":
      return "replied, and again a moment later";
    case "drop-request":
      return "dropped the request";
    case "drop-reply":
      return "lost the reply";
    case "slow":
      return "replied after a delay";
  }
}

function countLines(text: string): number {
  return text === "" ? 0 : text.replace(/\n$/, "").split("\n").length;
}

/** "1 try", "10 tries". */
function tries(n: number): string {
  return n === 1 ? "1 try" : `${n} tries`;
}

/** "once", "twice", "7 times". */
function times(n: number): string {
  return n === 1 ? "once" : n === 2 ? "twice" : `${n} times`;
}
