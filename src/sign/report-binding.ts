import { X509Certificate, createHash } from 'node:crypto';

/**
 * What binds a report to its pack. Each report states the SHA-256 of the sealed manifest.json it was rendered
 * from, in a machine-readable place covered by its signature: a <meta> element in the HTML head (signed by
 * report.html.sig) and a custom entry of the PDF's document information dictionary (covered by the PDF's CMS
 * signature; `pdfinfo -custom report.pdf` prints it). A report replayed from another run, even one signed with the
 * same key, names another manifest and is refused.
 *
 * Both readers search the bytes (Buffer.indexOf), never a string made of the whole file: a report may be larger
 * than the longest string V8 can make, and the search is linear.
 */
export const HTML_MANIFEST_META = 'auditpack-manifest-sha256';
export const PDF_MANIFEST_KEY = 'AuditpackManifestSha256';

export type Commitment = { ok: true; manifestSha256: string } | { ok: false; reason: string };

const HEX64 = /^[0-9a-f]{64}$/;

function count(haystack: Buffer, needle: string, from = 0, to = haystack.length): number {
  let n = 0;
  for (let i = haystack.indexOf(needle, from, 'latin1'); i >= 0 && i < to; i = haystack.indexOf(needle, i + needle.length, 'latin1')) n++;
  return n;
}

/** The manifest digest an HTML report commits to: exactly one <meta name="auditpack-manifest-sha256"> in its head. */
export function htmlCommitment(html: Buffer): Commitment {
  const prefix = `<meta name="${HTML_MANIFEST_META}" content="`;
  const n = count(html, prefix);
  if (n !== 1) return { ok: false, reason: n === 0 ? 'states no manifest digest' : `states ${n} manifest digests` };
  const at = html.indexOf(prefix, 0, 'latin1');
  const headEnd = html.indexOf('</head>', 0, 'latin1');
  if (headEnd < 0 || at > headEnd) return { ok: false, reason: 'its manifest digest is not in the document head' };
  const value = html.subarray(at + prefix.length, at + prefix.length + 66).toString('latin1');
  if (!HEX64.test(value.slice(0, 64)) || value.slice(64) !== '">') return { ok: false, reason: 'its manifest digest is malformed' };
  return { ok: true, manifestSha256: value.slice(0, 64) };
}

/** The body of the single indirect object `N 0 obj` (from after its header to `endobj`), if defined exactly once. */
function objectBody(pdf: Buffer, id: string): Buffer | undefined {
  const header = `\n${id} 0 obj\n`;
  if (count(pdf, header) !== 1) return undefined;
  const start = pdf.indexOf(header, 0, 'latin1') + header.length;
  const end = pdf.indexOf('endobj', start, 'latin1');
  return end < 0 ? undefined : pdf.subarray(start, Math.min(end, start + 64 * 1024));
}

/**
 * The manifest digest a PDF report commits to, found the way a PDF reader finds it: the last trailer's /Info
 * reference, that information dictionary's /AuditpackManifestSha256 entry, and the literal string of 64 hex digits
 * it points to (as pdfkit writes it). Text elsewhere in the file (a title, an outline entry) plays no part.
 */
export function pdfCommitment(pdf: Buffer): Commitment {
  const trailer = pdf.lastIndexOf('trailer', pdf.length, 'latin1');
  if (trailer < 0) return { ok: false, reason: 'has no trailer, so no information dictionary' };
  const info = /\/Info (\d{1,10}) 0 R/.exec(pdf.subarray(trailer, trailer + 1024).toString('latin1'));
  if (!info?.[1]) return { ok: false, reason: 'has no information dictionary' };
  const dict = objectBody(pdf, info[1])?.toString('latin1');
  if (!dict?.startsWith('<<')) return { ok: false, reason: 'its information dictionary is missing or defined more than once' };
  const entries = dict.split(`/${PDF_MANIFEST_KEY} `);
  if (entries.length !== 2) return { ok: false, reason: entries.length === 1 ? 'states no manifest digest' : 'states more than one manifest digest' };
  const ref = /^(\d{1,10}) 0 R/.exec(entries[1] ?? '');
  const direct = /^\(([0-9a-f]{64})\)/.exec(entries[1] ?? '');
  if (direct?.[1]) return { ok: true, manifestSha256: direct[1] };
  if (!ref?.[1]) return { ok: false, reason: 'its manifest digest entry is malformed' };
  const value = objectBody(pdf, ref[1])?.toString('latin1').trim();
  const match = /^\(([0-9a-f]{64})\)$/.exec(value ?? '');
  if (!match?.[1]) return { ok: false, reason: 'its manifest digest is malformed or defined more than once' };
  return { ok: true, manifestSha256: match[1] };
}

/** SHA-256 (hex) of a certificate's DER, from PEM or DER: how a signed manifest pins the PDF signing identity. */
export function certificateSha256(certificate: string | Buffer): string {
  return createHash('sha256').update(new X509Certificate(certificate).raw).digest('hex');
}
