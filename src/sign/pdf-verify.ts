import { type KeyObject, X509Certificate, createHash, verify as verifySignature } from 'node:crypto';
import forge from 'node-forge';

/**
 * Verifies the embedded CMS signature of a PDF report in-process (no poppler): the byte range must cover the whole
 * file except the /Contents hex string, the CMS must be canonical DER with exactly the fields our signer writes,
 * its messageDigest must equal the hash of the byte ranges, the RSA signature over the signed attributes must verify
 * with the signer certificate, and every certificate must verify against its issuer in the CMS. Together these make
 * any single changed byte anywhere in the file fail: outside /Contents it changes the digest; inside it the hex,
 * the DER, a checked field, a certificate or the signature value.
 */
export interface PdfSignatureCheck {
  valid: boolean;
  reason: string;
  signer?: string;
  /** SHA-256 (hex) of the signer certificate's DER: what a signed manifest pins the PDF signing identity by. */
  signerCertificateSha256?: string;
  signedAt?: string;
  coversWholeFile: boolean;
}

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** sha{256,384,512}WithRSAEncryption, accepted besides plain rsaEncryption as the signature algorithm. */
const RSA_WITH_DIGEST: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

class Invalid extends Error {}

interface ByteRange {
  ranges: [number, number, number, number];
  contentsHex: string;
}

/** Finds the single /ByteRange and the /Contents hex string it leaves out. */
function locateSignature(pdf: Buffer): ByteRange | undefined {
  const marker = Buffer.from('/ByteRange');
  const first = pdf.indexOf(marker);
  if (first < 0) return undefined;
  if (pdf.indexOf(marker, first + 1) >= 0) throw new Invalid('more than one /ByteRange: only single-signature PDFs are supported');
  const text = pdf.subarray(first, first + 120).toString('latin1');
  const match = /^\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/.exec(text);
  if (!match) throw new Invalid('/ByteRange is malformed');
  const ranges = match.slice(1, 5).map(Number) as [number, number, number, number];
  const [start, gapStart, gapEnd] = ranges;
  if (start !== 0 || gapStart <= 0 || gapEnd <= gapStart + 1 || gapEnd > pdf.length) {
    throw new Invalid(`/ByteRange [${ranges.join(' ')}] does not describe two ranges around /Contents`);
  }
  if (pdf[gapStart] !== 0x3c || pdf[gapEnd - 1] !== 0x3e) throw new Invalid('the gap in /ByteRange is not the /Contents hex string');
  return { ranges, contentsHex: pdf.subarray(gapStart + 1, gapEnd - 1).toString('latin1') };
}

/** The CMS DER from the /Contents hex: lowercase hex (as written by the signer), then only zero padding. */
function cmsBytes(hex: string): string {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) throw new Invalid('/Contents is not a lowercase hex string');
  return forge.util.hexToBytes(hex);
}

type Node = forge.asn1.Asn1;
/** forge accepts an options object here; @types/node-forge only knows the older boolean `strict`. */
type FromDerOptions = { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean };
const fromDer = forge.asn1.fromDer as unknown as (bytes: forge.util.ByteBuffer, options: FromDerOptions) => Node;

function children(node: Node | undefined, type: number, what: string, tagClass: forge.asn1.Class = forge.asn1.Class.UNIVERSAL): Node[] {
  if (!node || node.tagClass !== tagClass || node.type !== type || !node.constructed || !Array.isArray(node.value)) {
    throw new Invalid(`CMS: ${what} is not where expected`);
  }
  return node.value;
}

function primitive(node: Node | undefined, type: number, what: string): string {
  if (!node || node.tagClass !== forge.asn1.Class.UNIVERSAL || node.type !== type || node.constructed || typeof node.value !== 'string') {
    throw new Invalid(`CMS: ${what} is not where expected`);
  }
  return node.value;
}

function oid(node: Node | undefined, what: string): string {
  return forge.asn1.derToOid(primitive(node, forge.asn1.Type.OID, what));
}

