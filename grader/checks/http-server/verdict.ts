import { CheckFailure, describeDifference, quoteBytes } from "../../harness/index.ts";
import { headerValue } from "../../protocols/http-response.ts";
import type { Exchange } from "./connection.ts";
import { ALLOW_HINT, BYTES_NOT_CHARACTERS_HINT, CONNECTION_CLOSE_HINT, HEAD_HINT, METHOD_HINT, NOT_FOUND_HINT, REASON_HINT, SKIP_BODY_HINT } from "./hints.ts";

export const REASONS: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  431: "Request Header Fields Too Large",
};

export const HELLO_PAGE = "<html><body><h1>Hello, World!</h1></body></html>";
export const HTML = "text/html; charset=utf-8";
export const TEXT = "text/plain; charset=utf-8";

/** What a response must be. Unset fields are not checked. */
export interface Expected {
  status: number;
  contentType?: string;
  /** The body; for HEAD, the body GET would have, whose length Content-Length must give. */
  body?: string | Buffer;
  allow?: string[];
  /** The response must carry "Connection: close". */
  connectionClose?: boolean;
  /** The advice when the status or the body is wrong. */
  hint?: string;
}

/** Fails the check, saying what differs first: status, reason, headers, then the body. */
export function expectResponse(exchange: Exchange, expected: Expected): void {
  const { request, response, label } = exchange;
  const want = `HTTP/1.1 ${expected.status} ${REASONS[expected.status]}`;
  const details = [`in reply to ${request.what}`];
  if (response.status !== expected.status) {
    const body = response.body.length > 0 ? [`with the body ${quoteBytes(response.body, 120)}`] : [];
    throw new CheckFailure(`[${label}] got   "${response.statusLine}" in reply to ${request.what}`, {
      details: body,
      expected: [`"${want}"`],
      hint: statusHint(exchange, expected),
    });
  }
  if (response.reason.toLowerCase() !== REASONS[expected.status]?.toLowerCase()) {
    throw new CheckFailure(`[${label}] your status line "${response.statusLine}" has the reason phrase "${response.reason}"`, { details, expected: [`"${want}"`], hint: REASON_HINT });
  }
  if (expected.contentType !== undefined) expectContentType(exchange, expected.contentType);
  if (expected.allow !== undefined) expectAllow(exchange, expected.allow);
  if (expected.body !== undefined) expectBody(exchange, Buffer.from(expected.body), expected.hint);
  if (expected.connectionClose && !/(^|,)\s*close\s*(,|$)/i.test(headerValue(response, "connection") ?? "")) {
    const said = headerValue(response, "connection");
    throw new CheckFailure(`[${label}] your response to a request with "Connection: close" ${said === undefined ? "has no Connection header" : `says "Connection: ${said}"`}`, {
      details,
      expected: ['a "Connection: close" header: the client learns that the connection ends after this response'],
      hint: CONNECTION_CLOSE_HINT,
    });
  }
}

function statusHint(exchange: Exchange, expected: Expected): string | undefined {
  const got = exchange.response.status;
  if (got === 400 && exchange.previous?.hasBody) return SKIP_BODY_HINT;
  if (expected.status === 404 && got !== 404) return expected.hint ?? NOT_FOUND_HINT;
  if (expected.status === 405 && got === 404) return METHOD_HINT;
  return expected.hint;
}

/** Media types compare without case and without spaces around ";": "text/plain;charset=UTF-8" is fine. */
function normalizeMediaType(value: string): string {
  return value.toLowerCase().replace(/\s*;\s*/g, ";").replace(/"/g, "").trim();
}

function expectContentType({ request, response, label }: Exchange, contentType: string): void {
  const got = headerValue(response, "content-type");
  if (got !== undefined && normalizeMediaType(got) === normalizeMediaType(contentType)) return;
  throw new CheckFailure(`[${label}] the response to ${request.what} ${got === undefined ? "has no Content-Type header" : `has "Content-Type: ${got}"`}`, {
    expected: [`"Content-Type: ${contentType}"`],
    hint: `the Content-Type tells the client how to read the body: "${HTML}" for the hello page, "${TEXT}" for /echo. Without a charset, a client may read UTF-8 text as Latin-1.`,
  });
}

function expectAllow({ request, response, label }: Exchange, allow: string[]): void {
  const got = headerValue(response, "allow");
  const want = `Allow: ${allow.join(", ")}`;
  if (got === undefined) {
    throw new CheckFailure(`[${label}] your 405 response to ${request.what} has no Allow header`, { expected: [`"${want}" (in any order)`], hint: ALLOW_HINT });
  }
  const methods = got.split(",").map((m) => m.trim()).filter((m) => m !== "");
  const same = methods.length === allow.length && allow.every((m) => methods.includes(m));
  if (!same) {
    throw new CheckFailure(`[${label}] your 405 response to ${request.what} says "Allow: ${got}"`, {
      expected: [`"${want}" (the methods in any order, upper case, comma-separated)`],
      hint: ALLOW_HINT,
    });
  }
}

function expectBody({ request, response, label }: Exchange, body: Buffer, hint: string | undefined): void {
  if (request.method === "HEAD") {
    if (response.contentLength === body.length) return;
    throw new CheckFailure(`[${label}] your response to ${request.what} says "Content-Length: ${response.contentLength}"`, {
      expected: [`"Content-Length: ${body.length}", the length of the body GET would get (${quoteBytes(body, 60)})`],
      hint: HEAD_HINT,
    });
  }
  if (response.body.equals(body)) return;
  const characters = [...body.toString("utf8")].length;
  const countedCharacters = response.contentLength !== body.length && (response.contentLength === characters || response.contentLength === body.toString("utf8").length);
  throw new CheckFailure(`[${label}] the body of the response to ${request.what} is ${quoteBytes(response.body, 120)}`, {
    details: countedCharacters ? [`your Content-Length is ${response.contentLength}: the number of characters in ${quoteBytes(body, 60)}, which is ${body.length} bytes`] : [],
    expected: [quoteBytes(body, 120), ...(describeDifference(body, response.body)?.split("\n") ?? [])],
    hint: countedCharacters ? BYTES_NOT_CHARACTERS_HINT : hint,
  });
}
