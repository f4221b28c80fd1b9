/**
 * The advice the http-server checks give, one place for all, each naming
 * the likely bug and the fix in Node terms (and Python's where it helps).
 */
export { CONTENT_LENGTH_HINT } from "../../protocols/http-response.ts";

export const FIRST_RESPONSE_HINT =
  'read the request until its empty line ("\\r\\n\\r\\n"), then write a response: "HTTP/1.1 200 OK\\r\\nContent-Type: text/html; charset=utf-8\\r\\nContent-Length: 48\\r\\n\\r\\n<html><body><h1>Hello, World!</h1></body></html>". Keep the connection open afterwards.';

export const NO_RESPONSE_HINT =
  "your program sent nothing back: is it still waiting for more of the request? The head ends at the first empty line, and a body is exactly Content-Length bytes (none without Content-Length). Then write the whole response.";

export const RESET_HINT =
  "your program reset the connection (TCP RST) instead of answering: it crashed, called socket.destroy(), or closed the socket with unread data. Answer the request, then keep the connection open (or close it with socket.end()).";

export const HEAD_END_HINT =
  'end the head with an empty line: after the last header line\'s "\\r\\n" comes "\\r\\n" on its own. Until it comes, a client keeps waiting for more headers.';

export const BODY_SHORT_HINT =
  "Content-Length must be exactly the number of bytes in the body you write: count bytes, not characters (Buffer.byteLength(body); Python: len(body.encode())), and write the whole body.";

export const BODY_LONG_HINT =
  'your body is longer than your Content-Length says, so its last bytes are read as the start of the next response. Content-Length counts bytes, not characters ("é" is 2 bytes in UTF-8): use Buffer.byteLength(body), or build the body as a Buffer and use its .length (Python: len(body_bytes), not len(text)).';

export const BYTES_NOT_CHARACTERS_HINT =
  'Content-Length counts bytes, not characters: "été" is 3 characters but 5 bytes in UTF-8. A JavaScript string\'s .length counts UTF-16 units; use Buffer.byteLength(text), or Buffer.from(text) and its .length (Python: len(text.encode("utf-8"))).';

export const KEEP_ALIVE_HINT =
  "HTTP/1.1 connections are persistent: after a response, keep the socket open and read the next request from it. Close only when the request says \"Connection: close\" or is HTTP/1.0. Do not call socket.end() after every response (Python: keep looping on recv instead of closing).";

export const HEAD_HINT =
  "a response to HEAD is GET's status line and headers, Content-Length included (the length GET's body would have), and no body: write the head and stop.";

export const ONE_CHUNK_HINT =
  "one 'data' event (one recv) is not one request: TCP delivers the bytes in pieces of any size. Add each chunk to this connection's buffer, and answer only once the buffer holds a whole request: the head up to its empty line, then Content-Length bytes of body.";

export const PIPELINE_HINT =
  "one 'data' event may hold several requests: after answering one, keep the bytes that follow it (its body ends after Content-Length bytes) and look for the next request in them. Loop while the buffer holds a whole request, answering each in order.";

export const SKIP_BODY_HINT =
  "the request before this one had a body: read it (Content-Length bytes) even when you answer 404 or 405, or its bytes are taken for the start of the next request.";

export const CONNECTION_CLOSE_HINT =
  'when a request says "Connection: close" (compare case-insensitively), answer with a "Connection: close" header, then close the connection: socket.end() after the write (Python: sendall, then close).';

export const HTTP10_HINT =
  "an HTTP/1.0 request means one request per connection: answer it, then close the connection (socket.end(); Python: close()). Keep-alive is for HTTP/1.1.";

export const BAD_REQUEST_HINT =
  'check the request line before you use it: exactly three parts separated by single spaces (method, a target starting with "/", HTTP/1.0 or HTTP/1.1), and every header line "Name: value" with no space before the colon. Otherwise answer "400 Bad Request" with a Content-Length\'d body, then close: after a malformed request you cannot tell where the next one starts.';

export const HEADER_LIMIT_HINT =
  "count the bytes of the head as they arrive: once the request line and headers pass 8192 bytes, answer \"431 Request Header Fields Too Large\" and close. Without a limit, a client can make your server buffer headers forever.";

export const ENDLESS_HEADERS_HINT =
  'check the limit while the head is still incomplete too: when the buffer holds more than 8192 bytes and still no empty line ("\\r\\n\\r\\n"), answer 431 and close. Waiting for the end of a head that never ends is how a server runs out of memory.';

export const SIX_KIB_HINT = "a head of 6 KiB is within the 8 KiB limit: answer it like any other request. Did you cap the buffer lower than 8192 bytes, or read only the first chunk?";

export const CLOSE_AFTER_ERROR_HINT =
  "after a 400 or 431 response, close the connection: socket.end(response) in Node (Python: sendall, then close). The bytes after a bad request cannot be trusted to start a new one.";

export const NOT_FOUND_HINT = "only / and /echo exist: any other path gets \"404 Not Found\" (whatever the method), with a short body and its Content-Length.";

export const QUERY_HINT =
  'the path is the part of the target before "?": "/?page=2" is the path "/" with a query. Split the target at the first "?" before you route (new URL(target, "http://x").pathname does it too).';

export const METHOD_HINT =
  'a path that exists with a method it does not take gets "405 Method Not Allowed" (not 404), with an Allow header listing the methods it takes: "Allow: GET, HEAD" for /, "Allow: GET, HEAD, POST" for /echo.';

export const ALLOW_HINT =
  'a 405 response MUST say which methods the path takes (RFC 9110 §15.5.6): add "Allow: GET, HEAD" for /, "Allow: GET, HEAD, POST" for /echo.';

export const DECODE_HINT =
  'decode msg the way a form encodes it: "%xx" sequences are UTF-8 bytes and "+" is a space. new URLSearchParams(query).get("msg") does both; decodeURIComponent leaves "+" alone (Python: urllib.parse.parse_qs).';

export const ECHO_HINT = 'GET /echo?msg=<text> answers 200 with the decoded text as the body; no msg gives an empty body. Other query parameters are ignored.';

export const POST_HINT =
  "POST /echo answers 200 with the request body, byte for byte: read exactly Content-Length bytes after the head (they may arrive in a later chunk than the head), and send them back as they are.";

export const REASON_HINT = "the reason phrase goes with the code: 200 OK, 400 Bad Request, 404 Not Found, 405 Method Not Allowed, 431 Request Header Fields Too Large.";

export const HEADER_CASE_HINT =
  'header names are case-insensitive: fetch sends "content-length" and "connection" in lower case, curl sends "Content-Length". Store names lower-cased (name.toLowerCase()) and look them up that way (Python: name.lower()).';
