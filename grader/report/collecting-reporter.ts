import type { Reporter, TestCase, TestModule } from "vitest/node";
import type { CheckRecord } from "./check-record.ts";
import type { CheckResult } from "./results.ts";
import { trace } from "./trace.ts";
import { resultKey } from "../grading/result-key.ts";

/**
 * A vitest reporter that prints nothing: it turns each finished test into a
 * CheckResult and hands it on, so the CLI decides how to show it (terminal,
 * JSON, watch screen).
 */
export class CollectingReporter implements Reporter {
  /** Results by lane and check file (see resultKey). */
  readonly checks = new Map<string, CheckResult[]>();
  readonly moduleErrors = new Map<string, string>();
  private readonly onCheck: (key: string, result: CheckResult) => void;

  constructor(onCheck: (key: string, result: CheckResult) => void = () => {}) {
    this.onCheck = onCheck;
  }

  reset(): void {
    this.checks.clear();
    this.moduleErrors.clear();
  }

  onTestCaseResult(testCase: TestCase): void {
    trace(`check result: ${testCase.name}`);
    const file = resultKey(testCase.project.name, testCase.module.moduleId);
    const result = toCheckResult(testCase);
    const list = this.checks.get(file) ?? [];
    list.push(result);
    this.checks.set(file, list);
    this.onCheck(file, result);
  }

  onTestModuleEnd(testModule: TestModule): void {
    const errors = testModule.errors();
    if (errors.length > 0) {
      this.moduleErrors.set(resultKey(testModule.project.name, testModule.moduleId), errors.map((e) => e.stack ?? e.message).join("\n"));
    }
  }
}

function toCheckResult(testCase: TestCase): CheckResult {
  const result = testCase.result();
  const record: CheckRecord = testCase.meta().socketlings ?? { transcript: [] };
  const durationMs = Math.round(testCase.diagnostic()?.duration ?? 0);
  if (result.state === "skipped") {
    return { name: testCase.name, status: "skipped", durationMs, transcript: [], note: result.note ?? "not run" };
  }
  if (result.state === "passed") return { name: testCase.name, status: "passed", durationMs, transcript: record.transcript };
  const failure = record.failure ?? {
    // A failure that did not come through check(): an assertion in a hook, or a crash of the check itself.
    message: "the grader itself failed (a bug in socketlings, not in your program)",
    details: (result.state === "failed" ? result.errors : []).flatMap((e) => (e.stack ?? e.message).split("\n").slice(0, 8)),
    expected: [],
    internal: true,
  };
  return { name: testCase.name, status: "failed", durationMs, transcript: record.transcript, failure };
}
