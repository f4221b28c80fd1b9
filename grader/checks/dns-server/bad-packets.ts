/**
 * Packets a server must not answer from its zone: questions it cannot read
 * (FORMERR), opcodes it does not serve (NOTIMP), and packets it must drop
 * (shorter than a header, responses). Each with the exchange that judges it.
 */
import { CheckFailure, type CheckContext, type SeededRandom, type UdpClient } from "../../harness/index.ts";
import { CLASS_IN, defaultFlags, encodeMessage, rcodeName, RecordType, type ResourceRecord } from "../../protocols/dns-message.ts";
import { receiveReply, sendQuery } from "./exchange.ts";
import { HINTS } from "./hints.ts";
import { makeQuery, nameLength, randomId, type Query } from "./queries.ts";
import { describeReply, readReply } from "./verdict.ts";

export interface Packet {
  id: number;
  bytes: Buffer;
  describe: string;
}

/** Queries whose question cannot be read: each must get FORMERR. */
export function badQuestions(random: SeededRandom, name: string, other: string): Packet[] {
  const { A } = RecordType;
  const full = makeQuery(random, name, A);
  const noCount = Buffer.from(full.bytes);
  noCount.writeUInt16BE(0, 4);
  const twoId = randomId(random);
  const questions = [name, other].map((n) => ({ name: n, type: A, class: CLASS_IN }));
  const two = encodeMessage({ id: twoId, flags: defaultFlags({ rd: true }), questions, answers: [], authorities: [], additionals: [] });
  const cut = makeQuery(random, name, A);
  const bare = makeQuery(random, other, A);
  const nameEnd = 12 + nameLength(other);
  const pointerId = randomId(random);
  const pointer = Buffer.alloc(18);
  pointer.writeUInt16BE(pointerId, 0);
  pointer.writeUInt16BE(0x0100, 2);
  pointer.writeUInt16BE(1, 4);
  Buffer.from([0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01]).copy(pointer, 12);
  return [
    { id: full.id, bytes: noCount, describe: `query ${full.id} with QDCOUNT 0 (a question follows all the same)` },
    { id: twoId, bytes: two, describe: `query ${twoId} with QDCOUNT 2: A ${name}? and A ${other}?` },
    { id: cut.id, bytes: cut.bytes.subarray(0, 15), describe: `query ${cut.id} cut short inside its name (15 bytes)` },
    { id: bare.id, bytes: bare.bytes.subarray(0, nameEnd), describe: `query ${bare.id} that ends after the name, without QTYPE and QCLASS (${nameEnd} bytes)` },
    { id: pointerId, bytes: pointer, describe: `query ${pointerId} whose name is a compression pointer to itself (C0 0C)` },
  ];
}

/** A reply that must carry this RCODE, the ID and QR; its question section may be empty, but it must parse. */
export async function expectRcode(ctx: CheckContext, client: UdpClient, packet: Packet, rcode: number, hint: string, formatHint?: string): Promise<void> {
  const name = `${rcodeName(rcode)} (RCODE ${rcode})`;
  const expected = [`a reply with ID ${packet.id}, QR set, ${name}`];
  sendQuery(ctx, client, packet);
  const datagram = await receiveReply(ctx, client, expected, hint);
  const asQuery: Query = { ...packet, name: "", type: 0, rd: false, opcode: 0, questionBytes: Buffer.alloc(0) };
  const reply = readReply(client.label, asQuery, datagram.data, formatHint);
  if (!reply.flags.qr) throw new CheckFailure(`[${client.label}] the reply has QR clear: it says it is a query, not a response`, { expected, hint: HINTS.qr });
  if (reply.flags.rcode !== rcode) {
    throw new CheckFailure(`[${client.label}] the reply to ${packet.describe} says ${rcodeName(reply.flags.rcode)} (RCODE ${reply.flags.rcode}), expected ${name}`, {
      details: [describeReply(reply)],
      expected,
      hint,
    });
  }
}

export interface Junk {
  bytes: Buffer;
  describe: string;
  hint: string;
}

/** Packets to drop without a reply: too short for a header, and a response to `sample`. */
export function junkPackets(random: SeededRandom, sample: Query, answers: ResourceRecord[]): Junk[] {
  const responseId = randomId(random);
  const questions = [{ name: sample.name, type: sample.type, class: CLASS_IN }];
  const response = encodeMessage({ id: responseId, flags: defaultFlags({ qr: true, aa: true, rd: true }), questions, answers, authorities: [], additionals: [] });
  return [
    { bytes: Buffer.alloc(0), describe: "an empty datagram", hint: HINTS.tooShort },
    { bytes: sample.bytes.subarray(0, 5), describe: "the first 5 bytes of a query", hint: HINTS.tooShort },
    { bytes: sample.bytes.subarray(0, 11), describe: "the first 11 bytes of a query", hint: HINTS.tooShort },
    { bytes: response, describe: `a response (QR set, ID ${responseId}), not a query`, hint: HINTS.response },
  ];
}

/**
 * Sends `junk`, then `query`: the first datagram back must be the reply to
 * `query` (loopback keeps their order), and the program must still run.
 */
export async function expectDropped(ctx: CheckContext, client: UdpClient, junk: Junk, query: Query): Promise<void> {
  const expected = [`no reply to ${junk.describe}, then the reply to query ${query.id}`];
  sendQuery(ctx, client, junk);
  sendQuery(ctx, client, query);
  let datagram;
  try {
    datagram = await receiveReply(ctx, client, expected, HINTS.noReply);
  } catch (error) {
    await ctx.expectStillRunning(`[${client.label}] sent ${junk.describe}`, junk.hint);
    throw error;
  }
  const id = datagram.data.length >= 2 ? datagram.data.readUInt16BE(0) : -1;
  if (id !== query.id) {
    throw new CheckFailure(`[${client.label}] your program replied to ${junk.describe}`, {
      details: [`the first reply after it has ID ${id}; the query sent next has ID ${query.id}`],
      expected,
      hint: junk.hint,
    });
  }
  await ctx.expectStillRunning(`[${client.label}] sent ${junk.describe}`, junk.hint);
}
