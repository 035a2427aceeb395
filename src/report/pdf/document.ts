import PDFDocument from 'pdfkit';
import type { ReportMeta } from '../view-model.js';
import { PDF_MANIFEST_KEY } from '../../sign/report-binding.js';
import { pdfSafe } from './text.js';
import { PAGE } from './theme.js';

export type Doc = typeof PDFDocument.prototype;

/**
 * A pdfkit document whose bytes depend only on the view: CreationDate/ModDate come from the run's finishedAt, and
 * pdfkit derives the trailer /ID from the info dictionary (an MD5 of it), so the same run gives the same file.
 * Pages are buffered so headers, footers ("Page n of N") and the table of contents are drawn at the end.
 */
export function createDocument(meta: ReportMeta): Doc {
  const at = new Date(meta.finishedAt);
  return new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.margin, right: PAGE.margin },
    bufferPages: true,
    autoFirstPage: false,
    compress: true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: pdfSafe(meta.title),
      Author: pdfSafe(meta.organisation),
      Subject: pdfSafe(`AWS security audit, run ${meta.runId}, period ${meta.period.from} to ${meta.period.to}`),
      Keywords: pdfSafe(['audit', 'AWS', ...meta.frameworks].join(', ')),
      Creator: pdfSafe(`${meta.toolName} ${meta.toolVersion}`),
      Producer: pdfSafe(`${meta.toolName} ${meta.toolVersion} (pdfkit)`),
      CreationDate: at,
      ModDate: at,
      // What binds the PDF to its pack (src/sign/report-binding.ts): covered by the CMS signature over the file.
      ...(/^[0-9a-f]{64}$/.test(meta.manifestSha256) ? { [PDF_MANIFEST_KEY]: meta.manifestSha256 } : {}),
    },
  });
}

/** Ends the document and resolves with its bytes. */
export function finish(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Index of the page being drawn, 0-based, counted from the first page of the document. */
export function currentPageIndex(doc: Doc): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count - 1;
}

export function bottomLimit(doc: Doc): number {
  return doc.page.height - PAGE.bottom;
}

/** Starts a new page unless `height` points still fit above the footer. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}
