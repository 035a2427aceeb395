import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import type { Signer } from '@signpdf/utils';
import forge from 'node-forge';
import type PDFDocument from 'pdfkit';
import { certificateSha256 } from './report-binding.js';

interface SignatureFields {
  reason?: string;
  name?: string;
  location?: string;
}

/** The local PKCS#12 identity that signs the PDF report, and the human-readable fields of the signature. */
export interface P12SigningKey extends SignatureFields {
  p12: Buffer;
  passphrase: string;
}

/** Any other @signpdf signer, e.g. one backed by AWS KMS (src/sign/kms-pdf-signer.ts). */
export interface ExternalSigningKey extends SignatureFields {
  signer: Signer;
  /** DER of the certificate the signer embeds: the signed manifest pins it before the PDF is rendered. */
  certificateDer: Buffer;
}

export type PdfSigningKey = P12SigningKey | ExternalSigningKey;

/**
 * Bytes reserved for the CMS blob (written as hex, so the placeholder is twice this). A detached SHA-256 CMS with
 * one RSA-2048 certificate is about 1.6 KB; 8 KB leaves room for a longer chain.
 */
export const SIGNATURE_BYTES = 8192;

/**
 * Adds the signature dictionary, the (invisible) signature widget and the AcroForm to a pdfkit document that has
 * not been ended yet. `signingTime` becomes the dictionary's /M, so the same run gives the same bytes.
 */
export function addSignaturePlaceholder(doc: typeof PDFDocument.prototype, key: PdfSigningKey, signingTime: Date): void {
  pdfkitAddPlaceholder({
    pdf: doc,
    pdfBuffer: Buffer.alloc(0),
    reason: key.reason ?? 'Audit report issued by auditpack',
    contactInfo: '',
    name: key.name ?? 'auditpack',
    location: key.location ?? '',
    signingTime,
    signatureLength: SIGNATURE_BYTES,
    appName: 'auditpack',
  });
}

/**
 * Signs a PDF that carries a placeholder: computes the byte range, signs it as a detached CMS (SHA-256, RSA) with
 * the PKCS#12 key and writes the signature into /Contents. `signingTime` is the CMS signingTime attribute.
 */
export async function signPdfBuffer(pdf: Buffer, key: PdfSigningKey, signingTime: Date): Promise<Buffer> {
  const signer = 'signer' in key ? key.signer : new P12Signer(key.p12, { passphrase: key.passphrase });
  return new SignPdf().sign(pdf, signer, signingTime);
}

/**
 * SHA-256 (hex) of the certificate that will sign the PDF, known before rendering so the manifest can pin it:
 * from the PKCS#12 bag (the certificate matching the key, as @signpdf's P12Signer embeds it), or the external
 * signer's certificate.
 */
export function signingCertificateSha256(key: PdfSigningKey): string {
  if ('signer' in key) return certificateSha256(key.certificateDer);
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(key.p12.toString('binary'))), key.passphrase);
  const certBag = forge.pki.oids.certBag as string;
  const bags = p12.getBags({ bagType: certBag })[certBag] ?? [];
  const cert = bags.find((b) => b.cert)?.cert;
  if (!cert) throw new Error('the PKCS#12 identity holds no certificate');
  if (bags.length !== 1) throw new Error(`the PKCS#12 identity holds ${bags.length} certificates; expected exactly the signing certificate`);
  return certificateSha256(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
}
