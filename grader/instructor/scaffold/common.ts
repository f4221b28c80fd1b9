import type { KindTemplate, ScaffoldSpec } from "./template.ts";

/** Markdown's code fence, kept out of the templates' own backticks. */
export const FENCE = "```";

/** The stub's header comment, in the house style: the contract in short, then how to run, grade and get hints. */
export function stubHeader(spec: ScaffoldSpec, template: KindTemplate): string {
  const [first = "", ...more] = template.tryIt(spec);
  return [
    `// Exercise: ${spec.id} (lesson ${spec.lesson.number}, "${spec.lesson.title}").`,
    "//",
    ...template.contract.map((line) => `// ${line}`.trimEnd()),
    "//",
    `// Try it:   ${first}`,
    ...more.map((line) => `//           ${line}`),
    `// Grade it: npx socketlings grade ${spec.id}`,
    `// Stuck?    npx socketlings hint ${spec.id}`,
  ].join("\n");
}

/** The check file's header: what it grades, and how an instructor changes it. */
export function checksHeader(spec: ScaffoldSpec, kind: string, probes: string[]): string {
  return [
    `// Checks for ${spec.id}, ${kind} (lesson ${spec.lesson.number}, "${spec.lesson.title}").`,
    "//",
    "// Each check() is one line of a learner's report. When it fails, the learner",
    "// reads the transcript (every exchange, labelled by who sent it), what",
    "// happened, what was expected, and the hint given here.",
    "//",
    "// To change the contract: the constants under \"The contract\" first, then the",
    "// checks' bodies; then the solution, the stub and the lesson section to match.",
    "// `npx socketlings verify --solutions` proves the solution passes and the",
    "// stub fails; `npx socketlings grade " + spec.id + " --solution` runs just this file.",
    "//",
    ...probes.map((line) => `// ${line}`.trimEnd()),
  ].join("\n");
}

/** The end of every lesson section: grading, other languages, hints. */
export function sectionGrading(spec: ScaffoldSpec, variables: string): string {
  return `Grade it with \`npx socketlings grade ${spec.id}\` (or save while
\`npx socketlings\` is running). For another language, read ${variables} from
the environment and pass the command:

${FENCE}sh
npx socketlings grade ${spec.id} --cmd "python3 ${spec.id}.py"
${FENCE}

Hints: run \`npx socketlings hint ${spec.id}\`
`;
}

/**
 * The verdicts both client check files use, on one run of the program:
 * printed the reply and exited 0, or said why it gave up and exited 1.
 * Each file defines REQUEST_HINT, PRINT_HINT, EXIT_HINT and GIVE_UP_HINT.
 */
export const CLIENT_VERDICTS = `/** How a run ended, in words. */
function ending(run: ClientRun, limitMs: number): string {
  if (run.timedOut) return \`was still running after \${limitMs} ms, so the grader stopped it\`;
  return run.exit.code !== null ? \`exited with code \${run.exit.code}\` : \`was killed by \${run.exit.signal}\`;
}

/** Fails unless the program printed \`line\` on stdout and exited with code 0. */
function expectPrinted(run: ClientRun, line: string, server: GraderServer, limitMs: number): void {
  const printed = run.stdout.replace(/\\r?\\n$/, "");
  const exitedWell = !run.timedOut && run.exit.code === 0;
  if (printed === line && exitedWell) return;
  const problems: string[] = [];
  if (printed !== line) problems.push(run.stdout === "" ? "printed nothing on stdout" : \`printed \${quoteBytes(run.stdout)} on stdout\`);
  if (!exitedWell) problems.push(ending(run, limitMs));
  const asked = server.requests.includes(REQUEST);
  throw new CheckFailure(\`your program \${problems.join(", and ")}\`, {
    details: asked ? [] : [\`the grader's server never got \${quoteBytes(REQUEST)}\`],
    expected: [\`\${quoteBytes(\`\${line}\\n\`)} on stdout, then exit code 0\`],
    hint: !asked ? REQUEST_HINT : printed !== line ? PRINT_HINT : EXIT_HINT,
  });
}

/** Fails unless the program gave up as the contract says: "error: ..." on stderr, nothing on stdout, exit code 1. */
function expectGaveUp(run: ClientRun, limitMs: number): void {
  const problems: string[] = [];
  if (run.timedOut || run.exit.code !== 1) problems.push(ending(run, limitMs));
  if (run.stdout !== "") problems.push(\`printed \${quoteBytes(run.stdout)} on stdout\`);
  if (!/^error: /m.test(run.stderr)) problems.push(run.stderr.trim() === "" ? "printed nothing on stderr" : 'printed no line starting "error: " on stderr');
  if (problems.length === 0) return;
  throw new CheckFailure(\`your program \${problems.join(", and ")}\`, {
    expected: ['a line "error: <why>" on stderr, nothing on stdout, and exit code 1'],
    hint: GIVE_UP_HINT,
  });
}`;
