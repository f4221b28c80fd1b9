import { check, gradeExercise, CheckFailure, quoteBytes, type Datagram, type UdpClient } from "../harness/index.ts";

gradeExercise("udp-time");

/** How far the program's clock may be from the grader's: the contract's 2 seconds. */
const TOLERANCE_MS = 2000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

const SENDER_HINT =
  "reply to whoever sent the datagram: socket.send(reply, rinfo.port, rinfo.address) in Node, sock.sendto(reply, addr) with the addr recvfrom gave you in Python. A fixed port reaches nobody.";
const ISO_HINT =
  'new Date().toISOString() gives exactly that form (2026-11-21T10:15:30.123Z); in Python, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").';
const EXACT_HINT =
  'only the exact 4 bytes "unix" ask for the seconds: compare the whole datagram (message.toString() === "unix"), without trimming or changing case. "unix\\n" (what nc sends) or "Unix" is another request and gets the ISO time.';

/** What one request got back, and when, by the grader's clock. */
interface Answer {
  datagram: Datagram;
  text: string;
  sentAt: number;
  receivedAt: number;
}

async function ask(client: UdpClient, port: number, request: string | Buffer, expected: string, describe?: string): Promise<Answer> {
  const sentAt = Date.now();
  client.send(request, port, "127.0.0.1", describe);
  const datagram = await client.receive({ expected, hint: SENDER_HINT });
  return { datagram, text: datagram.data.toString("utf8"), sentAt, receivedAt: Date.now() };
}

/** Asks with anything but "unix" and checks that the ISO time comes back. */
async function expectIsoTime(client: UdpClient, port: number, request: string | Buffer, describe?: string): Promise<Answer & { ms: number }> {
  const answer = await ask(client, port, request, new Date().toISOString(), describe);
  const problem = isoProblem(answer);
  if (typeof problem === "number") return { ...answer, ms: problem };
  throw new CheckFailure(`[${client.label}] ${client.describeReceived(answer.datagram)}`, {
    details: [problem.what],
    expected: [`the current UTC time as YYYY-MM-DDTHH:MM:SSZ (a fraction before the Z is allowed), e.g. "${new Date(answer.receivedAt).toISOString()}"`],
    hint: problem.hint,
  });
}

/** Asks "unix" and checks that the whole seconds since the epoch come back. */
async function expectUnixSeconds(client: UdpClient, port: number): Promise<number> {
  const answer = await ask(client, port, "unix", String(Math.floor(Date.now() / 1000)));
  const problem = unixProblem(answer);
  if (typeof problem === "number") return problem;
  throw new CheckFailure(`[${client.label}] ${client.describeReceived(answer.datagram)}`, {
    details: [problem.what],
    expected: [`the whole seconds since 1970-01-01T00:00:00Z, e.g. "${Math.floor(answer.receivedAt / 1000)}"`],
    hint: problem.hint,
  });
}

type Problem = { what: string; hint: string };

/** The time in ms when the reply is a valid ISO time close to the grader's clock; else what is wrong. */
function isoProblem({ text, sentAt, receivedAt }: Answer): number | Problem {
  const trimmed = text.trim();
  if (text === "") return { what: "the reply is an empty datagram", hint: ISO_HINT };
  if (trimmed !== text && ISO.test(trimmed)) {
    return { what: "the time is right, but the datagram has whitespace around it", hint: "send the time alone, with no newline: a datagram needs no line ending." };
  }
  if (/^\d+$/.test(trimmed)) return { what: 'that is a number, not an ISO 8601 time: only the exact request "unix" gets the seconds', hint: EXACT_HINT };
  const offset = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)([+-]\d{2}:?\d{2})$/.exec(trimmed);
  if (offset) {
    return {
      what: `it ends with the offset "${offset[2]}" instead of "Z"`,
      hint: 'write the UTC time ending in "Z": new Date().toISOString() in Node. In Python, isoformat() writes "+00:00": use datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").',
    };
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?$/.test(trimmed)) {
    return {
      what: 'it has no "Z" at the end: a time without a zone is local time, and a reader cannot tell which zone',
      hint: 'take the time in UTC and end it with "Z": new Date().toISOString() in Node; in Python datetime.now().isoformat() is local time with no zone: use datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").',
    };
  }
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(trimmed)) return { what: 'ISO 8601 puts a "T" between the date and the time, not a space', hint: ISO_HINT };
  const parts = ISO.exec(text);
  if (!parts) return { what: "that is not in the form YYYY-MM-DDTHH:MM:SSZ", hint: `${ISO_HINT} new Date().toString() and toUTCString() write other forms.` };
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Number(`0.${parts[7] ?? "0"}`) * 1000;
  const date = new Date(ms);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return { what: "that is not a real date and time", hint: ISO_HINT };
  }
  return closeEnough(ms, sentAt, receivedAt) ?? ms;
}

