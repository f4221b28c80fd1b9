/**
 * The requests the raw-socket checks send, as bytes, with what the
 * transcript and the failure messages call them.
 */
export interface HttpRequest {
  method: string;
  /** "GET /echo?msg=hi", or what a malformed request is ("a request line with no version"). */
  what: string;
  bytes: Buffer;
  /** How the transcript shows the bytes, when quoting them all would read badly (9 KiB of headers). */
  describe?: string;
  /** It carries a body: a server that does not skip it reads it as the next request. */
  hasBody: boolean;
  /** HTTP/1.0, or "Connection: close": the server closes after answering. */
  asksToClose: boolean;
}

export interface RequestOptions {
  headers?: [string, string][];
  body?: string | Buffer;
  version?: "HTTP/1.1" | "HTTP/1.0";
  describe?: string;
  what?: string;
}

/**
 * A well-formed request: request line, a Host header (HTTP/1.1 only), the
 * given headers, and for a body Content-Type and Content-Length. Header
 * names are written the usual way ("Content-Length"); the fetch check is
 * where lower-case names come.
 */
export function httpRequest(port: number, method: string, target: string, options: RequestOptions = {}): HttpRequest {
  const version = options.version ?? "HTTP/1.1";
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: [string, string][] = [
    ...(version === "HTTP/1.1" ? [["Host", `127.0.0.1:${port}`] as [string, string]] : []),
    ...(options.headers ?? []),
    ...(body === undefined ? [] : ([["Content-Type", "text/plain; charset=utf-8"], ["Content-Length", String(body.length)]] as [string, string][])),
  ];
  const head = `${method} ${target} ${version}\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`;
  const closes = headers.some(([name, value]) => name.toLowerCase() === "connection" && /(^|,)\s*close\s*(,|$)/i.test(value));
  return {
    method,
    what: options.what ?? `${method} ${target}${version === "HTTP/1.0" ? " HTTP/1.0" : ""}`,
    bytes: body === undefined ? Buffer.from(head, "latin1") : Buffer.concat([Buffer.from(head, "latin1"), body]),
    ...(options.describe === undefined ? {} : { describe: options.describe }),
    hasBody: body !== undefined && body.length > 0,
    asksToClose: version === "HTTP/1.0" || closes,
  };
}

/** Bytes that are not a valid request, sent as they are. */
export function malformedRequest(text: string, what: string): HttpRequest {
  return { method: text.split(" ")[0] ?? "", what, bytes: Buffer.from(text, "latin1"), hasBody: false, asksToClose: true };
}

/** Filler headers "X-Filler-001: abc..." that make about `bytes` bytes in all, line ends included. */
export function fillerHeaders(bytes: number): [string, string][] {
  const headers: [string, string][] = [];
  let total = 0;
  for (let i = 1; total < bytes; i++) {
    const name = `X-Filler-${String(i).padStart(3, "0")}`;
    const value = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(3).slice(0, Math.min(100, bytes - total));
    headers.push([name, value]);
    total += name.length + 2 + value.length + 2;
  }
  return headers;
}

/** Bytes cut at the given offsets (duplicates and offsets outside the bytes are dropped). */
export function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [0, ...[...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}
