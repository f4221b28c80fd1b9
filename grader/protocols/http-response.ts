/**
 * A strict reader of HTTP/1.1 responses, for checks that talk to a server
 * over a raw socket. Lenient clients (browsers, curl) forgive what a learner's
 * server gets wrong; this one names it: a status line that is not
 * "HTTP/1.1 <code> <reason>", a line ending in a bare "\n" (RFC 9112 §2.2: a
 * sender MUST use CRLF), a header line that is not "Name: value", and a
 * response without a Content-Length, whose body no keep-alive client can
 * delimit. The body is exactly Content-Length bytes: what comes after it
 * belongs to the next response, so a wrong length shows as missing bytes or
 * as bytes where the next status line should be (the caller tells which).
 *
 * parseResponse is pure: give it the bytes received so far and it says
 * whether they start with a whole response, need more bytes, or are wrong.
 */
import { quoteBytes } from "../harness/index.ts";

export interface HttpResponse {
  /** "HTTP/1.1 200 OK", without its line end. */
  statusLine: string;
  status: number;
  reason: string;
  /** In the order they came, names as the server wrote them. */
  headers: { name: string; value: string }[];
  contentLength: number;
  /** Empty for a response to HEAD, whatever Content-Length says. */
  body: Buffer;
  /** Status line, headers and the empty line, in bytes. */
  headLength: number;
  /** The whole response as it came on the wire. */
  raw: Buffer;
}

/** What the bytes of a response that is not over yet have shown so far. */
export interface PartialResponse {
  stage: "status line" | "headers" | "body";
  /** Complete lines of the head so far (status line first). */
  lines: string[];
  /** Known once the head is complete. */
  contentLength?: number;
  headLength?: number;
}

/** A response that breaks the protocol, in words a learner can act on. */
export interface ResponseProblem {
  /** One line: what is wrong. */
  says: string;
  expected: string[];
  hint: string;
}

export type ParseResult =
  | { kind: "response"; response: HttpResponse; length: number }
  | { kind: "incomplete"; partial: PartialResponse }
  | { kind: "malformed"; problem: ResponseProblem };

/** A head longer than this is not a head: the server is sending something else. */
const MAX_HEAD_BYTES = 64 * 1024;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const CONTENT_LENGTH_HINT =
  'add "Content-Length: <n>" to every response, errors and HEAD included, where n is the number of bytes in the body: Buffer.byteLength(body) in Node (Python: len(body_bytes)). Ending the body by closing the connection is HTTP/1.0 style, and it rules out keep-alive.';
const CRLF_HINT =
  'end the status line and every header line with "\\r\\n", and the head with an empty line "\\r\\n": build the head as lines.join("\\r\\n") + "\\r\\n\\r\\n". RFC 9112 says a sender MUST use CRLF; some clients accept a bare "\\n", strict ones do not.';
const STATUS_LINE_HINT = 'start every response with a status line: "HTTP/1.1 200 OK\\r\\n", that is the version, a space, the 3-digit code, a space and the reason phrase.';

/**
 * Reads the response at the start of `bytes`. `method` is the request's:
 * a response to HEAD has a Content-Length but no body.
 */
export function parseResponse(bytes: Buffer, options: { method: string }): ParseResult {
  const start = bytes.toString("latin1", 0, Math.min(bytes.length, 5));
  if (!"HTTP/".startsWith(start)) return malformed(notAStatusLine(bytes));

  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, at);
    if (newline === -1) {
      if (bytes.length > MAX_HEAD_BYTES) return malformed(headTooLong(bytes.length));
      return { kind: "incomplete", partial: { stage: lines.length === 0 ? "status line" : "headers", lines } };
    }
    if (newline === 0 || bytes[newline - 1] !== 0x0d) return malformed(bareLineFeed(bytes, at, newline, lines.length));
    const line = bytes.toString("latin1", at, newline - 1);
    at = newline + 1;
    if (line === "") break;
    lines.push(line);
    const problem = lines.length === 1 ? checkStatusLine(line) : checkHeaderLine(line);
    if (problem) return malformed(problem);
  }
  // The "HTTP/" check above means the first line, the status line, is there and checked.
  const [statusLine = "", ...headerLines] = lines;
  const headers = headerLines.map((line) => {
    const colon = line.indexOf(":");
    return { name: line.slice(0, colon), value: line.slice(colon + 1).trim() };
  });
  const length = contentLengthOf(headers);
  if (typeof length !== "number") return malformed(length);

  const match = /^HTTP\/1\.1 (\d{3}) (.*)$/.exec(statusLine)!;
  const status = Number(match[1]);
  const hasBody = options.method !== "HEAD" && status >= 200 && status !== 204 && status !== 304;
  const end = at + (hasBody ? length : 0);
  if (bytes.length < end) return { kind: "incomplete", partial: { stage: "body", lines, contentLength: length, headLength: at } };
  const raw = bytes.subarray(0, end);
  return {
    kind: "response",
    length: end,
    response: { statusLine, status, reason: match[2] ?? "", headers, contentLength: length, body: raw.subarray(at), headLength: at, raw },
  };
}

