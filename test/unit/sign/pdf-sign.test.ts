import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { createSigningIdentity } from '../../../src/sign/certificate.js';
import { addSignaturePlaceholder, signPdfBuffer, type PdfSigningKey } from '../../../src/sign/pdf-sign.js';
import { verifyPdfSignature } from '../../../src/sign/pdf-verify.js';
import { certificateSha256 } from '../../../src/sign/report-binding.js';

const AT = new Date('2026-11-23T18:46:37.000Z');

/** A one-page pdfkit document with a signature placeholder, signed with `key`. */
async function signedPdf(key: PdfSigningKey): Promise<Buffer> {
  const doc = new PDFDocument({ info: { CreationDate: AT, ModDate: AT } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.font('Helvetica').text('signed content');
  addSignaturePlaceholder(doc, key, AT);
  doc.end();
  await ended;
  return signPdfBuffer(Buffer.concat(chunks), key, AT);
}

describe('createSigningIdentity', () => {
  const identity = createSigningIdentity({ commonName: 'auditpack report signer', organisation: 'Example Corp', validDays: 30, now: AT });

  it('makes a self-signed RSA-2048 certificate for document signing', () => {
    const cert = new X509Certificate(identity.certificatePem);
    expect(cert.subject).toContain('CN=auditpack report signer');
    expect(cert.subject).toContain('O=Example Corp');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Date(cert.validFrom).getTime()).toBe(AT.getTime());
    expect(new Date(cert.validTo).getTime()).toBe(AT.getTime() + 30 * 86_400_000);
    const forgeCert = forge.pki.certificateFromPem(identity.certificatePem);
    const usage = forgeCert.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean; keyCertSign?: boolean };
    expect(usage.digitalSignature).toBe(true);
    expect(usage.nonRepudiation).toBe(true);
    expect(usage.keyCertSign).toBeFalsy();
  });

  it('packs key and certificate as PKCS#12 that opens only with the passphrase', () => {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(identity.p12.toString('binary')), false, identity.passphrase);
    const certBag = forge.pki.oids.certBag as string;
    const keyBag = forge.pki.oids.pkcs8ShroudedKeyBag as string;
    expect(p12.getBags({ bagType: certBag })[certBag]).toHaveLength(1);
    expect(p12.getBags({ bagType: keyBag })[keyBag]).toHaveLength(1);
    expect(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(identity.p12.toString('binary')), false, 'wrong')).toThrow();
    expect(identity.passphrase.length).toBeGreaterThanOrEqual(24);
  });

  it('rejects a non-positive validity', () => {
    expect(() => createSigningIdentity({ commonName: 'x', organisation: 'y', validDays: 0 })).toThrow(/validDays/);
  });
});

describe('PDF signing with @signpdf and the pdfkit placeholder', () => {
  const identity = createSigningIdentity({ commonName: 'auditpack report signer', organisation: 'Example Corp', validDays: 30 });
  const key: PdfSigningKey = { p12: identity.p12, passphrase: identity.passphrase, reason: 'Audit report', name: 'Example Corp', location: 'Berlin' };

  it('embeds a detached CMS signature that verifies and names the signer and time', async () => {
    const pdf = await signedPdf(key);
    const text = pdf.toString('latin1');
    expect(text).toMatch(/\/SubFilter \/adbe\.pkcs7\.detached/);
    expect(text).toContain('/Reason (Audit report)');
    expect(verifyPdfSignature(pdf)).toEqual({
      valid: true,
      reason: expect.stringContaining('signature valid') as string,
      signer: 'auditpack report signer',
      signerCertificateSha256: certificateSha256(identity.certificatePem),
      signedAt: AT.toISOString(),
      coversWholeFile: true,
    });
  });

  it('gives the same bytes for the same input and key', async () => {
    expect((await signedPdf(key)).equals(await signedPdf(key))).toBe(true);
  });

  it('fails clearly with a wrong passphrase', async () => {
    await expect(signedPdf({ ...key, passphrase: 'not-it' })).rejects.toThrow();
  });
});
