// frame-decoder, reference solution (lesson 3).
//
// Each line is the hex of one Ethernet II frame. The reply peels the layers
// in the order they nest, one header inside the payload of the one before:
//   eth <src> > <dst> | ipv4 <src> > <dst> ttl=<n> | tcp <sport> > <dport> flags=<...> | payload <n>
// Every length is checked before a field is read, so a frame cut short gets
// "error: <reason>" and the connection carries on with the next line.
import net from "node:net";

const port = Number(process.env.PORT ?? 7003);

/** Why a line cannot be decoded: its message becomes the "error: ..." reply. */
class FrameError extends Error {}

/** Throws unless `bytes` holds at least `length` bytes: reading past the end would throw a RangeError. */
function need(bytes: Buffer, length: number, what: string): void {
  if (bytes.length < length) throw new FrameError(`${what} cut short: needs ${length} bytes, has ${bytes.length}`);
}

/** One request line, one reply line. */
function describeLine(line: string): string {
  try {
    return describeFrame(hexToBytes(line));
  } catch (error) {
    if (error instanceof FrameError) return `error: ${error.message}`;
    // Anything else is a bug in this program, not bad input: let it show rather than hide it in a reply.
    throw error;
  }
}

function hexToBytes(line: string): Buffer {
  if (line === "") throw new FrameError("empty line");
  // Buffer.from(text, "hex") would stop silently at the first bad character: check first.
  if (!/^[0-9a-fA-F]*$/.test(line)) throw new FrameError("not hex: only 0-9, a-f and A-F may appear");
  if (line.length % 2 !== 0) throw new FrameError("odd number of hex digits");
  return Buffer.from(line, "hex");
}

/** Ethernet II: destination (6 bytes), source (6), ethertype (2), then the packet. */
function describeFrame(frame: Buffer): string {
  need(frame, 14, "Ethernet header");
  const ethernet = `eth ${formatMac(frame.subarray(6, 12))} > ${formatMac(frame.subarray(0, 6))}`;
  const etherType = frame.readUInt16BE(12);
  const packet = frame.subarray(14);
  switch (etherType) {
    case 0x0800:
      return [ethernet, ...describeIpv4(packet)].join(" | ");
    case 0x86dd:
      return [ethernet, ...describeIpv6(packet)].join(" | ");
    default:
      return [ethernet, `type 0x${etherType.toString(16).padStart(4, "0")}`].join(" | ");
  }
}

function describeIpv4(packet: Buffer): string[] {
  need(packet, 20, "IPv4 header");
  const version = packet[0]! >> 4;
  if (version !== 4) throw new FrameError(`IPv4 header says version ${version}`);
  // IHL counts 32-bit words; anything past 20 bytes is options.
  const headerLength = (packet[0]! & 0x0f) * 4;
  if (headerLength < 20) throw new FrameError(`IPv4 header length ${headerLength} is below 20`);
  need(packet, headerLength, "IPv4 options");
  const totalLength = packet.readUInt16BE(2);
  if (totalLength < headerLength) throw new FrameError(`IPv4 total length ${totalLength} is shorter than its header`);
  need(packet, totalLength, "IPv4 packet");
  const ttl = packet[8]!;
  const protocol = packet[9]!;
  const layer = `ipv4 ${formatIpv4(packet.subarray(12, 16))} > ${formatIpv4(packet.subarray(16, 20))} ttl=${ttl}`;
  // The packet ends at its total length: bytes after it are Ethernet padding.
  return [layer, ...describeTransport(protocol, packet.subarray(headerLength, totalLength))];
}

function describeIpv6(packet: Buffer): string[] {
  need(packet, 40, "IPv6 header");
  const payloadLength = packet.readUInt16BE(4);
  need(packet, 40 + payloadLength, "IPv6 packet");
  const nextHeader = packet[6]!;
  const hopLimit = packet[7]!;
  const layer = `ipv6 ${formatIpv6(packet.subarray(8, 24))} > ${formatIpv6(packet.subarray(24, 40))} hop=${hopLimit}`;
  return [layer, ...describeTransport(nextHeader, packet.subarray(40, 40 + payloadLength))];
}

/** `segment` is exactly the IP packet's payload, so its length is what the IP header said. */
function describeTransport(protocol: number, segment: Buffer): string[] {
  switch (protocol) {
    case 6:
      return describeTcp(segment);
    case 17:
      need(segment, 8, "UDP header");
      return [`udp ${segment.readUInt16BE(0)} > ${segment.readUInt16BE(2)}`, `payload ${segment.length - 8}`];
    case 1:
      need(segment, 4, "ICMP header");
      return [`icmp type=${segment[0]} code=${segment[1]}`];
    default:
      return [`proto ${protocol}`];
  }
}

const TCP_FLAGS = ["FIN", "SYN", "RST", "PSH", "ACK", "URG"];

function describeTcp(segment: Buffer): string[] {
  need(segment, 20, "TCP header");
  // The data offset counts 32-bit words, options included; the payload starts after it.
  const headerLength = (segment[12]! >> 4) * 4;
  if (headerLength < 20) throw new FrameError(`TCP data offset ${headerLength / 4} is below 5`);
  need(segment, headerLength, "TCP options");
  const flags = TCP_FLAGS.filter((_, bit) => segment[13]! & (1 << bit));
  return [`tcp ${segment.readUInt16BE(0)} > ${segment.readUInt16BE(2)} flags=${flags.join(",") || "none"}`, `payload ${segment.length - headerLength}`];
}

function formatMac(bytes: Buffer): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

function formatIpv4(bytes: Buffer): string {
  return [...bytes].join(".");
}

/** RFC 5952: lower case, no leading zeros, the first longest run of two or more zero groups as "::". */
function formatIpv6(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(2 * i));
  let best = { start: -1, length: 1 }; // a run must beat 1 group: a lone zero stays "0"
  for (let i = 0; i < 8; ) {
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > best.length) best = { start: i, length: end - i };
    i = Math.max(end, i + 1);
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

const server = net.createServer((socket) => {
  // Each connection has its own unfinished line: TCP may split a line anywhere,
  // or bring several lines in one chunk.
  let pending = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (let end = pending.indexOf(0x0a); end >= 0; end = pending.indexOf(0x0a)) {
      // A valid line is ASCII; latin1 turns any other byte into one character, which then fails the hex test.
      const line = pending.subarray(0, end).toString("latin1").replace(/\r$/, "");
      pending = pending.subarray(end + 1);
      socket.write(`${describeLine(line)}\n`);
    }
  });
  // A client that resets its connection must not crash the server for everyone.
  socket.on("error", () => socket.destroy());
});

server.listen(port, "127.0.0.1", () => {
  console.log(`frame-decoder listening on 127.0.0.1:${port}`);
});
