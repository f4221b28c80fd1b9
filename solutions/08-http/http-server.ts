// http-server, reference solution (lesson 8): HTTP/1.1 by hand, on node:net.
import net from "node:net";

const port = Number(process.env.PORT ?? 8080);

/** The request line plus headers may take this many bytes; more gets 431. */
const MAX_HEAD_BYTES = 8192;
const HELLO_PAGE = "<html><body><h1>Hello, World!</h1></body></html>";
const REASONS: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  431: "Request Header Fields Too Large",
};
/** The paths that exist, and the methods each one accepts. */
const ROUTES: Record<string, string[]> = { "/": ["GET", "HEAD"], "/echo": ["GET", "HEAD", "POST"] };
/** A header name is a "token": letters, digits and a few symbols, so no spaces. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

interface Request {
  method: string;
  target: string;
  version: string;
  /** Header names in lower case: HTTP header names are case-insensitive. */
  headers: Map<string, string>;
  body: Buffer;
}

interface Response {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What the bytes at the start of the buffer hold: a request, a reason to refuse, or not enough yet. */
type Parsed = { request: Request; size: number } | { refuse: 400 | 431 } | "incomplete";

/** Where the head (request line and headers) ends: the index after its empty line, or -1. */
function headEnd(buffer: Buffer): number {
  for (let nl = buffer.indexOf(0x0a); nl !== -1; nl = buffer.indexOf(0x0a, nl + 1)) {
    // The empty line is "\r\n" (or a bare "\n", which we accept) right after a line's "\n".
    const next = buffer[nl + 1] === 0x0d ? nl + 2 : nl + 1;
    if (buffer[next] === 0x0a) return next + 1;
  }
  return -1;
}

function parseRequest(buffer: Buffer): Parsed {
  const end = headEnd(buffer);
  // Checked before the head is complete too: a client that sends headers
  // forever must not make us buffer forever.
  if (end === -1) return buffer.length > MAX_HEAD_BYTES ? { refuse: 431 } : "incomplete";
  if (end > MAX_HEAD_BYTES) return { refuse: 431 };

  // latin1 maps each byte to one character, so no byte is lost or merged.
  const [requestLine = "", ...headerLines] = buffer.toString("latin1", 0, end).split(/\r?\n/).slice(0, -2);
  const parts = requestLine.split(" ");
  const [method = "", target = "", version = ""] = parts;
  if (parts.length !== 3 || !TOKEN.test(method) || !target.startsWith("/") || !/^HTTP\/1\.[01]$/.test(version)) {
    return { refuse: 400 };
  }
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    // No colon, or a space before it ("Host : x"): not a header line.
    if (colon < 1 || !TOKEN.test(name)) return { refuse: 400 };
    headers.set(name.toLowerCase(), line.slice(colon + 1).trim());
  }

  // The body is exactly Content-Length bytes (none without the header):
  // the bytes after it belong to the next request.
  const length = headers.get("content-length") ?? "0";
  if (!/^\d+$/.test(length)) return { refuse: 400 };
  const size = end + Number(length);
  if (buffer.length < size) return "incomplete";
  return { request: { method, target, version, headers, body: buffer.subarray(end, size) }, size };
}

function route(request: Request): Response {
  const query = request.target.indexOf("?");
  const path = query === -1 ? request.target : request.target.slice(0, query);
  const allowed = ROUTES[path];
  if (!allowed) return textResponse(404, "Not Found\n");
  if (!allowed.includes(request.method)) {
    return { ...textResponse(405, "Method Not Allowed\n"), headers: { "Content-Type": "text/plain; charset=utf-8", Allow: allowed.join(", ") } };
  }
  if (path === "/") return { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: Buffer.from(HELLO_PAGE) };
  if (request.method === "POST") return { ...textResponse(200, ""), body: request.body };
  // URLSearchParams decodes the way forms encode: %xx as UTF-8, "+" as a space.
  const params = new URLSearchParams(query === -1 ? "" : request.target.slice(query + 1));
  return textResponse(200, params.get("msg") ?? "");
}

function textResponse(status: number, text: string): Response {
  return { status, headers: { "Content-Type": "text/plain; charset=utf-8" }, body: Buffer.from(text) };
}

/** Status line, headers, empty line, body. Content-Length counts bytes, not characters. */
function serialize(response: Response, options: { withBody: boolean; close: boolean }): Buffer {
  const headers = { ...response.headers, "Content-Length": String(response.body.length), ...(options.close ? { Connection: "close" } : {}) };
  const lines = [`HTTP/1.1 ${response.status} ${REASONS[response.status]}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  // HEAD gets GET's headers, Content-Length included, and no body.
  return options.withBody ? Buffer.concat([head, response.body]) : head;
}

/** HTTP/1.1 keeps the connection unless the client asks to close; HTTP/1.0 closes. */
function wantsClose(request: Request): boolean {
  const tokens = (request.headers.get("connection") ?? "").toLowerCase().split(",").map((token) => token.trim());
  return request.version === "HTTP/1.0" || tokens.includes("close");
}

const server = net.createServer((socket) => {
  // Each connection has its own buffer: requests arrive in pieces, or
  // several in one chunk (pipelining), and one 'data' event is neither.
  let buffer = Buffer.alloc(0);
  let closing = false;

  socket.on("data", (chunk) => {
    if (closing) return;
    buffer = Buffer.concat([buffer, chunk]);
    // Answer every complete request the buffer holds, in the order they came.
    for (;;) {
      const parsed = parseRequest(buffer);
      if (parsed === "incomplete") return;
      if ("refuse" in parsed) {
        // After a bad request we cannot tell where the next one starts: close.
        const text = parsed.refuse === 400 ? "Bad Request\n" : "Request Header Fields Too Large\n";
        socket.end(serialize(textResponse(parsed.refuse, text), { withBody: true, close: true }));
        closing = true;
        return;
      }
      const { request, size } = parsed;
      buffer = buffer.subarray(size);
      const close = wantsClose(request);
      socket.write(serialize(route(request), { withBody: request.method !== "HEAD", close }));
      if (close) {
        socket.end();
        closing = true;
        return;
      }
    }
  });
  // An idle keep-alive connection is closed after a while, not kept forever.
  socket.setTimeout(30_000, () => socket.destroy());
  // A client that resets makes the socket emit "error": that ends this connection only.
  socket.on("error", () => socket.destroy());
});

server.listen(port, "127.0.0.1", () => {
  console.log(`http-server listening on http://127.0.0.1:${port}/`);
});
