import { X509Certificate, createHash } from 'node:crypto';

/**
 * What binds a report to its pack. Each report states the SHA-256 of the sealed manifest.json it was rendered
 * from, in a machine-readable place covered by its signature: a <meta> element in the HTML head (signed by
 * report.html.sig) and a custom entry of the PDF's document information dictionary (covered by the PDF's CMS
 * signature; `pdfinfo -custom report.pdf` prints it). A report replayed from another run, even one signed with the
 * same key, names another manifest and is refused.
 */
export const HTML_MANIFEST_META = 'auditpack-manifest-sha256';
export const PDF_MANIFEST_KEY = 'AuditpackManifestSha256';

export type Commitment = { ok: true; manifestSha256: string } | { ok: false; reason: string };

const HEX64 = /^[0-9a-f]{64}$/;

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** The manifest digest an HTML report commits to: exactly one <meta name="auditpack-manifest-sha256"> in its head. */
export function htmlCommitment(html: Buffer): Commitment {
  const text = html.toString('utf8');
  const headEnd = text.indexOf('</head>');
  const prefix = `<meta name="${HTML_MANIFEST_META}" content="`;
  const n = count(text, prefix);
  if (n !== 1) return { ok: false, reason: n === 0 ? 'states no manifest digest' : `states ${n} manifest digests` };
  const at = text.indexOf(prefix);
  if (headEnd < 0 || at > headEnd) return { ok: false, reason: 'its manifest digest is not in the document head' };
  const value = text.slice(at + prefix.length, at + prefix.length + 66);
  if (!HEX64.test(value.slice(0, 64)) || value.slice(64) !== '">') return { ok: false, reason: 'its manifest digest is malformed' };
  return { ok: true, manifestSha256: value.slice(0, 64) };
}

/**
 * The manifest digest a PDF report commits to: the single /AuditpackManifestSha256 entry of the information
 * dictionary, an indirect reference to a literal string of 64 hex digits (as pdfkit writes it).
 */
export function pdfCommitment(pdf: Buffer): Commitment {
  const text = pdf.toString('latin1');
  const key = `/${PDF_MANIFEST_KEY} `;
  const n = count(text, key);
  if (n !== 1) return { ok: false, reason: n === 0 ? 'states no manifest digest' : `states ${n} manifest digests` };
  const at = text.indexOf(key) + key.length;
  const ref = /^(\d{1,10}) 0 R/.exec(text.slice(at, at + 16));
  const direct = /^\(([0-9a-f]{64})\)/.exec(text.slice(at, at + 70));
  if (direct?.[1]) return { ok: true, manifestSha256: direct[1] };
  if (!ref?.[1]) return { ok: false, reason: 'its manifest digest entry is malformed' };
  const object = `\n${ref[1]} 0 obj\n(`;
  const m = count(text, object);
  if (m !== 1) return { ok: false, reason: `its manifest digest object ${ref[1]} is defined ${m} times` };
  const start = text.indexOf(object) + object.length;
  const value = text.slice(start, start + 65);
  if (!HEX64.test(value.slice(0, 64)) || value[64] !== ')') return { ok: false, reason: 'its manifest digest is malformed' };
  return { ok: true, manifestSha256: value.slice(0, 64) };
}

/** SHA-256 (hex) of a certificate's DER, from PEM or DER: how a signed manifest pins the PDF signing identity. */
export function certificateSha256(certificate: string | Buffer): string {
  return createHash('sha256').update(new X509Certificate(certificate).raw).digest('hex');
}
