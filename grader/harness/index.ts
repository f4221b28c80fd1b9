/**
 * Everything a check file needs, from one module. The CLI loads a prebuilt
 * bundle of this file in place of the sources, so a check starts in
 * milliseconds instead of waiting for each module to be transformed.
 */
export { check, gradeExercise, type CheckContext, type CheckBody, type ServerEnvironment } from "./check.ts";
export { SeededRandom } from "./seeded-random.ts";
export { CheckFailure, judgingRun } from "../probes/check-failure.ts";
export { quoteBytes, countBytes } from "../probes/format-bytes.ts";
export { describeDifference, firstDifference } from "../probes/byte-diff.ts";
export { TcpClient } from "../probes/tcp-client.ts";
export { UdpClient, type Datagram } from "../probes/udp-client.ts";
export type { ClientRun } from "../launcher/supervisor-protocol.ts";
export { freePort } from "../launcher/free-port.ts";
export { readProcSockets, TCP_ESTABLISHED, TCP_SYN_SENT, TCP_CLOSE_WAIT, TCP_LISTEN, type ProcSocket, type ReadOptions } from "../launcher/proc-net.ts";
export { sendInPieces, cutInsideCharacters } from "../probes/send-in-pieces.ts";
export { expectServedAlongside, SEQUENTIAL_HINT } from "../probes/served-alongside.ts";
