/**
 * Checks that every student id can be used as a file name inside the output
 * folder, and throws before anything is written if one cannot. Ids are
 * submission folder names, so a path separator, "." or ".." means the results
 * did not come from a folder listing, and writing them would escape the
 * output folder or overwrite another student's report.
 */
export function assertSafeStudentIds(ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    const problem = unsafeBecause(id);
    if (problem) throw new Error(`cannot write reports for student ${JSON.stringify(id)}: ${problem}; rename the submission folder and grade again`);
    // Compared without case: on a case-insensitive disk (macOS, Windows) "Alice" and "alice" would be one file.
    const key = id.toLowerCase();
    if (seen.has(key)) throw new Error(`cannot write reports for student ${JSON.stringify(id)}: another student's id differs only in case, and their report files would collide`);
    seen.add(key);
  }
}

function unsafeBecause(id: string): string | null {
  if (id === "" || id.trim() === "") return "the id is empty";
  if (id === "." || id === "..") return `"${id}" names a folder, not a student`;
  if (/[/\\]/.test(id)) return "the id contains a path separator";
  if (/[\x00-\x1f\x7f]/.test(id)) return "the id contains a control character";
  return null;
}
