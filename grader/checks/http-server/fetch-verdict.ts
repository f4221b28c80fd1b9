import { CheckFailure, describeDifference, quoteBytes } from "../../harness/index.ts";
import type { FetchResult } from "./fetch-probe.ts";
import { HEAD_HINT } from "./hints.ts";

/** What a real client (fetch, curl) must have got. Unset fields are not checked. */
export interface FetchExpected {
  status: number;
  contentType?: string;
  body?: string | Buffer;
  /** For HEAD: the Content-Length GET's body would have. */
  contentLength?: number;
  /** The advice when the body is wrong. */
  hint?: string;
}

const normalize = (type: string) => type.toLowerCase().replace(/\s*;\s*/g, ";").trim();

/** Fails the check when a real client's view of a response differs from what it should be. */
export function expectFetched(result: FetchResult, expected: FetchExpected, source = "fetch"): void {
  if (result.status !== expected.status) {
    throw new CheckFailure(`[${source}] got status ${result.status} ${result.statusText} for ${result.what}`.trimEnd(), {
      details: result.body.length > 0 ? [`with the body ${quoteBytes(result.body, 120)}`] : [],
      expected: [`status ${expected.status}`],
      hint: "a real client sent this request: look in the transcript at what it asked and what your program answered. Clients send other headers than the grader's raw requests (lower-case names from fetch, Accept, User-Agent): a server must accept any well-formed header.",
    });
  }
  const type = result.headers.get("content-type");
  if (expected.contentType !== undefined && (type === null || normalize(type) !== normalize(expected.contentType))) {
    throw new CheckFailure(`[${source}] the response to ${result.what} has ${type === null ? "no Content-Type" : `"Content-Type: ${type}"`}`, { expected: [`"Content-Type: ${expected.contentType}"`] });
  }
  if (expected.contentLength !== undefined) {
    const length = result.headers.get("content-length");
    if (length !== String(expected.contentLength)) {
      throw new CheckFailure(`[${source}] the response to ${result.what} has ${length === null ? "no Content-Length" : `"Content-Length: ${length}"`}`, {
        expected: [`"Content-Length: ${expected.contentLength}", as GET would get`],
        hint: HEAD_HINT,
      });
    }
  }
  if (expected.body === undefined) return;
  const want = Buffer.from(expected.body);
  if (result.body.equals(want)) return;
  throw new CheckFailure(`[${source}] got the body ${quoteBytes(result.body, 120)} for ${result.what}`, {
    expected: [quoteBytes(want, 120), ...(describeDifference(want, result.body)?.split("\n") ?? [])],
    ...(expected.hint === undefined ? {} : { hint: expected.hint }),
  });
}
