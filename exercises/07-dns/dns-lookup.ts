// Exercise: dns-lookup (lesson 7, "DNS").
//
// A small dig: ask one DNS server for the records of one name, and print them.
// Run as `dns-lookup <TYPE> <name>`, with DNS_SERVER=host:port (127.0.0.1:5353,
// or [::1]:5353) naming the server to ask. TYPE is one of A AAAA CNAME MX TXT
// NS SRV SOA PTR, in any case; PTR takes an IP address and looks up its
// reverse name. Print one record per line, the lines sorted in byte order
// (so "10.0.0.10" comes before "10.0.0.9"), then exit with code 0:
//   A, AAAA      the address (AAAA as "2001:db8::1", the way resolve6 gives it)
//   CNAME NS PTR the name, without a trailing dot
//   MX           "<priority> <exchange>"
//   TXT          the record's strings joined with nothing between them
//   SRV          "<priority> <weight> <port> <target>"
//   SOA          "<mname> <rname> <serial> <refresh> <retry> <expire> <minimum>"
// A name that does not exist, no records of that type, no answer within 5 s:
// "error: <reason>" on stderr, nothing on stdout, exit code 1.
// Bad arguments, or DNS_SERVER unset or not host:port: "error: <reason>" on
// stderr, exit code 2.
//
// Try it:   it needs a server to ask. Start one (your dns-server, the next
//           exercise, or the lesson's mini server); it prints its port:
//             ZONE_FILE=exercises/07-dns/example.zone npx socketlings run dns-server
//           then, in another terminal:
//             DNS_SERVER=127.0.0.1:<port> npx socketlings run dns-lookup -- A www.example.test
//           or ask a public server: DNS_SERVER=1.1.1.1:53 npx socketlings run dns-lookup -- MX example.com
// Grade it: npx socketlings grade dns-lookup
// Stuck?    npx socketlings hint dns-lookup
import { Resolver } from "node:dns/promises";
import net from "node:net";

const TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "SOA", "PTR"];

/** The records of one type, each as the one line the contract gives it. */
async function lookup(resolver: Resolver, type: string, name: string): Promise<string[]> {
  // TODO: one resolver method per type:
  //   A: resolver.resolve4(name)   AAAA: resolve6   CNAME: resolveCname   NS: resolveNs
  //   PTR: resolver.reverse(ip), which asks for 4.3.2.1.in-addr.arpa (or the ip6.arpa name) for you
  //   MX: resolveMx gives [{ priority, exchange }]: make each `${mx.priority} ${mx.exchange}`
  //   TXT: resolveTxt gives each record as an array of strings: join them with ""
  //   SRV: resolveSrv gives [{ priority, weight, port, name }]
  //   SOA: resolveSoa gives one { nsname, hostmaster, serial, refresh, retry, expire, minttl }
  throw new Error(`TODO: look up the ${type} records of ${name}`);
}

/** What is wrong with the arguments or DNS_SERVER, or undefined when all is well. */
function usageProblem(type: string, name: string, server: string): string | undefined {
  // TODO: TYPE must be one of TYPES; a name must be given; for PTR, the name
  //       must be an IP address (net.isIP(name) is 4 or 6); DNS_SERVER must be
  //       host:port ("127.0.0.1:5353", "[::1]:5353"). Return what is wrong, in words.
  return undefined;
}

async function main(): Promise<number> {
  const [typeArg = "", name = ""] = process.argv.slice(2);
  const type = typeArg.toUpperCase();
  const server = process.env.DNS_SERVER ?? "";
  const problem = usageProblem(type, name, server);
  if (problem !== undefined) {
    console.error(`error: ${problem}`);
    return 2;
  }

  // TODO: ask DNS_SERVER, not the servers in /etc/resolv.conf: resolver.setServers([server]).
  //       (dns.lookup() would not do: it asks the operating system's resolver.)
  // TODO: give up within 5 s when the server never answers: c-ares's defaults
  //       keep trying for about 20 s. new Resolver({ timeout: 500, tries: 2 }),
  //       and a setTimeout that calls resolver.cancel() to be sure.
  const resolver = new Resolver();
  try {
    const lines = await lookup(resolver, type, name);
    // TODO: sort the lines in byte order first: lines.sort().
    for (const line of lines) console.log(line);
    return 0;
  } catch (error) {
    // TODO: say why in words, from (error as NodeJS.ErrnoException).code:
    //       ENOTFOUND (no such name, NXDOMAIN), ENODATA (no records of that type),
    //       ETIMEOUT or ECANCELLED (no answer in time), ECONNREFUSED (nobody there).
    console.error(`error: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
