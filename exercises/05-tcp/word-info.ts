// Exercise: word-info (lesson 5, "TCP: a reliable byte stream").
//
// Each line a client sends (bytes up to "\n", a "\r" right before it dropped;
// UTF-8 text) is one word, the whole line. Answer each with one line,
// "<n> <c>\n": the number of characters in the word, counted as Unicode code
// points ("héllo" is 5, "😀" is 1), and its first character:
//   héllo  ->  5 h        😀ok  ->  3 😀
// An empty line gets "error: empty word". Words may arrive in pieces or
// several in one chunk. Four clients send words at the same time,
// interleaved: each gets its own answers, in order.
//
// Try it:   npx socketlings run word-info       (then: nc 127.0.0.1 <port>, in two terminals)
// Grade it: npx socketlings grade word-info
// Stuck?    npx socketlings hint word-info
import net from "node:net";

// The grader chooses the port and passes it in the environment.
const port = Number(process.env.PORT ?? 7006);

const server = net.createServer((socket) => {
  socket.on("data", (chunk) => {
    console.log(`received ${chunk.length} bytes`);
    // TODO: keep this connection's bytes until a "\n" arrives; each complete
    //       line is a word. Answer it with "<n> <c>\n", or "error: empty word\n".
    // TODO: count code points, not bytes or UTF-16 units.
  });
  // TODO: handle "error", so a client that resets cannot crash the server.
});

server.listen(port, "127.0.0.1", () => {
  console.log(`word-info listening on 127.0.0.1:${port}`);
});
