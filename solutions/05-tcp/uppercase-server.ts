// uppercase-server, reference solution (lesson 5).
import net from "node:net";

const port = Number(process.env.PORT ?? 7005);

const server = net.createServer((socket) => {
  // TCP delivers a stream of bytes, not messages: a line may come in pieces,
  // or several in one chunk. Bytes wait here, per connection, until their
  // "\n" has arrived.
  let pending = Buffer.alloc(0);

  socket.on("data", (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    const answers: string[] = [];
    let end: number;
    while ((end = pending.indexOf(0x0a)) !== -1) {
      // Decode whole lines only: a chunk may end in the middle of a
      // multi-byte character, which decoded alone would become U+FFFD.
      const line = pending.subarray(0, end).toString("utf8").replace(/\r$/, "");
      pending = pending.subarray(end + 1);
      if (line === "q") {
        socket.end(`${answers.join("")}bye\n`);
        // Anything after "q" stays unanswered: stop reading.
        socket.removeAllListeners("data");
        return;
      }
      // toUpperCase() applies Unicode's default case mapping: "ß" becomes "SS".
      answers.push(`${line.toUpperCase()}\n`);
    }
    // One write for all the lines of this chunk: one segment, not many small ones.
    if (answers.length > 0) socket.write(answers.join(""));
  });
  // A client that resets makes the socket emit "error": it ends that
  // connection, not the server.
  socket.on("error", () => socket.destroy());
});

server.listen(port, "127.0.0.1", () => {
  console.log(`uppercase-server listening on 127.0.0.1:${port}`);
});
