import { join } from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

/**
 * Defaults the command line shows in --help. They live here, at the bottom, so that building the command tree
 * loads nothing heavy: every command's implementation is imported only when that command runs.
 */
export const DEFAULT_CONTROLS_DIR = join(PACKAGE_ROOT, 'controls');
export const DEFAULT_DEFINITION = join(PACKAGE_ROOT, 'reports', 'quarterly-audit.yaml');
export const DEFAULT_CONFIG = 'auditpack.yaml';
export const DEFAULT_STALE_AFTER_DAYS = 90;
