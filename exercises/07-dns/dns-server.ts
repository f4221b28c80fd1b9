// Exercise: dns-server (lesson 7, "DNS").
//
// Serve the zone in ZONE_FILE over UDP on PORT, as an authoritative DNS
// server. The zone file has one record a line, `<name> <ttl> IN <type>
// <rdata>`, fields separated by spaces or tabs, names ending with a dot, `;`
// starting a comment; types A AAAA CNAME MX TXT NS (TXT: quoted strings).
//
// Answer each query (RFC 1035, section 4):
// - the header: the query's ID, QR and AA set, the opcode and RD copied,
//   RCODE, QDCOUNT 1, ANCOUNT the number of answers;
// - the question section exactly as it came (same bytes, same case);
// - the answers: every record of the asked type whose name matches (in any
//   case), each as name, TYPE, CLASS 1, TTL from the zone, RDLENGTH, RDATA.
//   An alias (CNAME) gets its CNAME record, then the target's records.
// - A name in the zone without that type: NOERROR, no answers. A name not in
//   the zone: NXDOMAIN (3). An opcode other than 0: NOTIMP (4). A bad
//   question (QDCOUNT not 1, a name cut short): FORMERR (1). Shorter than 12
//   bytes, or a response (QR set): no reply. Never crash.
//
// Try it:   ZONE_FILE=exercises/07-dns/example.zone npx socketlings run dns-server
//           then: dig @127.0.0.1 -p <port> www.example.test
// Grade it: npx socketlings grade dns-server
// Stuck?    npx socketlings hint dns-server
import dgram from "node:dgram";
import { readFileSync } from "node:fs";

const port = Number(process.env.PORT ?? 5353);
const zoneFile = process.env.ZONE_FILE;
if (!zoneFile) {
  console.error("error: set ZONE_FILE to the zone to serve, e.g. ZONE_FILE=exercises/07-dns/example.zone");
  process.exit(1);
}

// TODO: parse each line into a record: cut the ";" comment, split on runs of
//       spaces or tabs, keep a TXT record's quoted strings whole, and store the
//       records by their lower-cased name without the trailing dot.
const zoneLines = readFileSync(zoneFile, "utf8").split("\n");
console.log(`read ${zoneLines.length} lines from ${zoneFile}`);

const socket = dgram.createSocket("udp4");
socket.on("error", (error) => console.error(`socket error: ${error.message}`));

socket.on("message", (query, sender) => {
  console.log(`got a ${query.length}-byte query from ${sender.address}:${sender.port}`);
  // TODO: drop a packet shorter than 12 bytes, or with QR set.
  // TODO: read the header: ID = query.readUInt16BE(0), flags = query.readUInt16BE(2),
  //       opcode = (flags >> 11) & 0xf, QDCOUNT = query.readUInt16BE(4).
  // TODO: read the question's name from byte 12 (length-prefixed labels, ending
  //       with a 0 byte), then QTYPE and QCLASS (2 bytes each).
  // TODO: build the reply (header, the question as it came, the answers) and send it:
  //       socket.send(reply, sender.port, sender.address)
});

socket.bind(port, "127.0.0.1", () => {
  console.log(`dns-server listening on 127.0.0.1:${port} (UDP)`);
});
