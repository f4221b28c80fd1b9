import type { Role, Transport } from "../../course/manifest.ts";
import { TCP_CLIENT } from "./tcp-client.ts";
import { TCP_SERVER } from "./tcp-server.ts";
import { UDP_CLIENT } from "./udp-client.ts";
import { UDP_SERVER } from "./udp-server.ts";
import { stubHeader } from "./common.ts";
import type { KindTemplate, ScaffoldSpec } from "./template.ts";

export type { ScaffoldSpec } from "./template.ts";

/** What `socketlings new` writes for one exercise: the contents of each file, and its manifest fields. */
export interface ScaffoldFiles {
  /** "a TCP server", for messages. */
  kind: string;
  stub: string;
  solution: string;
  checks: string;
  /** The lesson section, "## Exercise: ..." to its last line. */
  section: string;
  hints: string[];
}

const TEMPLATES: Record<`${Transport} ${Role}`, KindTemplate> = {
  "tcp server": TCP_SERVER,
  "udp server": UDP_SERVER,
  "tcp client": TCP_CLIENT,
  "udp client": UDP_CLIENT,
};

/**
 * A small exercise that works as written: a stub that runs and fails the
 * first check quickly, a solution that passes every check, and checks made
 * with the grader's own probes, ready for an instructor to change.
 */
export function scaffoldExercise(spec: ScaffoldSpec): ScaffoldFiles {
  const template = TEMPLATES[`${spec.transport} ${spec.role}`];
  return {
    kind: template.kind,
    stub: `${stubHeader(spec, template)}\n${template.stub(spec)}`,
    solution: template.solution(spec),
    checks: template.checks(spec),
    section: template.section(spec),
    hints: template.hints,
  };
}

/** The start of a lesson file made for instructors' own exercises. */
export function lessonFileStart(lesson: { number: number; title: string }): string {
  return [
    `# Lesson ${lesson.number}: ${lesson.title}`,
    "",
    "Exercises added to the course by its instructor, one section each: what to",
    "build, how to try it by hand, and how to grade it.",
    "",
  ].join("\n");
}

/** Words a title spells in capitals. */
const ACRONYMS = new Set(["tcp", "udp", "ip", "dns", "http", "https", "tls", "api", "json"]);

/** "udp-ping-pong" → "UDP ping pong": a title to start from when none is given. */
export function titleFromId(id: string): string {
  const words = id.split("-").map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word));
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
