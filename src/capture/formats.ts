import { PedigreeError } from '../util/errors.js';
import { jsonlReader } from './jsonl/jsonl-reader.js';
import { auditReader } from './audit/audit-reader.js';
import { laurelReader } from './audit/laurel-reader.js';
import { straceReader } from './strace/strace-reader.js';
import { sysmonReader } from './sysmon/sysmon-reader.js';
import { tetragonReader } from './tetragon/tetragon-reader.js';
import { falcoAlertReader } from './falco-alerts/falco-alert-reader.js';
import { csvReader } from './pslist/csv-reader.js';
import { psReader } from './pslist/ps-reader.js';
import type { CaptureReader } from './reader.js';
import { scapReader } from './scap/scap-reader.js';

/**
 * Every input format pedigree reads, in detection order: the first reader whose `detect`
 * accepts the file's first bytes reads it. Specific formats come before generic ones.
 */
const READERS: readonly CaptureReader[] = [
  scapReader,
  jsonlReader,
  tetragonReader,
  laurelReader,
  falcoAlertReader,
  sysmonReader,
  auditReader,
  straceReader,
  psReader,
  csvReader,
];

export function readerByName(format: string): CaptureReader {
  const reader = READERS.find((r) => r.format === format);
  if (!reader) {
    throw new PedigreeError('USAGE', `unknown format ${format}; known formats: ${READERS.map((r) => r.format).join(', ')}`);
  }
  return reader;
}

export function detectReader(head: Buffer, path: string): CaptureReader | undefined {
  return READERS.find((r) => r.detect(head, path));
}
