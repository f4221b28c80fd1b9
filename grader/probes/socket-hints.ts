/**
 * The one place where raw socket events become advice. Checks may pass a hint
 * of their own; these are the fallbacks for what the network itself said.
 */
export type SocketProblem = "refused" | "reset" | "eof" | "timeout" | "connect-timeout" | "unreachable" | "other";

export function classifySocketError(error: NodeJS.ErrnoException | undefined): SocketProblem {
  switch (error?.code) {
    case "ECONNREFUSED":
      return "refused";
    case "ECONNRESET":
    case "EPIPE":
      return "reset";
    case "ETIMEDOUT":
      return "connect-timeout";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return "unreachable";
    default:
      return "other";
  }
}

export function hintFor(problem: SocketProblem, transport: "tcp" | "udp" = "tcp"): string {
  switch (problem) {
    case "refused":
      return transport === "udp"
        ? "nothing is bound to that UDP port any more: did your program crash or close its socket?"
        : "nothing accepts connections on that port any more: did your program crash, or close its listening socket?";
    case "reset":
      return "your program reset the connection (TCP RST): it closed the socket with unread data, called destroy(), or crashed. Close with socket.end() (Python: sock.close() after reading everything).";
    case "eof":
      return "your program closed the connection before sending everything expected. Write the whole reply before closing.";
    case "timeout":
      return transport === "udp"
        ? "no datagram came back: send the reply to the sender's address and port (Node: rinfo.address and rinfo.port; Python: the address recvfrom returned)."
        : "your program sent nothing more: did it write the reply? Is it waiting for more data (a whole line?) or stuck serving another client?";
    case "connect-timeout":
      return "the connection was not accepted in time: is your program's accept loop stuck, or its backlog full?";
    case "unreachable":
      return "the address could not be reached from this machine: is the loopback interface up?";
    case "other":
      return "an unexpected socket error: the message above says which.";
  }
}
