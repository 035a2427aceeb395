import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from './paths.js';

export const TOOL_VERSION: string = (JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version: string }).version;
