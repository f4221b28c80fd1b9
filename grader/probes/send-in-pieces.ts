import type { TcpClient } from "./tcp-client.ts";

/**
 * Sends `pieces` one after another, pausing between them, with Nagle's
 * algorithm off so that each leaves as its own segment and a program that
 * reads promptly sees each in its own read: the way a slow network splits a
 * line. (The pause cannot prove the program read a piece before the next came;
 * a check that needs many splits makes several, so one merged pair hides nothing.)
 */
export async function sendInPieces(client: TcpClient, pieces: Buffer[], pauseMs = 3, describe?: string): Promise<void> {
  await client.sendPieces(pieces, { pauseMs, ...(describe === undefined ? {} : { describe }) });
}

/** The UTF-8 bytes of `text`, cut after the first byte of every multi-byte character. */
export function cutInsideCharacters(text: string): Buffer[] {
  const pieces: Buffer[] = [];
  let current: number[] = [];
  for (const character of text) {
    const bytes = [...Buffer.from(character)];
    if (bytes.length === 1) {
      current.push(...bytes);
      continue;
    }
    current.push(bytes[0]!);
    pieces.push(Buffer.from(current));
    current = bytes.slice(1);
  }
  if (current.length > 0) pieces.push(Buffer.from(current));
  return pieces;
}
