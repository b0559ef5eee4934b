import { byUrgency } from './groups.js';
import type { Finding, Severity } from '../types.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  title: string;
  message: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

const LEVEL: Record<Severity, AnnotationLevel> = { error: 'error', warning: 'warning', note: 'notice' };

/** GitHub shows at most this many annotations of each level per step. */
export const ANNOTATIONS_PER_LEVEL = 10;

/**
 * Chooses the annotations to show: at most ten per level, the most urgent of each first
 * (byUrgency), and one notice saying how many were left out.
 */
export function planAnnotations(findings: Finding[], limit = ANNOTATIONS_PER_LEVEL): Annotation[] {
  const shown: Record<AnnotationLevel, Finding[]> = { error: [], warning: [], notice: [] };
  for (const finding of [...findings].sort(byUrgency)) {
    const list = shown[LEVEL[finding.severity]];
    if (list.length < limit) list.push(finding);
  }
  let left = findings.length - shown.error.length - shown.warning.length - shown.notice.length;
  // The note about what was left out is itself a notice, so it takes one of the notice slots.
  if (left > 0 && shown.notice.length === limit) {
    shown.notice.pop();
    left++;
  }
  const annotations: Annotation[] = [];
  for (const level of ['error', 'warning', 'notice'] as const) {
    for (const f of shown[level]) {
      annotations.push({
        level,
        message: `${f.message} (fingerprint ${f.fingerprint})`,
        file: f.file,
        startLine: f.line,
        endLine: f.endLine,
        ...(f.endLine === f.line ? { startColumn: f.column, endColumn: f.endColumn } : {}),
        title: `jwt-guard ${f.ruleId}`,
      });
    }
  }
  if (left > 0) {
    annotations.push({
      level: 'notice',
      title: 'jwt-guard more findings',
      message: `${left} more finding${left === 1 ? ' is' : 's are'} not shown as annotations (GitHub shows ${limit} per level): see the job summary, the log or the SARIF report.`,
    });
  }
  return annotations;
}