function expectVersion(node: Node | undefined, what: string): void {
  if (primitive(node, forge.asn1.Type.INTEGER, what) !== '\x01') throw new Invalid(`CMS: ${what} is not 1`);
}

/** AlgorithmIdentifier: OID with absent or NULL parameters. */
function algorithm(node: Node | undefined, what: string): string {
  const parts = children(node, forge.asn1.Type.SEQUENCE, what);
  if (parts.length > 2) throw new Invalid(`CMS: ${what} has unexpected parameters`);
  if (parts.length === 2 && primitive(parts[1], forge.asn1.Type.NULL, `${what} parameters`) !== '') throw new Invalid(`CMS: ${what} parameters are not NULL`);
  return oid(parts[0], what);
}

function der(node: Node): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

interface SignedAttributes {
  messageDigest: Buffer;
  signingTime?: Date;
}

function readSignedAttributes(node: Node): SignedAttributes {
  const attrs = children(node, 0, 'signed attributes', forge.asn1.Class.CONTEXT_SPECIFIC);
  const seen = new Map<string, Node[]>();
  for (const attr of attrs) {
    const [type, values, ...rest] = children(attr, forge.asn1.Type.SEQUENCE, 'attribute');
    const id = oid(type, 'attribute type');
    const set = children(values, forge.asn1.Type.SET, `attribute ${id} values`);
    if (rest.length || set.length !== 1 || seen.has(id)) throw new Invalid(`CMS: attribute ${id} is malformed or repeated`);
    seen.set(id, set);
  }
  if (oid(seen.get(OID.contentType)?.[0], 'contentType attribute') !== OID.data) throw new Invalid('CMS: contentType attribute is not id-data');
  const digest = primitive(seen.get(OID.messageDigest)?.[0], forge.asn1.Type.OCTETSTRING, 'messageDigest attribute');
  const time = seen.get(OID.signingTime)?.[0];
  let signingTime: Date | undefined;
  if (time) {
    const value = typeof time.value === 'string' ? time.value : '';
    if (time.type === forge.asn1.Type.UTCTIME) signingTime = forge.asn1.utcTimeToDate(value);
    else if (time.type === forge.asn1.Type.GENERALIZEDTIME) signingTime = forge.asn1.generalizedTimeToDate(value);
    else throw new Invalid('CMS: signingTime attribute is not a time');
    if (Number.isNaN(signingTime.getTime())) throw new Invalid('CMS: signingTime attribute is not a valid time');
  }
  return { messageDigest: Buffer.from(digest, 'binary'), ...(signingTime ? { signingTime } : {}) };
}

interface Certificate {
  x509: X509Certificate;
  publicKey: KeyObject;
  issuer: Buffer;
  serial: Buffer;
  subject: Buffer;
}

/** Certificate DER plus the issuer/subject Name and serial as DER, read from the TBSCertificate. */
function readCertificate(node: Node): Certificate {
  const [tbs] = children(node, forge.asn1.Type.SEQUENCE, 'certificate');
  const fields = children(tbs, forge.asn1.Type.SEQUENCE, 'TBSCertificate');
  const offset = fields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const serial = primitive(fields[offset], forge.asn1.Type.INTEGER, 'certificate serial');
  const issuer = fields[offset + 2];
  const subject = fields[offset + 4];
  if (!issuer || !subject) throw new Invalid('CMS: certificate is truncated');
  let x509: X509Certificate;
  let publicKey: KeyObject;
  try {
    x509 = new X509Certificate(der(node));
    publicKey = x509.publicKey;
  } catch {
    throw new Invalid('CMS: a certificate or its public key does not parse');
  }
  return { x509, publicKey, issuer: der(issuer), serial: Buffer.from(serial, 'binary'), subject: der(subject) };
}