/** A header's value, case-insensitively by name; several are joined with ", ". */
export function headerValue(response: Pick<HttpResponse, "headers">, name: string): string | undefined {
  const values = response.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value);
  return values.length === 0 ? undefined : values.join(", ");
}

function malformed(problem: ResponseProblem): ParseResult {
  return { kind: "malformed", problem };
}

function notAStatusLine(bytes: Buffer): ResponseProblem {
  const newline = bytes.indexOf(0x0a);
  const firstLine = newline === -1 ? bytes : bytes.subarray(0, newline + 1);
  return {
    says: `your response starts with ${quoteBytes(firstLine, 60)}, not with a status line`,
    expected: ['"HTTP/1.1 <code> <reason>\\r\\n", e.g. "HTTP/1.1 200 OK\\r\\n"'],
    hint: STATUS_LINE_HINT,
  };
}

function checkStatusLine(line: string): ResponseProblem | undefined {
  const version = /^HTTP\/(\d\.\d) /.exec(line)?.[1];
  if (version !== undefined && version !== "1.1") {
    return {
      says: `your status line ${quoteBytes(line)} says HTTP/${version}`,
      expected: ['"HTTP/1.1 <code> <reason>": this server speaks HTTP/1.1'],
      hint: "a server names its own version in the status line, HTTP/1.1, whatever version the request had (RFC 9110 §6.2): an HTTP/1.0 client understands an HTTP/1.1 response.",
    };
  }
  if (/^HTTP\/1\.1 \d{3} [^\r\n]*$/.test(line)) return undefined;
  return {
    says: `your status line ${quoteBytes(line)} is not "HTTP/1.1 <code> <reason>"`,
    expected: ['"HTTP/1.1", one space, a 3-digit code, one space, the reason phrase: "HTTP/1.1 404 Not Found"'],
    hint: STATUS_LINE_HINT,
  };
}

function checkHeaderLine(line: string): ResponseProblem | undefined {
  const quoted = quoteBytes(line);
  const hint = 'write each header as "Name: value\\r\\n": the name, a colon right after it, a space, the value.';
  if (/^[ \t]/.test(line)) return { says: `your header line ${quoted} starts with whitespace (obsolete line folding, which clients reject)`, expected: ['"Name: value"'], hint };
  const colon = line.indexOf(":");
  if (colon === -1) return { says: `your header line ${quoted} has no colon`, expected: ['"Name: value"'], hint };
  const name = line.slice(0, colon);
  if (/\s$/.test(name) && name.trim() !== "") return { says: `your header line ${quoted} has whitespace before its colon`, expected: [`"${name.trim()}: ..."`], hint };
  if (!TOKEN.test(name)) return { says: `your header line ${quoted} does not start with a header name`, expected: ['"Name: value"'], hint };
  return undefined;
}

function contentLengthOf(headers: { name: string; value: string }[]): number | ResponseProblem {
  const values = headers.filter((h) => h.name.toLowerCase() === "content-length").map((h) => h.value);
  if (values.length === 0) {
    const chunked = headers.some((h) => h.name.toLowerCase() === "transfer-encoding");
    return {
      says: "your response has no Content-Length, so a keep-alive client cannot tell where the body ends",
      expected: [`a "Content-Length: <bytes in the body>" header${chunked ? " (this exercise asks for Content-Length, not Transfer-Encoding)" : ""}`],
      hint: CONTENT_LENGTH_HINT,
    };
  }
  const bad = values.find((v) => !/^\d+$/.test(v));
  if (bad !== undefined) {
    return { says: `your Content-Length is ${quoteBytes(bad)}, not a number of bytes`, expected: ['"Content-Length: <digits>"'], hint: CONTENT_LENGTH_HINT };
  }
  if (new Set(values.map(Number)).size > 1) {
    return { says: `your response has ${values.length} Content-Length headers that disagree (${values.join(", ")})`, expected: ["one Content-Length header"], hint: CONTENT_LENGTH_HINT };
  }
  return Number(values[0]);
}

function bareLineFeed(bytes: Buffer, lineStart: number, newline: number, linesBefore: number): ResponseProblem {
  const which = linesBefore === 0 ? "status line" : newline === lineStart ? "empty line after the headers" : `header line ${quoteBytes(bytes.subarray(lineStart, newline))}`;
  return {
    says: `your response's ${which} ends in a bare "\\n", without the "\\r" before it`,
    expected: ['every line of the head ending in "\\r\\n" (CRLF), and the head ending in "\\r\\n\\r\\n"'],
    hint: CRLF_HINT,
  };
}

function headTooLong(length: number): ResponseProblem {
  return {
    says: `your response's head is over ${length} bytes without the empty line ("\\r\\n\\r\\n") that ends it`,
    expected: ["a status line, header lines, then an empty line"],
    hint: CRLF_HINT,
  };
}
