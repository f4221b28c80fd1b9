/**
 * The certificates the grader's TLS servers present, made at grading time
 * with node:crypto: EC P-256 keys, X.509 v3 written in DER by hand (Node can
 * read certificates but not write them). No openssl binary is needed, so the
 * checks run the same on Linux, macOS and Windows, and nothing is spawned.
 *
 * The extensions are those a public CA would put in (basic constraints, key
 * usage, subject and authority key identifiers, subjectAltName, serverAuth),
 * so strict verifiers accept the good certificates too: Python 3.13's
 * default context sets VERIFY_X509_STRICT.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from "node:crypto";
import { bitString, boolean, explicit, implicitString, namedBits, octetString, oid, sequence, set, smallInteger, time, unsignedInteger, utf8String } from "./der.ts";

/** A key and a certificate for it, with what the transcript and the verdicts say about it. */
export interface Credential {
  key: KeyObject;
  keyPem: string;
  certPem: string;
  /** The subject's common name (CN). */
  commonName: string;
  /** The issuer's common name: its own for a self-signed certificate. */
  issuerName: string;
  /** The DNS names of its subjectAltName (none for a CA). */
  dnsNames: string[];
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
}

export interface CertificateRequest {
  commonName: string;
  dnsNames?: string[];
  isCa?: boolean;
  notBefore: Date;
  notAfter: Date;
  /** The CA that signs it; none: signed with its own key (self-signed). */
  issuer?: Credential;
  /** Its key; a new one if not given. */
  key?: KeyObject;
}

const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extendedKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  subjectAltName: "2.5.29.17",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
};

/** A new EC P-256 key pair's private key (its public half is derived from it). */
export function newKey(): KeyObject {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
}

/** Makes and signs one certificate. */
export function issueCertificate(request: CertificateRequest): Credential {
  const key = request.key ?? newKey();
  const spki = publicKeyInfo(key);
  const issuerKey = request.issuer?.key ?? key;
  const issuerName = request.issuer?.commonName ?? request.commonName;
  const signature = sequence(oid(OID.ecdsaWithSha256));
  const extensions = [
    extension(OID.basicConstraints, true, request.isCa ? sequence(boolean(true)) : sequence()),
    // keyCertSign and cRLSign for a CA; digitalSignature for a server (ECDHE signs with it).
    extension(OID.keyUsage, true, request.isCa ? namedBits([5, 6]) : namedBits([0])),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(spki))),
    ...(request.isCa && !request.issuer ? [] : [extension(OID.authorityKeyIdentifier, false, sequence(implicitBytes(0, keyIdentifier(publicKeyInfo(issuerKey)))))]),
    ...(request.isCa ? [] : [extension(OID.extendedKeyUsage, false, sequence(oid(OID.serverAuth)))]),
    ...(request.dnsNames?.length ? [extension(OID.subjectAltName, false, sequence(...request.dnsNames.map((name) => implicitString(2, name))))] : []),
  ];
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    serialNumber(),
    signature,
    distinguishedName(issuerName),
    sequence(time(request.notBefore), time(request.notAfter)),
    distinguishedName(request.commonName),
    spki,
    explicit(3, sequence(...extensions)),
  );
  // ECDSA signatures from crypto.sign are DER (r, s) already, as X.509 wants them.
  const der = sequence(tbs, signature, bitString(sign("sha256", tbs, issuerKey)));
  return {
    key,
    keyPem: key.export({ type: "pkcs8", format: "pem" }).toString(),
    certPem: toPem(der),
    commonName: request.commonName,
    issuerName,
    dnsNames: request.dnsNames ?? [],
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    selfSigned: !request.issuer,
  };
}

/** Reads a certificate back, as a TLS client would see it: for the project's own tests. */
export function parse(credential: Credential): X509Certificate {
  return new X509Certificate(credential.certPem);
}

/** SubjectPublicKeyInfo in DER, as Node writes it: algorithm ecPublicKey, curve P-256, the point. */
function publicKeyInfo(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: "spki", format: "der" });
}

/** RFC 5280's method 1: the SHA-1 of the public key's bits. Any stable value would do. */
function keyIdentifier(spki: Buffer): Buffer {
  return createHash("sha1").update(spki).digest();
}

/** [0] IMPLICIT OCTET STRING: the keyIdentifier of an AuthorityKeyIdentifier. */
function implicitBytes(n: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 + n, bytes.length]), bytes]);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** CN=<name>, O=socketlings: the organization keeps the name non-empty and looks like a real one. */
function distinguishedName(commonName: string): Buffer {
  return sequence(set(sequence(oid(OID.organization), utf8String("socketlings"))), set(sequence(oid(OID.commonName), utf8String(commonName))));
}

/** 16 random bytes, positive and without a leading zero byte, as CAs make them. */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return unsignedInteger(bytes);
}

function toPem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
