import { check, gradeExercise, judgingRun, type CheckContext, type ClientRun } from "../harness/index.ts";
import type { ResourceRecord } from "../protocols/dns-message.ts";
import { LabServer } from "./dns-lookup/lab-server.ts";
import { ZoneMaker } from "./dns-lookup/random-zone.ts";
import { argsOf, expectUsageError, judgeLookup, type Lookup } from "./dns-lookup/verdict.ts";

gradeExercise("dns-lookup");

/** A lookup on loopback takes milliseconds; this leaves room for a slow start, and stops a stuck program soon. */
const RUN_LIMIT_MS = 4000;
/** The contract's 5 s to give up, the slack the verdict allows, and a little more to see it happen. */
const SILENT_RUN_LIMIT_MS = 6500;

/**
 * Runs the program once per lookup, each against its own grader's DNS server
 * (so each run's queries are its own), all at once; then judges them in
 * order and reports the first that went wrong.
 */
async function lookUp(ctx: CheckContext, lookups: Lookup[]): Promise<ClientRun[]> {
  const runs = await Promise.all(
    lookups.map(async (lookup) => {
      const server = await LabServer.open(ctx, lookup.zone, { silent: lookup.silent ?? false });
      const limitMs = lookup.silent ? SILENT_RUN_LIMIT_MS : RUN_LIMIT_MS;
      const run = await ctx.run(argsOf(lookup), { env: { DNS_SERVER: server.address }, timeoutMs: limitMs });
      return { lookup, server, run, limitMs };
    }),
  );
  for (const { lookup, server, run, limitMs } of runs) judgingRun(run, () => judgeLookup(lookup, run, server, limitMs));
  return runs.map(({ run }) => run);
}

check("prints the A and AAAA records of a name, one per line, in byte order", async (ctx) => {
  const lab = new ZoneMaker(ctx.random);
  const www = lab.host();
  lab.add(www, lab.ipv4s(4).map((address) => ({ type: "A", address })));
  lab.add(www, lab.ipv6s().map((address) => ({ type: "AAAA", address })));
  await lookUp(ctx, [
    { type: "A", name: www, zone: lab.records },
    { type: "AAAA", name: www, zone: lab.records },
  ]);
});

check("follows a CNAME for A, and prints the alias's target for CNAME", async (ctx) => {
  const lab = new ZoneMaker(ctx.random);
  const alias = lab.host();
  const target = lab.host();
  lab.add(alias, [{ type: "CNAME", name: target }]);
  lab.add(target, lab.ipv4s(3).map((address) => ({ type: "A", address })));
  await lookUp(ctx, [
    { type: "A", name: alias, zone: lab.records },
    { type: "CNAME", name: alias, zone: lab.records },
  ]);
});

check('prints MX records as "<priority> <exchange>" and TXT records as their strings joined, TYPE in any case', async (ctx) => {
  const lab = new ZoneMaker(ctx.random);
  const domain = lab.host();
  lab.add(domain, lab.preferences().map((preference) => ({ type: "MX", preference, exchange: lab.host() })));
  // A long TXT value comes as several strings (each at most 255 bytes); here cut in three to show it.
  const key = lab.split(`v=DKIM1; k=rsa; p=${lab.key(48)}`, 3);
  lab.add(domain, [
    { type: "TXT", strings: key },
    { type: "TXT", strings: [`${lab.domain} site-verification=${lab.key(12)}`] },
  ]);
  await lookUp(ctx, [
    { type: "MX", typeArg: "mx", name: domain, zone: lab.records },
    { type: "TXT", name: domain, zone: lab.records },
  ]);
});

check("prints NS, SOA and SRV records", async (ctx) => {
  const lab = new ZoneMaker(ctx.random);
  const domain = lab.host();
  const servers = [lab.host(), lab.host(), lab.host()];
  lab.add(domain, servers.map((name) => ({ type: "NS", name })));
  lab.add(domain, [lab.soa(servers[0]!, `hostmaster.${domain}`)]);
  const service = `_${lab.pick(["sip", "xmpp", "ldap", "imap"])}._tcp.${domain}`;
  lab.add(service, lab.preferences().map((priority) => ({ type: "SRV", priority, weight: lab.int(0, 100), port: lab.int(1024, 65535), target: lab.host() })));
  await lookUp(ctx, [
    { type: "NS", name: domain, zone: lab.records },
    { type: "SOA", name: domain, zone: lab.records },
    { type: "SRV", name: service, zone: lab.records },
  ]);
});

check("looks up the PTR records of an IPv4 and an IPv6 address", async (ctx) => {
  const lab = new ZoneMaker(ctx.random);
  const v4 = lab.ipv4();
  const v6 = lab.ipv6();
  lab.add(lab.reverse(v4), [{ type: "PTR", name: lab.host() }]);
  lab.add(lab.reverse(v6), [{ type: "PTR", name: lab.host() }]);
  await lookUp(ctx, [
    { type: "PTR", name: v4, zone: lab.records },
    { type: "PTR", name: v6, zone: lab.records },
  ]);
});

check('fails with "error: <reason>" and exit code 1 for a name that does not exist or has no records of the type', async (ctx) => {
  const lab = new ZoneMaker(ctx.random);
  const known = lab.host();
  const missing = lab.host();
  lab.add(known, [{ type: "A", address: lab.ipv4() }]);
  lab.add(known, [{ type: "TXT", strings: [`owner=${lab.label()}`] }]);
  await lookUp(ctx, [
    { type: "A", name: missing, zone: lab.records },
    { type: "MX", name: known, zone: lab.records },
  ]);
});

check('gives up with "error: <reason>" and exit code 1 within 5 s when the server never answers', async (ctx) => {
  const lab = new ZoneMaker(ctx.random);
  const www = lab.host();
  lab.add(www, [{ type: "A", address: lab.ipv4() }]);
  const [run] = await lookUp(ctx, [{ type: "A", name: www, zone: lab.records, silent: true }]);
  ctx.scope.transcript.add("grader", `your program gave up after ${run!.durationMs} ms, within the 5 s the contract allows`);
});

check('rejects bad arguments and a bad DNS_SERVER with "error: <reason>" and exit code 2', async (ctx) => {
  const lab = new ZoneMaker(ctx.random);
  const www = lab.host();
  lab.add(www, [{ type: "A", address: lab.ipv4() }]);
  const zone: readonly ResourceRecord[] = lab.records;
  const cases: { args: string[]; dnsServer?: string; situation: string }[] = [
    { args: [], situation: "with no arguments" },
    { args: ["A"], situation: "with a TYPE (A) but no name" },
    { args: ["BOGUS", www], situation: `with the unknown TYPE "BOGUS"` },
    { args: ["PTR", www], situation: `with PTR and ${www}, which is not an IP address` },
    { args: ["A", www], dnsServer: "", situation: "with DNS_SERVER empty (as good as unset)" },
    { args: ["A", www], dnsServer: "127.0.0.1:dns", situation: 'with DNS_SERVER="127.0.0.1:dns" (not host:port)' },
  ];
  const runs = await Promise.all(
    cases.map(async (c) => {
      const server = await LabServer.open(ctx, zone);
      const run = await ctx.run(c.args, { env: { DNS_SERVER: c.dnsServer ?? server.address }, timeoutMs: RUN_LIMIT_MS });
      return { c, server, run };
    }),
  );
  for (const { c, server, run } of runs) expectUsageError(run, server, c.situation, RUN_LIMIT_MS);
});