/** The seconds when the reply is a whole number of seconds close to the grader's clock; else what is wrong. */
function unixProblem({ text, sentAt, receivedAt }: Answer): number | Problem {
  const trimmed = text.trim();
  const hint = "Math.floor(Date.now() / 1000) in Node (Date.now() is in milliseconds); int(time.time()) in Python.";
  if (trimmed !== text && /^\d+$/.test(trimmed)) {
    return { what: "the number is right, but the datagram has whitespace around it", hint: "send the number alone, with no newline: a datagram needs no line ending." };
  }
  if (ISO.test(trimmed) || /^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    return { what: 'that is the ISO time: the exact request "unix" gets the seconds since the epoch instead', hint: 'compare the whole datagram with "unix": message.toString() === "unix" in Node, data == b"unix" in Python.' };
  }
  if (/^\d+\.\d+$/.test(trimmed)) return { what: "it has a fraction: the contract asks for whole seconds", hint };
  if (!/^\d+$/.test(text)) return { what: "that is not a whole number of seconds", hint };
  const value = Number(text);
  if (Math.abs(value / 1000 - receivedAt / 1000) < 60) return { what: `that is milliseconds since the epoch (${value} ms is ${Math.floor(value / 1000)} s)`, hint };
  // Whole seconds round down: the reply may be up to 999 ms before the moment it was read.
  return closeEnough(value * 1000, sentAt - 999, receivedAt) ?? value;
}

/**
 * Undefined when `ms` lies within the tolerance of the time the request was
 * sent and answered; else how far off it is, and the likely reason.
 */
function closeEnough(ms: number, sentAt: number, receivedAt: number): Problem | undefined {
  if (ms >= sentAt - TOLERANCE_MS && ms <= receivedAt + TOLERANCE_MS) return undefined;
  const off = ms < sentAt ? ms - sentAt : ms - receivedAt;
  const minutes = Math.round(Math.abs(off) / 60_000);
  const direction = off > 0 ? "ahead of" : "behind";
  const zoneLike = minutes >= 15 && minutes % 15 === 0 && Math.abs(Math.abs(off) - minutes * 60_000) <= TOLERANCE_MS;
  if (zoneLike) {
    return {
      what: `that is ${formatMinutes(minutes)} ${direction} the grader's clock: local time labelled as UTC?`,
      hint: "take the time in UTC: new Date().toISOString() in Node; datetime.now(timezone.utc) in Python (datetime.now() is local time).",
    };
  }
  return {
    what: `that is ${formatSeconds(Math.abs(off))} ${direction} the grader's clock (allowed: ${TOLERANCE_MS / 1000} s)`,
    hint: "read the clock when each request arrives, inside the 'message' handler (in the recvfrom loop in Python), not once when the program starts.",
  };
}

function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function formatSeconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000).toLocaleString("en-US")} s` : `${(ms / 1000).toFixed(1)} s`;
}

check("answers a datagram with the current UTC time in ISO 8601", async ({ udp, port }) => {
  const client = await udp();
  await expectIsoTime(client, port, "time");
});

check('answers "unix" with the whole seconds since the epoch', async ({ udp, port }) => {
  const client = await udp();
  await expectUnixSeconds(client, port);
});

check('answers anything else with the ISO time: "Unix", "unix\\n", an empty datagram, binary bytes', async ({ udp, port, random }) => {
  const client = await udp();
  const requests: [string | Buffer, string | undefined][] = [
    ["Unix", undefined],
    ["unix\n", undefined],
    [" unix", undefined],
    ["UNIX", undefined],
    ["unixx", undefined],
    [Buffer.alloc(0), "an empty datagram"],
    [random.bytes(512), "512 random bytes"],
    ["what time is it?", undefined],
  ];
  for (const [request, describe] of requests) await expectIsoTime(client, port, request, describe);
  await expectUnixSeconds(client, port);
});

check("reads the clock at each request, not once", async ({ udp, port, sleep }) => {
  const client = await udp();
  const first = await expectIsoTime(client, port, "time");
  // A reply with a fraction shows time passing within 120 ms; whole seconds need the clock to tick over.
  const waitMs = first.text.includes(".") ? 120 : Math.ceil(first.receivedAt / 1000) * 1000 + 150 - Date.now();
  await sleep(Math.max(0, waitMs));
  const waited = Date.now() - first.receivedAt;
  const second = await expectIsoTime(client, port, "time");
  if (second.ms <= first.ms) {
    throw new CheckFailure(`[${client.label}] got the same time twice, ${waited} ms apart: ${quoteBytes(second.text)}`, {
      expected: ["a later time: the clock moved on between the two requests"],
      hint: "read the clock when each request arrives, inside the 'message' handler (inside the recvfrom loop in Python), not once when the program starts.",
    });
  }
});

check("replies to each of 10 clients at once, at its own address and port", async ({ udp, port }) => {
  const clients = await Promise.all(Array.from({ length: 10 }, (_, i) => udp(i === 9 ? { localAddress: "127.0.0.2" } : {})));
  await Promise.all(
    clients.map(async (client, i) => {
      const hint = i === 9 ? "use rinfo.address as well as rinfo.port: this client sent from 127.0.0.2." : undefined;
      try {
        if (i % 2 === 0) await expectUnixSeconds(client, port);
        else await expectIsoTime(client, port, `client ${i + 1} asks the time`);
      } catch (error) {
        if (hint && error instanceof CheckFailure && error.happened.includes("nothing")) throw new CheckFailure(error.happened, { details: error.details, expected: error.expected, hint });
        throw error;
      }
    }),
  );
});
