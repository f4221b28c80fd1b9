import { showControlCharacters } from "./control-characters.ts";

// Code points XML 1.0 forbids even as character references, besides the C0
// controls: lone surrogates and U+FFFE/U+FFFF.
const NOT_XML = /[\uD800-\uDFFF\uFFFE\uFFFF]/gu;

/** Text made legal for XML 1.0: controls as `\xNN` (as failure text quotes bytes), the rest as U+FFFD. */
function xmlLegal(text: string): string {
  return showControlCharacters(text).replace(NOT_XML, "\uFFFD");
}

/**
 * Element content: & < > escaped, and CR as a reference because an XML parser
 * would otherwise turn CR LF into LF.
 */
export function xmlText(text: string): string {
  return xmlLegal(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("\r", "&#13;");
}

/**
 * A double-quoted attribute value: also both quotes, and tab and line feed
 * as references, which a parser would otherwise normalise to spaces.
 */
export function xmlAttribute(text: string): string {
  return xmlText(text).replaceAll('"', "&quot;").replaceAll("'", "&apos;").replaceAll("\n", "&#10;").replaceAll("\t", "&#9;");
}
