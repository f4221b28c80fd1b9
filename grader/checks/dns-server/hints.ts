/**
 * What to try, per kind of mistake: in Node terms, with the Python
 * equivalent where it differs. One place, so every check says it the same way.
 */
export const HINTS = {
  noReply:
    "answer every query with a reply: the query's 12-byte header with QR and AA set (byte 2 |= 0x84, RD kept), ANCOUNT set to the number of answers; then the question section exactly as it came; then the answer records. Send it back with socket.send(reply, rinfo.port, rinfo.address) (Python: sock.sendto(reply, addr)).",
  id: "copy the query's ID, its first two bytes, into the reply: reply.writeUInt16BE(query.readUInt16BE(0), 0) (Python: data[:2]). Never make up an ID or count your own: the ID is how a resolver pairs a reply with its query.",
  qr: "set QR, the top bit of the flags (byte 2 |= 0x80): with QR clear the message is a query, not a reply.",
  aa: "set AA (authoritative answer, 0x0400 in the flags word, byte 2 |= 0x04): your server is the authority for the zone it serves.",
  rd: "copy RD (0x0100 in the flags word, bit 0 of byte 2) from the query into the reply, whatever its value: set when the query set it, clear when it did not.",
  ra: "leave RA (0x0080, recursion available) clear: this server answers from its zone only, it does not recurse.",
  tc: "leave TC (0x0200, truncated) clear: these replies fit in one datagram, and TC tells the resolver to ask again over TCP.",
  opcode: "copy the opcode (bits 11-14 of the flags word: (flags >> 11) & 0xf) from the query into the reply.",
  question:
    "echo the question section exactly as it came: the bytes from offset 12 to the end of QCLASS, with the name in the case it was asked (resolvers randomise the case of letters, DNS 0x20, and compare). Copy query.subarray(12, end) rather than writing the name again from your zone.",
  caseInsensitive:
    "DNS names match whatever their case: www.Example.TEST is www.example.test. Lower-case names when you read the zone file and when you look a question up (name.toLowerCase(), Python: name.lower()), but echo the question as it was asked.",
  nxdomain:
    "when no record in the zone has the asked name, answer NXDOMAIN (RCODE 3) with no answers. NOERROR with no answers means something else: the name exists, but has no records of that type.",
  nodata:
    "a name that is in the zone, but has no records of the asked type (or a type you do not serve, like SOA or SRV), gets NOERROR (RCODE 0) with an empty answer section. NXDOMAIN would tell the resolver the name does not exist at all, for every type.",
  cname:
    "when the name is an alias (it has a CNAME) and the query asks for another type, answer the CNAME record, then look up the CNAME's target in your zone and add its records of the asked type after it. A CNAME query gets the CNAME alone.",
  cnameFirst: "put the CNAME record first in the answer section, then the target's records: a resolver follows the chain from the question's name.",
  ttl: "give each answer the TTL its line in the zone file says (the second field), as a 32-bit number: reply.writeUInt32BE(ttl, offset). Do not hard-code one TTL for every record.",
  zoneLines:
    'a zone file line\'s fields are separated by one or more spaces or tabs, and ";" starts a comment that runs to the end of the line (whole lines and after a record). Cut the comment first, then split on any run of whitespace: line.split(";")[0].trim().split(/\\s+/) (Python: line.split(";")[0].split()). Keep a TXT record\'s quoted strings whole: they may hold spaces.',
  txt: 'TXT rdata is one or more quoted strings: each becomes its own character-string in the reply, a length byte then its bytes, spaces and all, without the quotes. "v=spf1 -all" "hello world" is two strings: 11 and 11 bytes.',
  notimp: "read the opcode from the flags ((flags >> 11) & 0xf). Anything other than 0 (QUERY) gets NOTIMP: RCODE 4, the query's ID, QR set, the opcode copied; the question section may be left empty.",
  formerr:
    "check the question before you answer it: QDCOUNT must be 1, and the name's labels, then QTYPE and QCLASS, must fit in the packet (each label length byte below 64, no compression pointer, the name at most 255 bytes). Anything else gets FORMERR: RCODE 1, the query's ID, QR set, and an empty question section (QDCOUNT 0) since the question could not be read.",
  formerrEcho:
    "when the question cannot be read, do not echo it: reply with the 12-byte header only (the query's ID, QR set, RCODE 1, all four counts 0).",
  tooShort:
    "a packet shorter than 12 bytes has no complete header: drop it without replying, and never read past the end of a packet (check packet.length before readUInt16BE, which throws a RangeError past the end; Python: struct.error).",
  response: "a packet with QR set is a response, not a query: drop it. Answering responses lets two servers bounce packets between them forever.",
  edns:
    "dig and many resolvers add an OPT record (EDNS) to the additional section: ARCOUNT is 1. Read the question, answer it, and ignore what comes after it. In the reply, set ARCOUNT to the number of records you write there: 0 if you do not echo the OPT record.",
  concurrent:
    "handle each datagram on its own: keep the query, its ID and the sender's address in the 'message' callback's own variables (not a variable shared by every query), and answer with socket.send(reply, rinfo.port, rinfo.address) before or without waiting for anything else.",
  sameSocket:
    "reply from the socket that received the query (socket.send on the same dgram socket; Python: the bound socket's sendto). Resolvers connect their socket to the server's address and port, so a reply from any other port never reaches them.",
  counts:
    "the header's counts must match what follows: QDCOUNT 1 for the echoed question, ANCOUNT the number of answer records you wrote, NSCOUNT and ARCOUNT 0 unless you write records there. A header copied from the query keeps the query's ARCOUNT (1 when it had an EDNS OPT record).",
  rdlength: "RDLENGTH must be the exact number of RDATA bytes that follow it: 4 for A, 16 for AAAA, the encoded name for CNAME and NS, 2 + the name for MX, the strings with their length bytes for TXT.",
  names: "write a name as labels, each a length byte then its bytes, ending with a 0 byte: 3 www 7 example 4 test 0. A compression pointer (0xC0 0x0C for the question's name at byte 12) must point back to a name earlier in the message.",
} as const;
