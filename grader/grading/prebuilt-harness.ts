import path from "node:path";
import type { Plugin } from "vite";
import { courseRoot } from "../course/course-root.ts";

/**
 * The bin shim bundles harness/index.ts next to the CLI. Check files import
 * the harness from source; this plugin hands vitest the bundle instead,
 * which Node loads natively: no module-by-module transform in each worker.
 */
let bundle: string | undefined;

export function usePrebuiltHarness(file: string): void {
  bundle = file;
}

export function prebuiltHarnessConfig(): { plugins: Plugin[]; external: RegExp[] } {
  if (!bundle) return { plugins: [], external: [] };
  const target = bundle;
  const harnessSource = path.join(courseRoot(), "grader", "harness", "index.ts");
  return {
    plugins: [
      {
        name: "socketlings:prebuilt-harness",
        enforce: "pre",
        resolveId(id, importer) {
          if (!importer || !id.startsWith(".")) return null;
          return path.resolve(path.dirname(importer), id) === harnessSource ? target : null;
        },
      },
    ],
    external: [new RegExp(`^${escapeRegExp(path.dirname(target))}`)],
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
