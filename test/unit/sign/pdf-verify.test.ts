import PDFDocument from 'pdfkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSigningIdentity } from '../../../src/sign/certificate.js';
import { addSignaturePlaceholder, signPdfBuffer } from '../../../src/sign/pdf-sign.js';
import { verifyPdfSignature } from '../../../src/sign/pdf-verify.js';

const AT = new Date('2026-11-23T18:46:37.000Z');

async function render(sign: boolean): Promise<Buffer> {
  const identity = createSigningIdentity({ commonName: 'verifier test', organisation: 'Example Corp', validDays: 30 });
  const key = { p12: identity.p12, passphrase: identity.passphrase };
  const doc = new PDFDocument({ info: { CreationDate: AT, ModDate: AT } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.font('Helvetica').text('Evidence pack report. '.repeat(200));
  if (sign) addSignaturePlaceholder(doc, key, AT);
  doc.end();
  await ended;
  const pdf = Buffer.concat(chunks);
  return sign ? signPdfBuffer(pdf, key, AT) : pdf;
}

function flipped(pdf: Buffer, offset: number, mask = 0x01): Buffer {
  const copy = Buffer.from(pdf);
  copy[offset] = (copy[offset] ?? 0) ^ mask;
  return copy;
}

describe('verifyPdfSignature', () => {
  let pdf: Buffer;
  let contentsStart: number;
  let contentsEnd: number;
  let cmsEnd: number;

  beforeAll(async () => {
    pdf = await render(true);
    const match = /\/ByteRange \[0 (\d+) (\d+) \d+/.exec(pdf.toString('latin1'));
    contentsStart = Number(match?.[1]) + 1;
    contentsEnd = Number(match?.[2]) - 1;
    const hex = pdf.subarray(contentsStart, contentsEnd).toString('latin1');
    cmsEnd = contentsStart + hex.replace(/(00)+$/, '').length;
  });

  it('accepts the untouched signed PDF', () => {
    const result = verifyPdfSignature(pdf);
    expect(result.valid).toBe(true);
    expect(result.coversWholeFile).toBe(true);
    expect(result.signer).toBe('verifier test');
    expect(result.signedAt).toBe(AT.toISOString());
  });

  it.each([
    ['the first byte', () => 0],
    ['the middle of the file', () => Math.floor(pdf.length / 2)],
    ['the /Contents delimiter', () => contentsStart - 1],
    ['the CMS header inside /Contents', () => contentsStart + 3],
    ['the middle of the CMS', () => Math.floor((contentsStart + cmsEnd) / 2)],
    ['the last CMS byte (signature value)', () => cmsEnd - 1],
    ['the zero padding after the CMS', () => cmsEnd + 10],
    ['the /ByteRange numbers', () => pdf.indexOf('/ByteRange') + 14],
    ['the last byte', () => pdf.length - 1],
  ])('rejects one changed byte at %s', (_where, offset) => {
    const result = verifyPdfSignature(flipped(pdf, offset()));
    expect(result.valid).toBe(false);
    expect(result.reason).not.toMatch(/^signature valid/);
  });

  it('rejects a hex digit changed only in case inside /Contents', () => {
    const text = pdf.toString('latin1');
    const at = text.slice(contentsStart, cmsEnd).search(/[a-f]/) + contentsStart;
    expect(verifyPdfSignature(flipped(pdf, at, 0x20)).valid).toBe(false);
  });

  it('rejects any single changed byte in a sample across the whole file', () => {
    const step = Math.max(1, Math.floor(pdf.length / 1500));
    const missed: number[] = [];
    for (let offset = 0; offset < pdf.length; offset += step) {
      if (verifyPdfSignature(flipped(pdf, offset)).valid) missed.push(offset);
    }
    expect(missed).toEqual([]);
  });

  it('rejects every single changed byte of the CMS', () => {
    const missed: number[] = [];
    for (let offset = contentsStart; offset < cmsEnd; offset += 3) {
      if (verifyPdfSignature(flipped(pdf, offset)).valid) missed.push(offset);
    }
    expect(missed).toEqual([]);
  });

  it('reports a truncated file as not covering the whole file', () => {
    const result = verifyPdfSignature(pdf.subarray(0, pdf.length - 20));
    expect(result).toMatchObject({ valid: false, coversWholeFile: false });
  });

  it('reports bytes appended after signing (an incremental update) as not covered', () => {
    const result = verifyPdfSignature(Buffer.concat([pdf, Buffer.from('\n% appended\n')]));
    expect(result).toMatchObject({ valid: false, coversWholeFile: false });
    expect(result.reason).toMatch(/does not cover the whole file/);
  });

  it('reports an unsigned PDF as not signed', async () => {
    const result = verifyPdfSignature(await render(false));
    expect(result).toEqual({ valid: false, reason: expect.stringMatching(/not signed/) as string, coversWholeFile: false });
  });

  it('reports non-PDF input as not signed rather than throwing', () => {
    expect(verifyPdfSignature(Buffer.from('hello')).valid).toBe(false);
    expect(verifyPdfSignature(Buffer.alloc(0)).valid).toBe(false);
  });
});
