import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import MarkdownIt from "markdown-it";

/**
 * The code blocks of a lesson that the tests execute, following the lessons'
 * conventions for the info string of a fenced block:
 *
 * - `ts`, `python`: a complete program, run to completion (exit code 0). A
 *   ```text block right after it (only blank lines between) is its exact output.
 * - `ts server tcp`, `ts server udp`, `python server tcp`, `python server udp`:
 *   a server that listens on the PORT environment variable until stopped.
 * - anything else (`sh`, `text`, ...): not executed.
 *
 * A block that starts with `ts` or `python` but matches none of these forms
 * (`ts server`, `python servre udp`) is returned as `malformed`, so that a
 * typo in a lesson fails a test instead of silently skipping a snippet.
 */
export type SnippetLanguage = "ts" | "python";

interface SnippetBase {
  /** The lesson's file name, such as `04-sockets.md`. */
  lesson: string;
  /** The 1-based line of the opening fence in the lesson. */
  line: number;
  /** The info string, trimmed: `ts`, `python server tcp`, ... */
  info: string;
  language: SnippetLanguage;
  /** The code between the fences; its first line is at `line + 1` in the lesson. */
  code: string;
}

export interface RunSnippet extends SnippetBase {
  mode: "run";
  /** The program's exact stdout, from the output block that follows; undefined when none does. */
  expectedOutput: string | undefined;
}

export interface ServerSnippet extends SnippetBase {
  mode: "server";
  transport: "tcp" | "udp";
}

export interface MalformedSnippet extends SnippetBase {
  mode: "malformed";
  problem: string;
}

export type Snippet = RunSnippet | ServerSnippet | MalformedSnippet;

const LANGUAGES: readonly string[] = ["ts", "python"];

export function extractSnippets(markdown: string, lesson: string): Snippet[] {
  const tokens = new MarkdownIt().parse(markdown, {});
  const snippets: Snippet[] = [];
  tokens.forEach((token, index) => {
    if (token.type !== "fence" || !token.map) return;
    const info = token.info.trim();
    const words = info.split(/\s+/);
    const language = words[0] ?? "";
    if (!LANGUAGES.includes(language)) return;
    const base = { lesson, line: token.map[0] + 1, info, language: language as SnippetLanguage, code: token.content };
    if (words.length === 1) {
      // Only blank lines between two blocks means no token between them.
      const next = tokens[index + 1];
      const expectedOutput = next?.type === "fence" && next.info.trim() === "text" ? next.content : undefined;
      snippets.push({ ...base, mode: "run", expectedOutput });
    } else if (words.length === 3 && words[1] === "server" && (words[2] === "tcp" || words[2] === "udp")) {
      snippets.push({ ...base, mode: "server", transport: words[2] });
    } else {
      snippets.push({
        ...base,
        mode: "malformed",
        problem: `unknown info string "${info}": expected "${language}", "${language} server tcp" or "${language} server udp"`,
      });
    }
  });
  return snippets;
}

/** Every snippet of every lessons/*.md, in lesson order. */
export function extractLessonSnippets(lessonsDir: string): Snippet[] {
  return readdirSync(lessonsDir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .flatMap((name) => extractSnippets(readFileSync(path.join(lessonsDir, name), "utf8"), name));
}

/** Output as the comparison sees it: \r\n as \n, no trailing whitespace at the end of the whole text. */
export function normalizeOutput(text: string): string {
  return text.replace(/\r\n/g, "\n").trimEnd();
}
