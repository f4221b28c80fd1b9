/**
 * Node's own resolver (c-ares) against the learner's server: every type the
 * zone serves, and the two kinds of "no": ENOTFOUND (NXDOMAIN) and ENODATA
 * (NOERROR, no answers). c-ares connects its UDP socket to the server and
 * checks the ID and the question, so it catches what a raw socket lets by.
 * When it fails, a raw query of the same name says why in bytes.
 */
import { Resolver } from "node:dns/promises";
import type { CheckContext } from "../../harness/index.ts";
import { Rcode, RecordType } from "../../protocols/dns-message.ts";
import type { GradedZone } from "./answers.ts";
import { explainWithRawQuery } from "./raw-diagnosis.ts";
import { expectedFor } from "./verdict.ts";

type Method = "resolve4" | "resolve6" | "resolveCname" | "resolveMx" | "resolveTxt" | "resolveNs";

const TYPE_OF: Record<Method, number> = {
  resolve4: RecordType.A,
  resolve6: RecordType.AAAA,
  resolveCname: RecordType.CNAME,
  resolveMx: RecordType.MX,
  resolveTxt: RecordType.TXT,
  resolveNs: RecordType.NS,
};

export interface Lookup {
  method: Method;
  name: string;
}

interface Outcome {
  lookup: Lookup;
  got: string;
  expected: string;
  /** The error code, when the lookup failed. */
  code?: string;
}

/** What c-ares returns for this lookup, as comparable text. */
function expectedText(graded: GradedZone, lookup: Lookup): string {
  const type = TYPE_OF[lookup.method];
  const { rcode, answers } = expectedFor(graded, { name: lookup.name, type });
  if (rcode === Rcode.NXDOMAIN) return "error ENOTFOUND";
  const values = answers.filter((rr) => rr.type === type).map((rr) => {
    const d = rr.data;
    if (d.type === "A" || d.type === "AAAA") return JSON.stringify(d.address);
    if (d.type === "CNAME" || d.type === "NS") return JSON.stringify(d.name.toLowerCase());
    if (d.type === "MX") return JSON.stringify(`${d.preference} ${d.exchange.toLowerCase()}`);
    if (d.type === "TXT") return JSON.stringify(d.strings);
    return "?";
  });
  return values.length === 0 ? "error ENODATA" : list(values);
}

/** Each item as JSON, sorted: ["192.0.2.1", "192.0.2.9"], [["v=spf1 -all", "hello"]]. */
function list(items: string[]): string {
  return `[${items.sort().join(", ")}]`;
}

function gotText(lookup: Lookup, result: unknown): string {
  const items = result as unknown[];
  const values = items.map((item) => {
    if (typeof item === "string") return JSON.stringify(lookup.method === "resolve4" || lookup.method === "resolve6" ? item : item.toLowerCase());
    if (Array.isArray(item)) return JSON.stringify(item);
    const mx = item as { priority: number; exchange: string };
    return JSON.stringify(`${mx.priority} ${mx.exchange.toLowerCase()}`);
  });
  return list(values);
}

export async function resolveAll(ctx: CheckContext, graded: GradedZone, lookups: Lookup[]): Promise<void> {
  const resolver = new Resolver({ timeout: ctx.readTimeoutMs, tries: 1 });
  resolver.setServers([`127.0.0.1:${ctx.port}`]);
  ctx.scope.track(() => resolver.cancel());
  ctx.scope.transcript.step(`waiting for Node's resolver (${lookups.length} lookups)`);
  const outcomes: Outcome[] = await Promise.all(
    lookups.map(async (lookup): Promise<Outcome> => {
      const expected = expectedText(graded, lookup);
      try {
        const result = await (resolver[lookup.method] as (name: string) => Promise<unknown>).call(resolver, lookup.name);
        return { lookup, got: gotText(lookup, result), expected };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "an error";
        return { lookup, got: `error ${code}`, expected, code };
      }
    }),
  );
  for (const o of outcomes) ctx.scope.transcript.add("resolver", `${o.lookup.method}(${JSON.stringify(o.lookup.name)}) → ${o.got}`);
  const wrong = outcomes.find((o) => o.got !== o.expected);
  if (!wrong) return;
  await explain(ctx, graded, wrong);
}

const MEANING: Record<string, string> = {
  ENOTFOUND: "NXDOMAIN: the name does not exist",
  ENODATA: "NOERROR with no answers of that type",
  ETIMEOUT: "no reply it would accept came back in time",
  ECONNREFUSED: "the port refused the query (nothing bound to it)",
  EBADRESP: "it could not read the reply",
  EFORMERR: "the server said FORMERR",
  ESERVFAIL: "the server said SERVFAIL",
  ENOTIMP: "the server said NOTIMP",
  EREFUSED: "the server said REFUSED",
};

async function explain(ctx: CheckContext, graded: GradedZone, wrong: Outcome): Promise<never> {
  const { lookup } = wrong;
  const meaning = wrong.code && MEANING[wrong.code] ? ` (${MEANING[wrong.code]})` : "";
  return explainWithRawQuery(ctx, graded, { name: lookup.name, type: TYPE_OF[lookup.method] }, {
    happened: `[resolver] ${lookup.method}(${JSON.stringify(lookup.name)}) gave ${wrong.got}${meaning}, expected ${wrong.expected}`,
    details: [],
    expected: [wrong.expected],
    fallbackHint: `run the same lookup by hand and compare: node -e 'const r = new (require("node:dns").promises.Resolver)(); r.setServers(["127.0.0.1:PORT"]); r.${lookup.method}("${lookup.name}").then(console.log, console.error)'`,
  });
}
