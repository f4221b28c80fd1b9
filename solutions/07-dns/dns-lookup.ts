// dns-lookup, reference solution (lesson 7).
import { Resolver } from "node:dns/promises";
import net from "node:net";

/** Per TYPE: ask for the records, and make each one the line the contract gives it. */
const LOOKUPS: Record<string, (resolver: Resolver, name: string) => Promise<string[]>> = {
  A: (resolver, name) => resolver.resolve4(name),
  AAAA: (resolver, name) => resolver.resolve6(name), // already in RFC 5952 form: "2001:db8::1"
  CNAME: (resolver, name) => resolver.resolveCname(name),
  NS: (resolver, name) => resolver.resolveNs(name),
  // reverse() asks for the PTR records of 4.3.2.1.in-addr.arpa (or of the
  // address's ip6.arpa name). Beware: it answers from /etc/hosts first.
  PTR: (resolver, ip) => resolver.reverse(ip),
  MX: async (resolver, name) => (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`),
  // One record may hold several strings (each at most 255 bytes): together they are one text.
  TXT: async (resolver, name) => (await resolver.resolveTxt(name)).map((strings) => strings.join("")),
  SRV: async (resolver, name) => (await resolver.resolveSrv(name)).map((srv) => `${srv.priority} ${srv.weight} ${srv.port} ${srv.name}`),
  SOA: async (resolver, name) => {
    const soa = await resolver.resolveSoa(name);
    return [`${soa.nsname} ${soa.hostmaster} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minttl}`];
  },
};

/** The contract allows 5 s in all; this timer is the guarantee, whatever c-ares does. */
const GIVE_UP_MS = 4000;

/** What is wrong with how the program was started (exit code 2), or undefined. */
function usageProblem(type: string, name: string | undefined, server: string | undefined): string | undefined {
  if (!Object.hasOwn(LOOKUPS, type)) return `usage: dns-lookup <TYPE> <name>, TYPE one of ${Object.keys(LOOKUPS).join(" ")}`;
  if (!name) return `usage: dns-lookup ${type} <name>: the name is missing`;
  if (type === "PTR" && !net.isIP(name)) return `PTR takes an IP address, not "${name}"`;
  if (!server) return "DNS_SERVER is not set: give the server as host:port, e.g. DNS_SERVER=127.0.0.1:5353";
  // setServers() takes "127.0.0.1:5353" and "[::1]:5353" as they are, but throws on anything else.
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(server);
  const port = Number(match?.[3]);
  if (!net.isIP(match?.[1] ?? match?.[2] ?? "") || port < 1 || port > 65535) return `DNS_SERVER must be <ip>:<port> (127.0.0.1:5353, [::1]:5353), not "${server}"`;
  return undefined;
}

/** Why a lookup failed, in words, from the code c-ares gives. */
function reason(error: NodeJS.ErrnoException, type: string, name: string, server: string): string {
  if (error.code === "ENOTFOUND") return `${name} does not exist (NXDOMAIN)`;
  if (error.code === "ENODATA") return `${name} has no ${type} records`;
  if (error.code === "ETIMEOUT" || error.code === "ECANCELLED") return `no answer from ${server} in time`;
  if (error.code === "ECONNREFUSED") return `${server} refused the query: is a DNS server listening there?`;
  return error.message;
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

  // c-ares waits `timeout` ms for a try and longer for each retry: two short
  // tries end in about 2 s on loopback, well inside the contract's 5 s.
  const resolver = new Resolver({ timeout: 500, tries: 2 });
  resolver.setServers([server]);
  const timer = setTimeout(() => resolver.cancel(), GIVE_UP_MS);
  try {
    const lines = await LOOKUPS[type]!(resolver, name);
    // Byte order (JS's default sort of strings): "10.0.0.10" comes before "10.0.0.9".
    for (const line of lines.sort()) console.log(line);
    return 0;
  } catch (error) {
    console.error(`error: ${reason(error as NodeJS.ErrnoException, type, name, server)}`);
    return 1;
  } finally {
    clearTimeout(timer);
  }
}

process.exitCode = await main();
