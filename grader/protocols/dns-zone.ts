/**
 * What an authoritative server answers from a zone (RFC 1034 4.3.2, cut
 * down): the records of the asked type; for an alias, its CNAME followed by
 * the target's records; NOERROR with no answers for a name that has records
 * of other types only; NXDOMAIN for a name the zone does not have. Used by
 * the grader's DNS server (dns-lookup) and to work out what a learner's
 * server must answer (dns-server).
 */
import { Rcode, RecordType, type Question, type ResourceRecord } from "./dns-message.ts";

export interface ZoneAnswer {
  rcode: number;
  answers: ResourceRecord[];
}

/** CNAME chains longer than this are cut, as resolvers do, so a loop in a zone cannot hang us. */
const MAX_CHAIN = 8;

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function answerFrom(zone: readonly ResourceRecord[], question: Question): ZoneAnswer {
  const owned = (name: string) => zone.filter((rr) => sameName(rr.name, name));
  if (owned(question.name).length === 0) return { rcode: Rcode.NXDOMAIN, answers: [] };
  const answers: ResourceRecord[] = [];
  let name = question.name;
  for (let hop = 0; hop < MAX_CHAIN; hop++) {
    const records = owned(name);
    const matching = records.filter((rr) => rr.type === question.type || question.type === RecordType.ANY);
    const alias = records.find((rr) => rr.type === RecordType.CNAME);
    if (matching.length > 0 || !alias || question.type === RecordType.CNAME) {
      answers.push(...matching);
      break;
    }
    answers.push(alias);
    if (alias.data.type !== "CNAME") break;
    name = alias.data.name;
  }
  return { rcode: Rcode.NOERROR, answers };
}
