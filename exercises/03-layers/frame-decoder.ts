// Exercise: frame-decoder (lesson 3, "The OSI model and the TCP/IP stack").
//
// Each line a client sends is the hex of one Ethernet II frame (upper or
// lower case). Reply with one line per request, in order, naming the layers
// as they nest, joined by " | ":
//   eth <src> > <dst>                      MACs in lower case, colon-separated
//   ipv4 <src> > <dst> ttl=<ttl>           ethertype 0x0800
//   ipv6 <src> > <dst> hop=<hop limit>     ethertype 0x86dd, RFC 5952 addresses
//   type 0x<4 hex digits>                  any other ethertype, and nothing more
//   tcp <sport> > <dport> flags=<FIN,SYN,RST,PSH,ACK,URG or none>   protocol 6
//   udp <sport> > <dport>                  protocol 17
//   icmp type=<t> code=<c>                 protocol 1 (a 4-byte header here)
//   proto <n>                              any other protocol, and nothing more
//   payload <n>                            after tcp or udp: bytes after the
//                                          transport header within the IP packet
// A line that is not hex, or a frame cut short, gets "error: <reason>", and
// the connection stays open for the next line. For example, this line
//   66778899aabb001a2b3c4d5e08004500003c1c464000400626e9c0a8010a5db8d822c93800503b9aca0000000000a002faf050060000020405b40402080a0a1b2c3d0000000001030307
// gets
//   eth 00:1a:2b:3c:4d:5e > 66:77:88:99:aa:bb | ipv4 192.168.1.10 > 93.184.216.34 ttl=64 | tcp 51512 > 80 flags=SYN | payload 0
//
// Try it:   npx socketlings run frame-decoder       (then: nc 127.0.0.1 <port>, and paste the line above)
// Grade it: npx socketlings grade frame-decoder
// Stuck?    npx socketlings hint frame-decoder
import net from "node:net";

const port = Number(process.env.PORT ?? 7003);

const server = net.createServer((socket) => {
  socket.on("data", (chunk) => {
    console.log(`received ${chunk.length} bytes`);
    // TODO: a chunk is not a line. Keep the bytes of this connection in a
    //       buffer, cut it at each "\n" (drop a "\r" right before it), and
    //       for each whole line write describeLine(line) + "\n".
  });
  // TODO: handle "error" so a client that resets cannot crash the server.
});

/** One request line (the hex of a frame) to one reply line. */
function describeLine(line: string): string {
  // TODO: check the line is pairs of hex digits, turn it into bytes with
  //       Buffer.from(line, "hex"), then read the Ethernet header, the IP
  //       header, the TCP/UDP/ICMP header, checking the length before each.
  return `error: not decoded yet (${line.length} characters)`;
}

server.listen(port, "127.0.0.1", () => {
  console.log(`frame-decoder listening on 127.0.0.1:${port}`);
});
