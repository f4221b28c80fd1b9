/**
 * Port numbers as a learner reads them: ascending, runs joined
 * ("21003, 21005-21007"), and cut short when there are many.
 */
export function formatPorts(ports: Iterable<number>, maxParts = 12): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let k = 0; k < sorted.length; ) {
    let end = k;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++;
    parts.push(end === k ? String(sorted[k]) : end === k + 1 ? `${sorted[k]}, ${sorted[end]}` : `${sorted[k]}-${sorted[end]}`);
    k = end + 1;
  }
  if (parts.length <= maxParts) return parts.join(", ");
  return `${parts.slice(0, maxParts).join(", ")}, … (${sorted.length.toLocaleString("en-US")} ports in all)`;
}

/** "1 port", "1,000 ports". */
export function countPorts(n: number): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? "port" : "ports"}`;
}
