import { codeBlock, destinationFor, heading, paragraph, startSection, type RenderContext } from './layout.js';
import { drawTable } from './table.js';
import { formatBytes, formatCount, formatTime, pdfSafe } from './text.js';
import { COLOUR, FONT, SECTION_TITLES } from './theme.js';

/** Every file of the pack with its SHA-256, and the commands an auditor runs to check them without trusting us. */
export function renderAppendix(ctx: RenderContext): void {
  const { doc, view } = ctx;
  const { files, totalBytes, verification } = view.appendix;
  startSection(ctx, SECTION_TITLES.appendix, destinationFor('appendix'));
  heading(doc, 'How to verify this evidence pack', { size: 11 });
  paragraph(
    doc,
    `manifest.json lists every file of the pack with its SHA-256; this report was rendered from the manifest whose own SHA-256 is ${view.meta.manifestSha256}. ` +
      (ctx.signed
        ? 'The manifest carries a detached signature (manifest.sig) and this PDF an embedded one. Run these from the pack directory:'
        : 'The manifest carries a detached signature (manifest.sig); this PDF is not signed. Run these from the pack directory:'),
    { size: 8.5 },
  );
  verification.forEach((step, i) => {
    paragraph(doc, `${i + 1}. ${step.title}`, { size: 8.5, font: FONT.bold, gap: 2 });
    codeBlock(doc, step.command, { indent: 10 });
  });
  paragraph(doc, 'pdfsig exits 0 even when a signature is invalid: read its output, which must say "Signature is Valid."', { size: 8, colour: COLOUR.muted });

  const totalFiles = view.appendix.totalFiles ?? files.length;
  heading(doc, `Evidence files (${formatCount(totalFiles)} files, ${formatBytes(totalBytes)})`, { size: 11, keepWith: 60 });
  if (totalFiles > files.length)
    paragraph(doc, `Showing the first ${formatCount(files.length)} of ${formatCount(totalFiles)} files; manifest.json lists every file with its SHA-256.`, { size: 8.5, font: FONT.bold, colour: COLOUR.accent });
  drawTable(
    doc,
    [
      { header: '#', width: 30, align: 'right' },
      { header: 'File and SHA-256', width: 315 },
      { header: 'Bytes', width: 55, align: 'right' },
      { header: 'Collected', width: 95 },
    ],
    files.map((f, i) => [
      { text: String(i + 1), size: 7.5 },
      { text: pdfSafe(f.path), size: 7.5, sub: f.sha256 },
      { text: formatCount(f.bytes), size: 7.5 },
      { text: f.collectedAt ? formatTime(f.collectedAt) : 'not recorded', size: 7.5, ...(f.collectedAt ? {} : { colour: COLOUR.muted }) },
    ]),
    { fontSize: 7.5, continuation: 'Evidence files (continued)' },
  );
}
