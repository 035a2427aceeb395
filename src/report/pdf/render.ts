import { addSignaturePlaceholder, signPdfBuffer, type PdfSigningKey } from '../../sign/pdf-sign.js';
import type { ReportSection } from '../definition.js';
import type { ReportView } from '../view-model.js';
import { writeFileAtomic } from '../../core/fs.js';
import { writeStreamAtomic } from '../../core/stream-write.js';
import { createDocument, currentPageIndex, finish, type Doc } from './document.js';
import { drawPageFrames } from './frame.js';
import type { RenderContext } from './layout.js';
import { renderAccounts } from './section-accounts.js';
import { renderAppendix } from './section-appendix.js';
import { renderChanges } from './section-changes.js';
import { renderControls } from './section-controls.js';
import { renderCover } from './section-cover.js';
import { renderFrameworkIndex } from './section-framework-index.js';
import { renderRegister } from './section-register.js';
import { renderSharedResponsibility } from './section-shared-responsibility.js';
import { renderSummary } from './section-summary.js';
import { renderWellArchitected } from './section-well-architected.js';
import { drawToc, tocPagesNeeded } from './toc.js';

export interface RenderPdfOptions {
  /** Embed a CMS signature made with this PKCS#12 identity. */
  sign?: PdfSigningKey;
}

const RENDERERS: Record<Exclude<ReportSection, 'cover'>, (ctx: RenderContext) => void> = {
  summary: renderSummary,
  accounts: renderAccounts,
  changes: renderChanges,
  'well-architected': renderWellArchitected,
  'shared-responsibility': renderSharedResponsibility,
  'framework-index': renderFrameworkIndex,
  controls: renderControls,
  register: renderRegister,
  appendix: renderAppendix,
};

/** The contents lines to expect, so their pages can be reserved before the sections are drawn. */
function plannedEntries(view: ReportView): { level: 1 | 2 }[] {
  return view.sections
    .filter((s) => s !== 'cover')
    .flatMap((s) => (s === 'controls' ? [{ level: 1 as const }, ...view.controls.map(() => ({ level: 2 as const }))] : [{ level: 1 as const }]));
}

/**
 * Renders the PDF report from the same view model as the HTML report, sections in `view.sections` order, with a
 * table of contents after the cover, bookmarks, headers, footers and page numbers. The bytes depend only on the
 * view (and the signing key): dates come from the run's finishedAt, never from the clock.
 */
export async function renderPdf(view: ReportView, options: RenderPdfOptions = {}): Promise<Buffer> {
  const doc = drawPdf(view, options);
  const pdf = await finish(doc);
  return options.sign ? signPdfBuffer(pdf, options.sign, signingTimeOf(view)) : pdf;
}

/**
 * Renders report.pdf to `path` atomically. An unsigned PDF streams to the file as pdfkit writes it, never held
 * whole; a signed one is rendered to memory first, since the CMS signature is computed over the finished bytes and
 * written into them (its size is bounded by the definition's limits, like the pages).
 */
export async function writePdf(path: string, view: ReportView, options: RenderPdfOptions = {}): Promise<void> {
  if (options.sign) {
    await writeFileAtomic(path, await renderPdf(view, options));
    return;
  }
  const doc = drawPdf(view, options);
  const writing = writeStreamAtomic(path, doc as unknown as AsyncIterable<Uint8Array>);
  doc.end();
  await writing;
}

const signingTimeOf = (view: ReportView): Date => new Date(view.meta.finishedAt);

/** Draws every page (and the signature placeholder when signing); the caller ends the document. */
function drawPdf(view: ReportView, options: RenderPdfOptions): Doc {
  const doc = createDocument(view.meta);
  const ctx: RenderContext = { doc, view, toc: [], signed: options.sign !== undefined, outline: undefined };
  const planned = plannedEntries(view);
  const unframed = new Set<number>();
  let toc: { first: number; pages: number } | undefined;

  for (const section of view.sections) {
    if (section === 'cover') {
      renderCover(ctx, ctx.signed);
      unframed.add(currentPageIndex(doc));
      continue;
    }
    if (!toc && planned.length > 0) {
      const pages = tocPagesNeeded(planned);
      doc.addPage();
      doc.outline.addItem('Contents');
      toc = { first: currentPageIndex(doc), pages };
      for (let i = 1; i < pages; i++) doc.addPage();
    }
    RENDERERS[section](ctx);
  }
  if (doc.bufferedPageRange().count === 0) doc.addPage();
  if (toc) drawToc(doc, ctx.toc, toc.first, toc.pages);
  drawPageFrames(doc, view.meta, unframed);

  if (options.sign) {
    // The (invisible) signature widget sits on the first page; the signature itself covers the whole file.
    doc.switchToPage(doc.bufferedPageRange().start);
    addSignaturePlaceholder(doc, options.sign, signingTimeOf(view));
  }
  return doc;
}
