/** The advice the tls-client checks give, in one place: Node first, Python where it differs. */
export const HINTS = {
  connect:
    "connect with tls.connect({ host: process.env.HOST, port: Number(process.env.PORT), servername: process.env.SERVERNAME, ca: readFileSync(process.env.CA_FILE) }) and wait for 'secureConnect' (Python: ssl.create_default_context(cafile=CA_FILE).wrap_socket(socket.create_connection((HOST, PORT), timeout=5), server_hostname=SERVERNAME)).",
  elsewhere:
    "your program seems to connect somewhere else. The grader's server is on a new port every time: connect to process.env.HOST and Number(process.env.PORT), never a hard-coded address.",
  sni: "pass servername: process.env.SERVERNAME to tls.connect. It goes into the ClientHello as SNI, and it is the name Node checks the certificate against; HOST (127.0.0.1) only says where to connect, and an IP address is never sent as SNI. (Python: wrap_socket(sock, server_hostname=SERVERNAME).)",
  ca: "trust the CA in CA_FILE: ca: readFileSync(process.env.CA_FILE) in tls.connect's options (the file's text, not its path). Without it, Node checks the certificate against the public CAs, and none of them signed the grader's. (Python: ssl.create_default_context(cafile=CA_FILE).)",
  version:
    'accept TLS 1.2 as well as 1.3: leave minVersion at Node\'s default (TLSv1.2), or set minVersion: "TLSv1.2". Many servers still speak TLS 1.2 only. (Python: do not set context.minimum_version to TLSVersion.TLSv1_3.)',
  nameMatch:
    "let Node check the name: its default checkServerIdentity matches SERVERNAME against the certificate's subjectAltName, wildcards included (*.lab-7.test covers shop.lab-7.test). Do not compare the CN yourself. (Python: keep check_hostname = True.)",
  hello:
    'once the handshake is done (\'secureConnect\', or the callback of tls.connect), print the protocol, cipher and subject lines, then socket.write("hello\\n") (Python: ssock.sendall(b"hello\\n")).',
  readLine:
    'the reply can come in several pieces (here, two TLS records): collect them until "\\n", then print the line without it: socket.setEncoding("utf8"); buffer += chunk; const end = buffer.indexOf("\\n"). (Python: ssock.makefile("rb").readline(), or recv() in a loop until b"\\n".)',
  close:
    "after printing the reply line, close the connection yourself: socket.end() (Python: close the socket, or leave its with block). The server keeps the connection open, so waiting for it to close, or for 'end', never ends.",
  lines:
    'print exactly four lines on stdout: `protocol: ${socket.getProtocol()}`, `cipher: ${socket.getCipher().name}`, `subject: ${socket.getPeerCertificate().subject.CN}`, then the reply line (Python: ssock.version(), ssock.cipher()[0], the commonName in ssock.getpeercert()["subject"]).',
  verify:
    "leave certificate verification on: no rejectUnauthorized: false (Python: no verify_mode = ssl.CERT_NONE). With verification on (Node's default), a bad certificate ends the handshake with an 'error' (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ...) and 'secureConnect' never fires: print error: <err.code> there and exit with code 1.",
  nameCheck:
    "do not replace checkServerIdentity (checkServerIdentity: () => undefined accepts any name): Node's own one checks that the certificate is for SERVERNAME, once you pass servername: SERVERNAME. (Python: keep check_hostname = True and pass server_hostname=SERVERNAME.)",
  early:
    'send "hello\\n" only after the handshake succeeded and the certificate was verified: in the \'secureConnect\' handler, not right after connecting. (Python: wrap_socket() with the default do_handshake_on_connect=True verifies before returning.)',
  errorLine:
    'report the failure on stderr and exit with code 1: socket.on("error", (err) => { console.error(`error: ${err.code ?? err.message}`); process.exitCode = 1; }) (Python: except (ssl.SSLError, OSError) as e: print(f"error: {e}", file=sys.stderr); sys.exit(1)).',
  timeout:
    'give up after 5 s: tls.connect({ ..., timeout: 5000 }) only emits \'timeout\', so also socket.on("timeout", () => socket.destroy(new Error("timeout"))), and let the \'error\' handler print error: and exit with code 1. Already done? Then write "hello\\n" only in \'secureConnect\': Node holds a write made before the handshake, and while it is pending Node skips the first \'timeout\', so 5 s become 10 s. (Python: socket.create_connection((host, port), timeout=5); the timeout covers the handshake too.)',
  usage:
    "check the variables before connecting: if HOST, PORT, SERVERNAME or CA_FILE is missing or empty, or CA_FILE cannot be read (readFileSync throws), print error: <reason> on stderr and exit with code 2 (process.exitCode = 2, then return; sys.exit(2) in Python).",
};
