// C0 control characters other than tab, line feed and carriage return, and DEL.
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g;

/**
 * Writes control characters (except tab and line ends) as `\xNN`, the way the
 * probes quote bytes in failure text. A program's output can carry a raw NUL
 * or ESC into a check's feedback; raw, it would make an XML file invalid and
 * be invisible (or worse, a terminal escape) in Markdown.
 */
export function showControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
