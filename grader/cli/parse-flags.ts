import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.ts";

type FlagSpec = Record<string, { type: "boolean" | "string"; short?: string }>;

/**
 * node:util's parseArgs, with its errors turned into usage errors that name
 * the command's valid flags.
 */
export function parseFlags<T extends FlagSpec>(command: string, args: string[], flags: T, positionals: { max: number }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    const valid = Object.keys(flags).map((f) => `--${f}`).join(", ") || "none";
    throw new UsageError(`${command}: ${(error as Error).message.replace(/\. To specify.*$/s, "")}. Valid flags: ${valid}`);
  }
  if (parsed.positionals.length > positionals.max) {
    throw new UsageError(`${command}: unexpected argument "${parsed.positionals[positionals.max]}"`);
  }
  return parsed;
}
