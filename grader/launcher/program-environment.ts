/**
 * The environment learner programs start from: the CLI's own, captured when
 * this module loads, before vitest adds its variables (NODE_ENV=test,
 * VITEST_*) that a learner's program must not see.
 */
const SNAPSHOT: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith("VITEST")),
);

export function programEnvironment(): Record<string, string> {
  // Python buffers stdout when it is a pipe; unbuffered, its last lines survive a kill.
  return { ...SNAPSHOT, PYTHONUNBUFFERED: "1" };
}
