/** How results are filed: by lane (the vitest project that ran it) and check file. */
export function resultKey(projectName: string, moduleId: string): string {
  return `${projectName}\u0000${moduleId}`;
}
