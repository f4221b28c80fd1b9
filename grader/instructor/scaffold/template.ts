import type { Role, Transport } from "../../course/manifest.ts";

/** Everything a template needs to know about the exercise it writes. */
export interface ScaffoldSpec {
  id: string;
  title: string;
  transport: Transport;
  role: Role;
  lesson: { number: number; title: string };
  /** Paths relative to the course root, as course.json names them. */
  paths: { file: string; solution: string; checks: string };
}

/**
 * One kind of exercise (a TCP server, a UDP client, ...): a working example
 * of its contract in every file, each written out by a function so the
 * generated text reads top to bottom as the file will.
 */
export interface KindTemplate {
  /** "a TCP server". */
  kind: string;
  /** The contract in short, for the stub's header comment: lines of at most 76 characters. */
  contract: string[];
  /** The header's "Try it:" lines, after "// Try it:   ". */
  tryIt(spec: ScaffoldSpec): string[];
  /** The stub's code, after its header. */
  stub(spec: ScaffoldSpec): string;
  solution(spec: ScaffoldSpec): string;
  checks(spec: ScaffoldSpec): string;
  section(spec: ScaffoldSpec): string;
  hints: string[];
}
