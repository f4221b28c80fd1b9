// Exercise: tls-client (lesson 11, "TLS").
//
// A TLS client that checks who it talks to. The environment says:
//   HOST, PORT   where to connect (127.0.0.1 and a port, in the checks);
//   SERVERNAME   the name the server must prove it is (shop.lab-7.test): send
//                it as SNI, and check the certificate against it;
//   CA_FILE      a PEM file with the one CA to trust (instead of the public ones).
// When the handshake succeeds with a good certificate, print exactly:
//   protocol: TLSv1.3              (socket.getProtocol(): TLSv1.2 works too)
//   cipher: TLS_AES_256_GCM_SHA384 (socket.getCipher().name, or .standardName)
//   subject: shop.lab-7.test       (the CN of the server's certificate)
// then send "hello\n", print the server's reply line without its "\n",
// close the connection and exit with code 0.
// A certificate that is expired, self-signed, from another CA or for another
// name, or a failed handshake, or a refused connection: "error: <reason>" on
// stderr, nothing on stdout, exit code 1, and not one byte sent to the server.
// Give up after 5 s. A missing variable, or a CA_FILE you cannot read:
// "error: <reason>" and exit code 2.
//
// Try it:   against a real site, with the system's CA list as CA_FILE:
//             HOST=example.com PORT=443 SERVERNAME=example.com \
//             CA_FILE=/etc/ssl/certs/ca-certificates.crt npx socketlings run tls-client
//           (macOS: CA_FILE=/etc/ssl/cert.pem). A web server answers "hello\n" with
//           "HTTP/1.1 400 Bad Request": still a reply line. Then SERVERNAME=wrong.test must fail.
//           openssl s_client -connect example.com:443 -servername example.com
//           shows the same handshake from the command line.
// Grade it: npx socketlings grade tls-client
// Stuck?    npx socketlings hint tls-client
import { readFileSync } from "node:fs";
import tls from "node:tls";

const { HOST: host, PORT: port, SERVERNAME: servername, CA_FILE: caFile } = process.env;

// TODO: HOST, PORT, SERVERNAME or CA_FILE missing or empty? Print "error: <reason>"
//       on stderr and set process.exitCode = 2. Read the CA with readFileSync(caFile)
//       in a try/catch: a file you cannot read is exit code 2 too.
// TODO: const socket = tls.connect({ host, port: Number(port), servername, ca, timeout: 5000 });
//       servername is sent as SNI and checked against the certificate; ca replaces
//       the public CAs. Leave rejectUnauthorized alone: it is on by default.
// TODO: socket.on("error", ...): print "error: <err.code or err.message>", exit code 1.
//       socket.on("timeout", ...): the timeout option only emits this event; destroy
//       the socket with an error yourself.
// TODO: socket.on("secureConnect", ...): print the three lines, then write "hello\n".
// TODO: collect 'data' until "\n", print the line without it, then socket.end().
console.error(`TODO: connect to ${host}:${port} with TLS as ${servername}, trusting the CA in CA_FILE`);
process.exitCode = 1;
