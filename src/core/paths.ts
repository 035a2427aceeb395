import { fileURLToPath } from 'node:url';

/** The repository root (controls/, schemas/, templates/, reports/), whether running from src/ or dist/src/. */
export const PACKAGE_ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url));
