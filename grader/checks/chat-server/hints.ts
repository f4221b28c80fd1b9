/**
 * The advice the chat-server checks give, one place for all: each names the
 * likely bug and the fix in Node terms, and in Python's where it helps (the
 * chat of the course's source texts is a Python thread-per-client server).
 */

export const WELCOME_HINT =
  'as soon as a client connects, write "Welcome! What is your name?\\n": socket.write(...) first thing in the \'connection\' callback (Python: conn.sendall(b"Welcome! What is your name?\\n") right after accept()).';

export const PRESENCE_HINT =
  'after a valid name, send the newcomer "* in the room:" and, when anyone else is there, a space and the OTHER members\' names sorted in byte order, joined by ", ": "* in the room: Bob, alice\\n". Alone, it is "* in the room:\\n", with nothing after the colon.';

export const SELF_IN_LIST_HINT =
  "the list names the OTHER members: build it before you add the newcomer to your members (or leave the newcomer out of it).";

export const SORT_HINT =
  'sort the names in byte order: names.sort() with no comparator in Node (it compares UTF-16 code units, which for ASCII is byte order), sorted(names) in Python. localeCompare, Intl.Collator and key=str.lower ignore case; byte order puts every upper-case letter before every lower-case one: "Bob", "Zoe", "alice".';

export const JOIN_ORDER_HINT =
  "a Map (Python: a dict) keeps its keys in the order they were added, which is the order the members joined: sort the names before joining them with \", \" ([...members.keys()].sort(); Python: sorted(members)).";

export const JOIN_HINT =
  'when a name is accepted, tell every member already in the room "* <name> has joined\\n": loop over your members and write to each of them (not to the newcomer).';

export const RELAY_HINT =
  'write each line a member sends to every other member as "[<name>] <text>\\n", where <name> is the sender\'s name: loop over the members and skip the sender.';

export const ECHO_HINT =
  "skip the sender when you broadcast: for (const [name, other] of members) if (other !== socket) other.write(line) (Python: if conn is not sender). The sender already knows what it typed.";

export const NOT_JOINED_HINT =
  "a client is in the room only once the server has accepted its name: add its socket to your members in the name step, not when it connects, and broadcast to members only (Python: append the connection to your clients once its name is accepted).";

export const NOT_JOINED_LEAVE_HINT =
  "a client that leaves before sending its name was never in the room: announce a leave only for a connection that had joined (in its 'close' handler: if (name === undefined) return;).";

export const NAME_RULE_HINT =
  'a name is 1 to 16 characters, each A-Z, a-z, 0-9 or _: test it with /^[A-Za-z0-9_]{1,16}$/ (Python: re.fullmatch(r"[A-Za-z0-9_]{1,16}", name)). Anything else gets "error: invalid name\\n", then close the connection: socket.end("error: invalid name\\n") (Python: sendall, then close).';

export const ASCII_NAME_HINT =
  'names are ASCII only. Python\'s \\w, str.isalnum(), str.isalpha() and str.isidentifier() accept any Unicode letter ("ë", "é", "ж"): spell the class out, re.fullmatch(r"[A-Za-z0-9_]{1,16}", name), or add flags=re.ASCII. In Node, /^[A-Za-z0-9_]{1,16}$/.';

export const CLOSE_AFTER_ERROR_HINT =
  'after "error: invalid name" or "error: name taken", close the connection: socket.end("error: ...\\n") writes the line and closes (Python: conn.sendall(...), then conn.close()).';

export const TAKEN_HINT =
  'before accepting a name, look it up among the members: members.has(name) means "error: name taken\\n", then close. Compare exactly: "Alice" and "alice" are two names.';

export const CASE_HINT =
  'names are compared exactly, case included: "Alice" is free while "alice" is in the room. Do not lower-case names before you compare them.';

export const FREE_NAME_HINT =
  "when a member leaves, remove its name from everything you keep (members.delete(name) in the 'close' handler; Python: del members[name] in a finally: block), so the name is free again at once.";

