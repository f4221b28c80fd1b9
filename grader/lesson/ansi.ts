/** The looks a piece of lesson text can have, and their SGR codes. */
export type Style = "bold" | "dim" | "italic" | "underline" | "strike" | "code" | "link";

const SGR_CODES: Record<Style, string> = {
  bold: "1",
  dim: "2",
  italic: "3",
  underline: "4",
  strike: "9",
  code: "36",
  link: "4;34",
};

/**
 * Wraps text in the codes for its styles and a reset. Every painted piece
 * resets itself, so a style never leaks into a gutter or the next line.
 */
export function paint(text: string, styles: readonly Style[], color: boolean): string {
  if (!color || styles.length === 0 || text === "") return text;
  const codes = [...new Set(styles)].map((style) => SGR_CODES[style]);
  return `\x1b[${codes.join(";")}m${text}\x1b[0m`;
}

/**
 * Lesson text must not drive the terminal: control characters (ESC among
 * them) are shown as their Unicode "control picture" instead.
 */
export function showControlCharacters(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? "\u2421" : "\ufffd";
  });
}
