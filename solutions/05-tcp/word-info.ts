// word-info, reference solution (lesson 5).
import net from "node:net";

const port = Number(process.env.PORT ?? 7006);

const server = net.createServer((socket) => {
  // Declared here, inside the callback: every connection gets its own
  // buffer, so bytes from clients talking at once can never meet.
  let pending = Buffer.alloc(0);

  socket.on("data", (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    const answers: string[] = [];
    let end: number;
    while ((end = pending.indexOf(0x0a)) !== -1) {
      // Decode whole lines only: a chunk may end inside a multi-byte character.
      const word = pending.subarray(0, end).toString("utf8").replace(/\r$/, "");
      pending = pending.subarray(end + 1);
      answers.push(`${describeWord(word)}\n`);
    }
    // One write for all the words of this chunk, answered in the order they came.
    if (answers.length > 0) socket.write(answers.join(""));
  });
  // A client that resets makes the socket emit "error": it ends that
  // connection, not the server.
  socket.on("error", () => socket.destroy());
});

/** "5 h" for "héllo": the number of characters (code points) and the first one. */
function describeWord(word: string): string {
  if (word === "") return "error: empty word";
  // A JavaScript string is UTF-16: "😀".length is 2 and "😀"[0] half an emoji.
  // Spreading it walks code points instead: [..."😀"] is ["😀"].
  const characters = [...word];
  return `${characters.length} ${characters[0]}`;
}

server.listen(port, "127.0.0.1", () => {
  console.log(`word-info listening on 127.0.0.1:${port}`);
});