export const LEAVE_HINT =
  "when a member's connection ends, remove it from the room and tell the others \"* <name> has left\\n\": do it in socket.on('close', ...) (Python: when recv returns b\"\" or readline returns b\"\", in a finally: block after the loop).";

export const LEAVE_ONCE_HINT =
  "announce a leave in one place only: 'close' fires exactly once, after 'end' (the client closed) and after 'error' (it reset) alike. Announcing in 'end' and again in 'close' tells the others twice.";

export const RESET_LEAVE_HINT =
  "a reset connection emits 'error' and then 'close', never 'end': remove the member and announce its leave in the 'close' handler, which runs however the connection ended. (Python: a reset raises ConnectionResetError from recv or readline: catch it, and clean up in a finally: block.)";

export const RESET_CRASH_HINT =
  "a reset makes the member's socket emit 'error' (ECONNRESET, or EPIPE when you write to it); without socket.on('error', ...) Node crashes the whole server. Handle it, and clean up in 'close'. (Python: catch ConnectionResetError and BrokenPipeError in the client's thread.)";

export const ONE_CHUNK_HINT =
  'one \'data\' event (one recv) is not one line: TCP delivers a stream in chunks of any size. Keep each connection\'s bytes in its own buffer and handle a line only once its "\\n" has arrived (Python: conn.makefile("rb") and readline(), or split a buffer at b"\\n").';

export const SEVERAL_LINES_HINT =
  'one chunk may hold several lines, and the start of the next: loop while the buffer holds a "\\n" (while, not if), handle each line in order, and keep what follows the last "\\n" for later. A name and the first message may come in one chunk too.';

export const SPLIT_CHAR_HINT =
  'a character whose bytes were split between two chunks came out as U+FFFD: your program decodes each chunk on its own. Keep bytes until the "\\n" and decode whole lines (Buffer.concat, then toString("utf8")), or let socket.setEncoding("utf8") decode (its decoder waits for the rest of a character). Python: split bytes at b"\\n", then decode each line.';

export const LONG_LINE_HINT =
  'a long line arrives in many chunks: keep appending to the connection\'s buffer until its "\\n" comes, whatever its length (Python: one recv(1024) is a piece, not a line).';

export const CR_HINT =
  'a line may end in "\\r\\n" (nc -C, telnet, Windows): drop a "\\r" right before the "\\n", in the name line and in every message, so "carol\\r\\n" is the name "carol" and "hi\\r\\n" is relayed as "[carol] hi\\n".';

export const ORDER_HINT =
  "lines from one member must reach each other member in the order they were sent: handle a connection's lines one after another and write each to every member before the next (no per-line timers, threads or promises racing each other).";

export const CROWD_HINT =
  "every line must reach all the other members, 29 of them here, within 2 s: serve every connection at once (Node: each 'connection' callback; Python: a thread per client), and write each line to every member without waiting for one before the next.";

/** For a server that stopped greeting newcomers once `limit` clients were connected. */
export function limitedHint(limit: number): string {
  return `your server serves at most ${limit} clients at once: the next one got its welcome only once others had left. A chat room holds every member at once: in Node, every 'connection' callback runs on its own (do not set server.maxConnections); in Python, start a thread per client (threading.Thread(target=handle, args=(conn,), daemon=True).start()) rather than a pool with a fixed number of workers.`;
}

export const SLOW_MEMBER_HINT =
  "a member that stops reading fills its socket's buffers, and then a blocking write to it waits, and so does everyone behind it. In Node, write() to every member without awaiting 'drain' (write() queues what the kernel cannot take yet), and disconnect a member whose socket.writableLength passes a limit (say 1 MiB). In Python, never hold a lock around sendall() to every member: give each member its own queue and sender thread, or use non-blocking sockets (selectors), and drop a member that falls too far behind.";

export const READER_DROPPED_HINT =
  "your program closed the connection of a member that was reading all along. Drop only a member that falls far behind: more than, say, 1 MiB of output waiting for it (Node: socket.writableLength; Python: the bytes in its queue), not one that is merely a moment behind.";
