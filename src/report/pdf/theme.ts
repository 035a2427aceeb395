import type { Severity, Status } from '../../core/types.js';

/** Page geometry, type and colour shared by every part of the PDF report. A4, points. */
export const PAGE = { width: 595.28, height: 841.89, margin: 50, top: 72, bottom: 64 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;

/** Built-in PDF fonts only: nothing is embedded or fetched. Courier for hashes, ids and commands. */
export const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', mono: 'Courier' } as const;

export const COLOUR = {
  ink: '#1f2933',
  muted: '#616e7c',
  rule: '#cbd2d9',
  band: '#f5f7fa',
  accent: '#0b3d91',
  accentLight: '#e8eef9',
  white: '#ffffff',
} as const;

export type StatusLike = Status | 'NOT_COVERED';

/** Every status has a text label, so a badge still reads correctly when printed in greyscale. */
export const STATUS_STYLE: Record<StatusLike, { label: string; fill: string; text: string }> = {
  PASS: { label: 'PASS', fill: '#1e7b34', text: COLOUR.white },
  FAIL: { label: 'FAIL', fill: '#c0262d', text: COLOUR.white },
  ERROR: { label: 'ERROR', fill: '#7b1fa2', text: COLOUR.white },
  MANUAL: { label: 'MANUAL', fill: '#b26a00', text: COLOUR.white },
  INHERITED: { label: 'INHERITED', fill: '#1f6f8b', text: COLOUR.white },
  WAIVED: { label: 'WAIVED', fill: '#52606d', text: COLOUR.white },
  NOT_APPLICABLE: { label: 'N/A', fill: '#9aa5b1', text: COLOUR.white },
  NOT_COVERED: { label: 'NOT COVERED', fill: '#e4e7eb', text: '#52606d' },
};

export const SEVERITY_STYLE: Record<Severity, { label: string; fill: string }> = {
  critical: { label: 'Critical', fill: '#8b0000' },
  high: { label: 'High', fill: '#c0262d' },
  medium: { label: 'Medium', fill: '#d9822b' },
  low: { label: 'Low', fill: '#4a90c2' },
  informational: { label: 'Info', fill: '#7b8794' },
};

export const SECTION_TITLES = {
  cover: 'Cover',
  summary: 'Executive summary',
  accounts: 'Accounts',
  'well-architected': 'Well-Architected security pillar',
  'shared-responsibility': 'Shared-responsibility matrix',
  controls: 'Control details',
  register: 'Manual and inherited register',
  appendix: 'Appendix: evidence files and verification',
} as const;
