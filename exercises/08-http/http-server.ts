// Exercise: http-server (lesson 8, "HTTP and APIs").
//
// An HTTP/1.1 server written on a plain TCP server: you read the bytes of
// each request and write the bytes of each response yourself (no node:http).
//
// Routes:
//   GET /               200, Content-Type "text/html; charset=utf-8",
//                       body <html><body><h1>Hello, World!</h1></body></html>
//   GET /echo?msg=hi    200, Content-Type "text/plain; charset=utf-8", body "hi"
//                       (msg decoded like URLSearchParams: %C3%A9 is "é", "+" is a space)
//   POST /echo          200, the request body back, byte for byte
//   HEAD / or /echo     GET's status line and headers, and no body
//   any other path      404 Not Found
//   a known path, another method   405 Method Not Allowed, with
//                       "Allow: GET, HEAD" (for /) or "Allow: GET, HEAD, POST" (for /echo)
//   a malformed request line or header   400 Bad Request, then close
//   request line + headers over 8 KiB    431 Request Header Fields Too Large, then close
//
// A response is: "HTTP/1.1 200 OK\r\n", header lines "Name: value\r\n", an
// empty line "\r\n", then the body. Every response has a Content-Length: the
// body's size in bytes. A request's body is exactly Content-Length bytes.
//
// Keep the connection open for the next request (HTTP/1.1 keep-alive), unless
// the request says "Connection: close" (answer with "Connection: close", then
// close) or is HTTP/1.0 (answer, then close). Requests may arrive in pieces,
// or several in one chunk: answer each, in order.
//
// Try it:   npx socketlings run http-server    (then: curl -v http://127.0.0.1:<port>/)
// Grade it: npx socketlings grade http-server
// Stuck?    npx socketlings hint http-server
import net from "node:net";

const port = Number(process.env.PORT ?? 8080);

const server = net.createServer((socket) => {
  socket.on("data", (chunk) => {
    // Shows what a client sent: try it with curl, then with your browser.
    console.log(JSON.stringify(chunk.toString("latin1")));
    // TODO: keep this connection's bytes in a buffer until it holds a whole
    //       request: the head ends at an empty line ("\r\n\r\n"), then comes
    //       a body of Content-Length bytes.
    // TODO: parse the request line (METHOD /target HTTP/1.1) and the headers
    //       (names are case-insensitive); answer 400 or 431 and close when
    //       they are malformed or too long.
    // TODO: route it, and write the response with an exact Content-Length.
    // TODO: loop: the buffer may already hold the next request.
  });
  // TODO: handle "error", so a client that resets cannot crash the server.
});

server.listen(port, "127.0.0.1", () => {
  console.log(`http-server listening on http://127.0.0.1:${port}/`);
});
