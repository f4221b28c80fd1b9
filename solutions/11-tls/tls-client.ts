// tls-client, reference solution (lesson 11).
import { readFileSync } from "node:fs";
import tls from "node:tls";

const TIMEOUT_MS = 5000;

/** Reports a failure on stderr; the exit code is set, and the program ends once nothing is pending. */
function fail(reason: string, exitCode: 1 | 2): void {
  console.error(`error: ${reason}`);
  process.exitCode = exitCode;
}

function main(): void {
  const { HOST: host, PORT: port, SERVERNAME: servername, CA_FILE: caFile } = process.env;
  if (!host || !port || !servername || !caFile) return fail("HOST, PORT, SERVERNAME and CA_FILE must all be set", 2);
  let ca: Buffer;
  try {
    ca = readFileSync(caFile);
  } catch (error) {
    return fail(`cannot read CA_FILE: ${(error as Error).message}`, 2);
  }

  // servername goes out as SNI and is the name the certificate must carry;
  // ca replaces Node's list of public CAs for this connection. Verification
  // is on by default (rejectUnauthorized: true): a bad certificate ends in
  // 'error', and 'secureConnect' comes only after a good one.
  const socket = tls.connect({ host, port: Number(port), servername, ca, timeout: TIMEOUT_MS });
  let replied = false;

  // The timeout option only emits 'timeout' after 5 s without traffic: ending the connection is up to us.
  socket.on("timeout", () => socket.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s (timeout)`)));
  socket.on("error", (error: NodeJS.ErrnoException) => {
    if (!replied) fail(error.code ?? error.message, 1);
  });

  socket.on("secureConnect", () => {
    console.log(`protocol: ${socket.getProtocol()}`);
    console.log(`cipher: ${socket.getCipher().name}`);
    console.log(`subject: ${socket.getPeerCertificate().subject.CN}`);
    // Only now: before this point nothing is known about the server.
    socket.write("hello\n");
  });

  // The reply may come in several pieces: collect them up to the first "\n".
  let buffer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    const end = buffer.indexOf("\n");
    if (replied || end === -1) return;
    replied = true;
    console.log(buffer.slice(0, end).replace(/\r$/, ""));
    socket.setTimeout(0);
    socket.end();
  });
  socket.on("end", () => {
    if (!replied) fail("the server closed the connection before its reply line", 1);
  });
}

main();
