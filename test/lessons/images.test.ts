import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import MarkdownIt from "markdown-it";
import { expect, it } from "vitest";

/** Every image a lesson shows exists, is an SVG GitHub can render, and has a text twin for the terminal. */
const LESSONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../lessons");
const images = readdirSync(LESSONS)
  .filter((f) => f.endsWith(".md"))
  .flatMap((lesson) =>
    new MarkdownIt()
      .parse(readFileSync(path.join(LESSONS, lesson), "utf8"), {})
      .flatMap((t) => t.children ?? [])
      .filter((t) => t.type === "image")
      .map((t) => ({ lesson, src: t.attrGet("src") ?? "" })),
  );

it.skipIf(images.length === 0)("lesson images are SVG files with a text form beside them", () => {
  for (const { lesson, src } of images) {
    const file = path.join(LESSONS, src);
    expect(existsSync(file), `${lesson}: ${src} does not exist`).toBe(true);
    const svg = readFileSync(file, "utf8");
    expect(svg, `${lesson}: ${src} is not an SVG`).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>][\s\S]*<\/svg>\s*$/);
    expect(svg, `${lesson}: ${src} needs the SVG namespace to render on GitHub`).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(existsSync(file.replace(/\.svg$/, ".txt")), `${lesson}: ${src} has no text form (${src.replace(/\.svg$/, ".txt")})`).toBe(true);
  }
});
