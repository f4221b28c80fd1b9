import { CheckFailure, quoteBytes, type ClientRun } from "../../harness/index.ts";
import { RecordType, typeName, type Question } from "../../protocols/dns-message.ts";
import type { LookupType } from "./expected-output.ts";
import type { LabServer } from "./lab-server.ts";
import { argsOf, describeEnd, quoteArgs, stderrDetails, type Lookup } from "./run-text.ts";

/** The Resolver method for each TYPE, for hints. */
export const RESOLVE_METHOD: Record<LookupType, string> = {
  A: "resolve4(name)",
  AAAA: "resolve6(name)",
  CNAME: "resolveCname(name)",
  MX: "resolveMx(name)",
  TXT: "resolveTxt(name)",
  NS: "resolveNs(name)",
  SRV: "resolveSrv(name)",
  SOA: "resolveSoa(name)",
  PTR: "reverse(ip)",
};

/** "A www.lab-3.test", as a question is written. */
export const asked = (q: Question) => `${typeName(q.type)} ${q.name === "" ? "." : q.name}`;

/** The server's log has a query for `question`; else, what the program asked instead. */
export function expectAsked(lookup: Lookup, question: Question, run: ClientRun, server: LabServer, limitMs: number): void {
  const wanted = `a query for ${asked(question)} sent to ${server.address} (DNS_SERVER)`;
  const same = (q: Question) => q.type === question.type && q.name.toLowerCase() === question.name.toLowerCase();
  if (server.questions.some(same)) return;
  if (server.queries.length === 0 && !run.timedOut && run.exit.code === 2) {
    throw new CheckFailure(`for ${quoteArgs(argsOf(lookup))}, your program exited with code 2, a usage error, without asking the grader's DNS server anything`, {
      details: stderrDetails(run),
      expected: [wanted],
      hint:
        lookup.typeArg && lookup.typeArg !== lookup.type
          ? `TYPE is case-insensitive: "${lookup.typeArg}" means ${lookup.type}. Compare typeArg.toUpperCase() (typ.upper() in Python) with the types.`
          : `these arguments are valid, and DNS_SERVER is ${server.address}: exit with code 2 only for a missing or unknown TYPE, a missing name, a PTR name that is not an IP address, or a DNS_SERVER that is not host:port.`,
    });
  }
  if (server.queries.length === 0) {
    const viaSystem = /getaddrinfo|gaierror|Name or service not known|nodename nor servname|EAI_/i.test(run.stderr) || run.stdout !== "";
    throw new CheckFailure(`your program never queried the grader's DNS server at ${server.address}`, {
      details: [`it ${describeEnd(run, limitMs)}`, ...(run.stdout === "" ? stderrDetails(run) : [`it printed ${quoteBytes(run.stdout)} on stdout all the same`])],
      expected: [wanted],
      hint: viaSystem
        ? "dns.lookup() asks the operating system's resolver (getaddrinfo, /etc/hosts, /etc/resolv.conf), not DNS_SERVER; so does Python's socket.gethostbyname. Use a Resolver with setServers: const resolver = new Resolver(); resolver.setServers([process.env.DNS_SERVER]); then resolver.resolve4(name) (resolveMx, resolveTxt, ... for the other types)."
        : `read DNS_SERVER (host:port) from the environment and send the query there: in Node, const resolver = new Resolver({ timeout: 500, tries: 2 }); resolver.setServers([process.env.DNS_SERVER]); then resolver.${RESOLVE_METHOD[lookup.type]}. Not dns.lookup(): it asks the operating system's resolver. In Python, a UDP socket and sock.sendto(query, (host, port)).`,
    });
  }
  const readable = server.queries.find((q) => q.question);
  if (!readable) {
    const first = server.queries[0]!;
    const hex = [...first.packet.subarray(0, 48)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new CheckFailure(`the grader's DNS server could not read what your program sent: ${first.problem ?? "it is not a DNS query"}`, {
      details: [
        `it sent ${server.queries.length} datagram${server.queries.length === 1 ? "" : "s"} to ${server.address}; the first, in hex: ${hex}${first.packet.length > 48 ? ` … (${first.packet.length} bytes in all)` : ""}`,
      ],
      expected: [wanted],
      hint: "a query is a 12-byte header (ID, flags 0x0100 for \"recursion desired\", QDCOUNT 1, then ANCOUNT, NSCOUNT, ARCOUNT 0), then the name as labels (a length byte, then its letters; a 0 byte ends it), then QTYPE and QCLASS (1 for IN), all numbers big-endian: struct.pack(\"!HHHHHH\", id, 0x0100, 1, 0, 0, 0) in Python.",
    });
  }
  const got = readable.question!;
  const all = server.questions.map(asked);
  const distinct = [...new Set(all)];
  const listed = `${distinct.slice(0, 6).join(", ")}${distinct.length > 6 ? ", …" : ""}`;
  const details = [`the grader's DNS server got ${all.length === 1 ? "one query" : `${all.length} queries`}: ${listed}`];
  const sameName = got.name.toLowerCase() === question.name.toLowerCase();
  const gotType = typeName(got.type);
  const intro = `your program asked for ${gotType} records of ${got.name === "" ? "the root" : got.name}, but the question was ${asked(question)}`;
  if (lookup.type === "PTR" && !sameName) {
    throw new CheckFailure(intro, {
      details,
      expected: [wanted],
      hint: `a PTR lookup asks about the address's reverse name: for IPv4 the four numbers in reverse order under in-addr.arpa (1.2.0.10.in-addr.arpa for 10.0.2.1); for IPv6 every hex digit of the full address, in reverse order, one per label, under ip6.arpa. resolver.reverse(ip) builds it for you.`,
    });
  }
  if (sameName) {
    const typeHint =
      got.type === RecordType.ANY
        ? "ask for the type on the command line only: resolveAny() asks for ANY, which many servers no longer answer (RFC 8482)."
        : `${lookup.type} is QTYPE ${RecordType[lookup.type]}; ${gotType} is ${got.type}. Pick the resolver method from TYPE: resolver.${RESOLVE_METHOD[lookup.type]} for ${lookup.type}.`;
    throw new CheckFailure(intro, { details, expected: [wanted], hint: `${lookup.typeArg && lookup.typeArg !== lookup.type ? `TYPE is case-insensitive: "${lookup.typeArg}" means ${lookup.type}. ` : ""}${typeHint}` });
  }
  throw new CheckFailure(intro, {
    details,
    expected: [wanted],
    hint: "ask about the name exactly as the second argument gives it (process.argv[3] in Node, sys.argv[2] in Python): no search domain, nothing added or left out.",
  });
}
