import { spawn, spawnSync } from "node:child_process";
import { CheckFailure, describeDifference, quoteBytes, type CheckContext } from "../../harness/index.ts";
import { KEEP_ALIVE_HINT } from "./hints.ts";

/** What curl said about one URL, from its --write-out line. */
export interface CurlTransfer {
  url: string;
  status: number;
  /** New connections curl made for this URL: 0 when it reused the previous one. */
  connects: number;
  body: Buffer;
}

const MARK = "\n@@socketlings";
/** Written after each URL's body; num_connects is documented since curl 7.12. */
const WRITE_OUT = `${MARK} %{http_code} %{num_connects}\n`;

let installed: boolean | undefined;

/** Whether a curl runs on this machine (asked once). */
export function hasCurl(): boolean {
  installed ??= spawnSync("curl", ["--version"], { stdio: "ignore" }).status === 0;
  return installed;
}

/**
 * Runs curl once for several URLs: curl fetches them one after another and
 * reuses the connection when the server kept it open, which its num_connects
 * shows per URL. Killed when the check ends.
 */
export async function curlUrls(ctx: CheckContext, paths: string[], maxSeconds: number): Promise<CurlTransfer[]> {
  const urls = paths.map((path) => `http://127.0.0.1:${ctx.port}${path}`);
  const args = ["--silent", "--show-error", "--max-time", String(maxSeconds), "--write-out", WRITE_OUT, ...urls];
  ctx.scope.transcript.add("curl", `ran   curl ${args.map((a) => (/^[\w./:?=%&+-]+$/.test(a) ? a : `'${a.replace(/\n/g, "\\n")}'`)).join(" ")}`);
  ctx.scope.transcript.step("curl fetching the URLs");
  const child = spawn("curl", args, { stdio: ["ignore", "pipe", "pipe"] });
  ctx.scope.track(() => child.kill("SIGKILL"));
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const code = await new Promise<number | null>((resolve) => {
    child.on("error", () => resolve(null));
    child.on("close", (exitCode) => resolve(exitCode));
  });
  const output = Buffer.concat(stdout);
  const complaint = Buffer.concat(stderr).toString("utf8").trim();
  const transfers = splitTransfers(output, urls);
  for (const t of transfers) ctx.scope.transcript.add("curl", `got   ${t.status} for ${t.url.replace(/^http:\/\/[^/]+/, "")} (${t.connects === 0 ? "on the same connection" : `${t.connects} new connection`}), body ${quoteBytes(t.body, 120)}`);
  if (code !== 0) {
    ctx.scope.transcript.add("curl", `exited with code ${code}${complaint ? `: ${complaint}` : ""}`);
    throw new CheckFailure(`[curl] exited with code ${code}${complaint ? `: ${complaint.split("\n").at(-1)}` : ""}`, {
      details: transfers.length > 0 ? [`after ${transfers.length} of the ${urls.length} URLs`] : [],
      expected: [`curl to fetch ${urls.length} URLs and exit with code 0`],
      hint: code === 28
        ? "curl ran out of time: it reads exactly Content-Length bytes of body, or until the connection closes when there is none. Send a Content-Length on every response, and keep the connection open for the next request."
        : "curl could not read your response: see its message above (52: the connection closed with no response; 1 or 8: what came was not HTTP).",
    });
  }
  return transfers;
}

/** Fails unless every URL got 200 and the body expected for it. */
export function expectBodies(transfers: CurlTransfer[], bodies: string[]): void {
  for (const [i, body] of bodies.entries()) {
    const transfer = transfers[i];
    if (!transfer) throw new CheckFailure(`[curl] printed nothing for URL ${i + 1}`, { expected: [`status 200 and the body ${quoteBytes(body, 60)}`] });
    const path = transfer.url.replace(/^http:\/\/[^/]+/, "");
    if (transfer.status !== 200) {
      throw new CheckFailure(`[curl] got status ${transfer.status} for ${path}`, {
        expected: ["status 200"],
        hint: "curl sent this request with its own headers (User-Agent, Accept: */*): a server must accept any well-formed header, whatever its name.",
      });
    }
    const want = Buffer.from(body);
    if (!transfer.body.equals(want)) {
      throw new CheckFailure(`[curl] got the body ${quoteBytes(transfer.body, 120)} for ${path}`, { expected: [quoteBytes(want, 120), ...(describeDifference(want, transfer.body)?.split("\n") ?? [])] });
    }
  }
}

/** Fails unless curl reused the first URL's connection for every later one. */
export function expectReused(transfers: CurlTransfer[]): void {
  const again = transfers.slice(1).find((t) => t.connects > 0);
  if (!again) return;
  throw new CheckFailure(`[curl] opened a new connection for ${again.url}: your program had closed the one before`, {
    expected: ["curl to reuse the connection for the next URL (num_connects 0): HTTP/1.1 keep-alive"],
    hint: KEEP_ALIVE_HINT,
  });
}

function splitTransfers(output: Buffer, urls: string[]): CurlTransfer[] {
  const transfers: CurlTransfer[] = [];
  let at = 0;
  for (const url of urls) {
    const mark = output.indexOf(MARK, at);
    if (mark === -1) break;
    const lineEnd = output.indexOf(0x0a, mark + MARK.length);
    const [status = "0", connects = "0"] = output.toString("latin1", mark + MARK.length, lineEnd === -1 ? output.length : lineEnd).trim().split(" ");
    transfers.push({ url, status: Number(status), connects: Number(connects), body: output.subarray(at, mark) });
    at = lineEnd === -1 ? output.length : lineEnd + 1;
  }
  return transfers;
}