/** Every certificate must carry a valid signature from an issuer in the CMS (a self-signed one from itself). */
function checkCertificates(certs: Certificate[]): void {
  for (const cert of certs) {
    const issuer = certs.find((c) => c.subject.equals(cert.issuer) && safely(() => cert.x509.verify(c.publicKey)));
    if (!issuer) throw new Invalid(`certificate "${cert.x509.subject.replace(/\n/g, ', ')}" is not signed by a certificate in the signature`);
  }
}

/** OpenSSL throws on some malformed inputs instead of answering false; for a verifier both mean "no". */
function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

function commonName(cert: X509Certificate): string {
  const line = cert.subject.split('\n').find((l) => l.startsWith('CN='));
  return line ? line.slice(3) : cert.subject.replace(/\n/g, ', ');
}

interface ParsedCms {
  digest: string;
  attributes: SignedAttributes;
  signedAttributesDer: Buffer;
  signature: Buffer;
  signer: Certificate;
}

function parseCms(hex: string): ParsedCms {
  const raw = cmsBytes(hex);
  let root: Node;
  try {
    root = fromDer(forge.util.createBuffer(raw), { strict: true, parseAllBytes: false, decodeBitStrings: false });
  } catch (err) {
    throw new Invalid(`CMS does not parse: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Canonical DER only, followed by nothing but the zero padding the signer adds: no byte may be free to change.
  const encoded = forge.asn1.toDer(root).getBytes();
  if (raw.slice(0, encoded.length) !== encoded) throw new Invalid('CMS is not canonical DER');
  if (!/^\0*$/.test(raw.slice(encoded.length))) throw new Invalid('/Contents has data after the CMS');

  const [contentType, wrapped, ...extra] = children(root, forge.asn1.Type.SEQUENCE, 'ContentInfo');
  if (extra.length || oid(contentType, 'content type') !== OID.signedData) throw new Invalid('CMS is not SignedData');
  const [signedData, ...more] = children(wrapped, 0, 'SignedData wrapper', forge.asn1.Class.CONTEXT_SPECIFIC);
  if (more.length) throw new Invalid('CMS: unexpected data after SignedData');
  const fields = children(signedData, forge.asn1.Type.SEQUENCE, 'SignedData');
  expectVersion(fields[0], 'SignedData version');
  const digestAlgorithms = children(fields[1], forge.asn1.Type.SET, 'digestAlgorithms').map((a) => algorithm(a, 'digest algorithm'));
  const encap = children(fields[2], forge.asn1.Type.SEQUENCE, 'encapContentInfo');
  if (encap.length !== 1 || oid(encap[0], 'encapsulated content type') !== OID.data) throw new Invalid('CMS is not a detached signature over data');
  // version, digestAlgorithms, encapContentInfo, [0] certificates, signerInfos: CRLs and absent certificates are refused.
  if (fields.length !== 5) throw new Invalid('CMS: SignedData must hold exactly the certificates and one signer (no CRLs)');
  const certNodes = children(fields[3], 0, 'certificates', forge.asn1.Class.CONTEXT_SPECIFIC);
  const signerInfos = children(fields[4], forge.asn1.Type.SET, 'signerInfos');
  if (signerInfos.length !== 1) throw new Invalid(`CMS has ${signerInfos.length} signers; expected 1`);

  const info = children(signerInfos[0], forge.asn1.Type.SEQUENCE, 'SignerInfo');
  if (info.length !== 6) throw new Invalid('CMS: SignerInfo has unexpected fields (unsigned attributes are not supported)');
  expectVersion(info[0], 'SignerInfo version');
  const [issuer, serial, ...sidRest] = children(info[1], forge.asn1.Type.SEQUENCE, 'signer identifier');
  if (!issuer || sidRest.length) throw new Invalid('CMS: signer identifier is malformed');
  const serialBytes = Buffer.from(primitive(serial, forge.asn1.Type.INTEGER, 'signer serial'), 'binary');
  const digestOid = algorithm(info[2], 'signer digest algorithm');
  const digest = DIGESTS[digestOid];
  if (!digest || !digestAlgorithms.includes(digestOid)) throw new Invalid(`CMS: unsupported or undeclared digest algorithm ${digestOid}`);
  const signedAttrs = info[3];
  if (!signedAttrs) throw new Invalid('CMS: no signed attributes');
  const attributes = readSignedAttributes(signedAttrs);
  const sigOid = algorithm(info[4], 'signature algorithm');
  if (sigOid !== OID.rsaEncryption && RSA_WITH_DIGEST[sigOid] !== digest) throw new Invalid(`CMS: unsupported signature algorithm ${sigOid}`);
  const signature = Buffer.from(primitive(info[5], forge.asn1.Type.OCTETSTRING, 'signature value'), 'binary');

  const certs = certNodes.map(readCertificate);
  const issuerDer = der(issuer);
  const signer = certs.find((c) => c.issuer.equals(issuerDer) && c.serial.equals(serialBytes));
  if (!signer) throw new Invalid('CMS: the signer certificate is not in the signature');
  checkCertificates(certs);
  // The signature covers the DER of the attributes as a SET (RFC 5652 §5.4), not the [0] IMPLICIT tag it is stored with.
  const signedAttributesDer = der(signedAttrs);
  signedAttributesDer[0] = 0x31;
  return { digest, attributes, signedAttributesDer, signature, signer };
}

function hashRanges(pdf: Buffer, ranges: ByteRange['ranges'], digest: string): Buffer {
  const [start, length, gapEnd, tail] = ranges;
  return createHash(digest)
    .update(pdf.subarray(start, start + length))
    .update(pdf.subarray(gapEnd, gapEnd + tail))
    .digest();
}

export function verifyPdfSignature(pdf: Buffer): PdfSignatureCheck {
  let coversWholeFile = false;
  let signer: string | undefined;
  let signerCertificateSha256: string | undefined;
  let signedAt: string | undefined;
  const identity = (): Pick<PdfSignatureCheck, 'signer' | 'signerCertificateSha256' | 'signedAt'> => ({
    ...(signer ? { signer } : {}),
    ...(signerCertificateSha256 ? { signerCertificateSha256 } : {}),
    ...(signedAt ? { signedAt } : {}),
  });
  try {
    const located = locateSignature(pdf);
    if (!located) return { valid: false, reason: 'the PDF is not signed (no /ByteRange)', coversWholeFile };
    const [start, length, gapEnd, tail] = located.ranges;
    coversWholeFile = start === 0 && gapEnd === start + length + located.contentsHex.length + 2 && gapEnd + tail === pdf.length;
    if (!coversWholeFile) {
      return { valid: false, reason: `the signed byte range [${located.ranges.join(' ')}] does not cover the whole file (${pdf.length} bytes) except /Contents`, coversWholeFile };
    }
    const cms = parseCms(located.contentsHex);
    signer = commonName(cms.signer.x509);
    signerCertificateSha256 = createHash('sha256').update(cms.signer.x509.raw).digest('hex');
    if (cms.attributes.signingTime) signedAt = cms.attributes.signingTime.toISOString();
    if (!hashRanges(pdf, located.ranges, cms.digest).equals(cms.attributes.messageDigest)) {
      return { valid: false, reason: `the ${cms.digest} of the signed byte range does not match the signature's messageDigest: the file was changed after signing`, coversWholeFile, ...identity() };
    }
    if (!safely(() => verifySignature(cms.digest, cms.signedAttributesDer, cms.signer.publicKey, cms.signature))) {
      return { valid: false, reason: 'the RSA signature over the signed attributes does not verify with the signer certificate', coversWholeFile, ...identity() };
    }
    return { valid: true, reason: `signature valid: ${cms.digest} digest and RSA signature verify; the byte range covers the whole file`, coversWholeFile, ...identity() };
  } catch (err) {
    if (err instanceof Invalid) return { valid: false, reason: err.message, coversWholeFile, ...identity() };
    throw err;
  }
}
