import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { KeyObject } from "node:crypto";
import type { SeededRandom } from "../../harness/index.ts";
import { issueCertificate, newKey, type Credential } from "./certificates.ts";

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const HOSTS = ["shop", "api", "mail", "files", "intranet", "pay", "wiki", "status", "billing", "docs"];

/** What one check's servers present, all for one SERVERNAME. */
export interface CertificateSet {
  /** SERVERNAME: a random DNS name such as shop.lab-7.test. */
  servername: string;
  /** Its parent domain, lab-7.test. */
  domain: string;
  /** CA_FILE: the grader's CA certificate, in PEM. */
  caFile: string;
  /** The grader's CA: the one CA_FILE holds. */
  ca: Credential;
  /** For SERVERNAME, signed by the grader's CA, valid now. */
  good: Credential;
  /** For *.<domain> (so for SERVERNAME too), signed by the grader's CA: its CN is not SERVERNAME. */
  wildcard: Credential;
  /** For another name in the same domain, signed by the grader's CA. */
  otherName: Credential;
  /** For SERVERNAME, signed by its own key. */
  selfSigned: Credential;
  /** For SERVERNAME, signed by the grader's CA, expired two days ago. */
  expired: Credential;
  /** For SERVERNAME, signed by a CA that CA_FILE does not hold. */
  unknownCa: Credential;
  /** That other CA, which the server sends along with the certificate. */
  rogueCa: Credential;
}

interface Authority {
  ca: Credential;
  rogueCa: Credential;
  caFile: string;
  /** One key for every server certificate: keys are the slow part, and sharing one changes nothing a client sees. */
  leafKey: KeyObject;
}

/**
 * Makes the certificates for the checks of one check file: the CA, its file
 * and the keys once (lazily, in a temp directory that dispose() removes), and
 * for each check a random SERVERNAME and the server certificates for it.
 */
export class CertificateLab {
  private authority: Promise<Authority> | undefined;
  private directory: string | undefined;

  /** The certificates for one check, named from its seeded randomness. */
  async certificatesFor(random: SeededRandom): Promise<CertificateSet> {
    const { ca, rogueCa, caFile, leafKey } = await (this.authority ??= this.makeAuthority());
    const [host, other] = random.shuffle([...HOSTS]) as [string, string];
    const domain = `lab-${random.int(2, 99)}.test`;
    const servername = `${host}.${domain}`;
    const now = Date.now();
    // An hour back, so a clock a little behind the grader's still finds it valid.
    const valid = { notBefore: new Date(now - HOUR_MS), notAfter: new Date(now + 90 * DAY_MS) };
    const leaf = (commonName: string, issuer: Credential | undefined, dates = valid) =>
      issueCertificate({ commonName, dnsNames: [commonName], key: leafKey, ...(issuer ? { issuer } : {}), ...dates });
    return {
      servername,
      domain,
      caFile,
      ca,
      good: leaf(servername, ca),
      wildcard: leaf(`*.${domain}`, ca),
      otherName: leaf(`${other}.${domain}`, ca),
      selfSigned: leaf(servername, undefined),
      expired: leaf(servername, ca, { notBefore: new Date(now - 92 * DAY_MS), notAfter: new Date(now - 2 * DAY_MS) }),
      unknownCa: leaf(servername, rogueCa),
      rogueCa,
    };
  }

  /** Removes the CA file; the next certificatesFor() starts afresh. */
  async dispose(): Promise<void> {
    const directory = this.directory;
    this.authority = undefined;
    this.directory = undefined;
    if (directory) await rm(directory, { recursive: true, force: true });
  }

  private async makeAuthority(): Promise<Authority> {
    const now = Date.now();
    const dates = { notBefore: new Date(now - DAY_MS), notAfter: new Date(now + 365 * DAY_MS) };
    const ca = issueCertificate({ commonName: "socketlings Lab Root CA", isCa: true, ...dates });
    const rogueCa = issueCertificate({ commonName: "Untrusted Root CA", isCa: true, ...dates });
    this.directory = await mkdtemp(path.join(os.tmpdir(), "socketlings-tls-"));
    const caFile = path.join(this.directory, "lab-ca.pem");
    await writeFile(caFile, ca.certPem);
    return { ca, rogueCa, caFile, leafKey: newKey() };
  }
}

/** "2026-11-19": a certificate's date as the transcript shows it. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
