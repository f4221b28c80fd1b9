import { CheckFailure } from "../../grader/probes/check-failure.ts";

/** The CheckFailure a probe throws; anything else (or success) fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<CheckFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CheckFailure) return error;
    throw error;
  }
  throw new Error("expected a CheckFailure, but the probe succeeded");
}
