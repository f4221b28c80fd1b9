/**
 * A number of points as every report prints it: at most two decimals, no
 * exponent, no thousands separators and never "-0", so that a spreadsheet or
 * an LMS import reads the same value whatever its locale.
 */
export function formatPoints(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  // `rounded === 0` is also true for -0, which String() would print as "0" anyway,
  // but a tiny negative like -0.001 rounds to -0 and must not read as a penalty.
  return String(rounded === 0 ? 0 : rounded);
}

/** "1 point", "2.5 points": the unit agrees with the number as printed. */
export function pointsPhrase(value: number): string {
  const text = formatPoints(value);
  return `${text} ${text === "1" ? "point" : "points"}`;
}

/** The sum of a list of numbers (0 for none). */
export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
