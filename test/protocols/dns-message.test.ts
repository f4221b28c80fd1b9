import dgram from "node:dgram";
import { Resolver } from "node:dns/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeMessage, DnsFormatError, encodeMessage, encodeQuery, defaultFlags, readName, record, RecordType, Rcode, reverseName, type ResourceRecord } from "../../grader/protocols/dns-message.ts";
import { answerFrom } from "../../grader/protocols/dns-zone.ts";

const zone: ResourceRecord[] = [
  record("www.example.test", 300, { type: "A", address: "192.0.2.10" }),
  record("www.example.test", 300, { type: "A", address: "192.0.2.9" }),
  record("www.example.test", 300, { type: "AAAA", address: "2001:db8::1" }),
  record("alias.example.test", 60, { type: "CNAME", name: "www.example.test" }),
  record("example.test", 3600, { type: "MX", preference: 10, exchange: "mail.example.test" }),
  record("example.test", 3600, { type: "TXT", strings: ["v=spf1 ", "-all"] }),
  record("example.test", 3600, { type: "NS", name: "ns1.example.test" }),
  record("example.test", 3600, { type: "SOA", mname: "ns1.example.test", rname: "hostmaster.example.test", serial: 2026112101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 }),
  record("_sip._udp.example.test", 300, { type: "SRV", priority: 10, weight: 5, port: 5060, target: "sip.example.test" }),
  record(reverseName("192.0.2.10"), 300, { type: "PTR", name: "www.example.test" }),
];

/** The grader's codec against a real peer: c-ares, through Node's Resolver. */
describe("DNS messages against Node's resolver", () => {
  let server: dgram.Socket;
  let resolver: Resolver;
  beforeAll(async () => {
    server = dgram.createSocket("udp4");
    server.on("message", (packet, from) => {
      const query = decodeMessage(packet);
      const question = query.questions[0]!;
      const { rcode, answers } = answerFrom(zone, question);
      const reply = encodeMessage({ id: query.id, flags: defaultFlags({ qr: true, aa: true, rd: query.flags.rd, rcode }), questions: [question], answers, authorities: [], additionals: [] });
      server.send(reply, from.port, from.address);
    });
    await new Promise<void>((resolve) => server.bind(0, "127.0.0.1", resolve));
    resolver = new Resolver({ timeout: 500, tries: 1 });
    resolver.setServers([`127.0.0.1:${server.address().port}`]);
  });
  afterAll(() => server.close());

  it("answers every type the way c-ares reads it", async () => {
    expect((await resolver.resolve4("www.example.test")).sort()).toEqual(["192.0.2.10", "192.0.2.9"]);
    expect(await resolver.resolve6("WWW.example.test")).toEqual(["2001:db8::1"]);
    expect((await resolver.resolve4("alias.example.test")).sort()).toEqual(["192.0.2.10", "192.0.2.9"]);
    expect(await resolver.resolveCname("alias.example.test")).toEqual(["www.example.test"]);
    expect(await resolver.resolveMx("example.test")).toEqual([{ priority: 10, exchange: "mail.example.test" }]);
    expect(await resolver.resolveTxt("example.test")).toEqual([["v=spf1 ", "-all"]]);
    expect(await resolver.resolveNs("example.test")).toEqual(["ns1.example.test"]);
    expect(await resolver.resolveSoa("example.test")).toMatchObject({ nsname: "ns1.example.test", hostmaster: "hostmaster.example.test", serial: 2026112101 });
    expect(await resolver.resolveSrv("_sip._udp.example.test")).toEqual([{ priority: 10, weight: 5, port: 5060, name: "sip.example.test" }]);
    expect(await resolver.reverse("192.0.2.10")).toEqual(["www.example.test"]);
  });

  it("tells NXDOMAIN from NODATA", async () => {
    await expect(resolver.resolve4("nope.example.test")).rejects.toMatchObject({ code: "ENOTFOUND" });
    await expect(resolver.resolve6("example.test")).rejects.toMatchObject({ code: "ENODATA" });
  });
});

describe("the strict reader", () => {
  const reply = encodeMessage({ id: 7, flags: defaultFlags({ qr: true }), questions: [{ name: "www.example.test", type: RecordType.A, class: 1 }], answers: zone.slice(0, 2), authorities: [], additionals: [] });

  it("reads back what it wrote, with compression", () => {
    const message = decodeMessage(reply);
    expect(message.id).toBe(7);
    expect(message.answers.map((rr) => rr.data)).toEqual([{ type: "A", address: "192.0.2.10" }, { type: "A", address: "192.0.2.9" }]);
    expect(reply.length).toBeLessThan(encodeMessage(decodeMessage(reply), { compress: false }).length);
    expect(encodeQuery(1, "a.b", RecordType.MX).subarray(12)).toEqual(Buffer.from([1, 0x61, 1, 0x62, 0, 0, 15, 0, 1]));
  });

  it("says which byte is wrong", () => {
    expect(() => decodeMessage(reply.subarray(0, 11))).toThrow(/12-byte header/);
    expect(() => decodeMessage(reply.subarray(0, reply.length - 2))).toThrow(DnsFormatError);
    expect(() => decodeMessage(Buffer.concat([reply, Buffer.from([0])]))).toThrow(/1 bytes are left/);
    const forward = Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(() => decodeMessage(forward)).toThrow(/not back to an earlier name/);
    expect(() => readName(Buffer.from([0x40, 0]), 0)).toThrow(/top two bits/);
  });

  it("writes reverse names", () => {
    expect(reverseName("127.0.0.2")).toBe("2.0.0.127.in-addr.arpa");
    expect(reverseName("::1")).toBe(`1.${"0.".repeat(31)}ip6.arpa`);
  });

  it("answers from a zone", () => {
    expect(answerFrom(zone, { name: "nope.example.test", type: 1, class: 1 }).rcode).toBe(Rcode.NXDOMAIN);
    expect(answerFrom(zone, { name: "alias.example.test", type: 1, class: 1 }).answers.map((rr) => rr.type)).toEqual([5, 1, 1]);
  });
});
