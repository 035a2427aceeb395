import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import type { Signer } from '@signpdf/utils';
import type PDFDocument from 'pdfkit';

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
