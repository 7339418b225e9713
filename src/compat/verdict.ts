import type { Severity, VerdictCode } from './codes';
import { VERDICT_CODES } from './codes';
import type { ISourced } from './data/sourced';

/*
 * A verdict: one finding about an environment on this machine. The message
 * is plain English; its template and parameters travel with it so that the
 * panel can translate the template and fill in the same parameters.
 */

/**
 * One finding, with the rule and sources behind it and a fix to copy.
 */
export interface IVerdict extends ISourced {
  code: VerdictCode;
  severity: Severity;
  title: string;
  message: string;
  /** The message with `{name}` placeholders. */
  template: string;
  params: Record<string, string>;
  /** The packages the verdict is about. */
  packages: string[];
  rule: string;
  /** A concrete command or step; never run by the extension. */
  fix: string | null;
}

/**
 * Fill `{name}` placeholders; an unknown name stays as written.
 */
export function render(
  template: string,
  params: Record<string, string>
): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? params[key] : whole
  );
}

/**
 * What a rule decides; the code supplies title, rule and, unless the
 * finding says otherwise, severity.
 */
export interface IFinding {
  template: string;
  params: Record<string, string>;
  packages: string[];
  sourced: ISourced;
  fix: string | null;
  /**
   * Where the facts make it more or less severe than its code's default
   * (cuda-compat softens `driver-too-old`; PTX under minor-version
   * compatibility hardens `gpu-arch-not-covered`).
   */
  severity?: Severity;
}

/**
 * A verdict of `code` from a rule's finding.
 */
export function verdict(code: VerdictCode, finding: IFinding): IVerdict {
  const info = VERDICT_CODES[code];
  return {
    code,
    severity: finding.severity ?? info.severity,
    title: info.title,
    message: render(finding.template, finding.params),
    template: finding.template,
    params: finding.params,
    packages: finding.packages,
    rule: info.rule,
    sources: finding.sourced.sources,
    verified: finding.sourced.verified,
    fix: finding.fix
  };
}

const RANK: Readonly<Record<Severity, number>> = {
  error: 0,
  warning: 1,
  info: 2,
  ok: 3
};

/**
 * Most severe first; equal severities keep their order.
 */
export function bySeverity(verdicts: readonly IVerdict[]): IVerdict[] {
  return [...verdicts].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/**
 * The environment's status: its worst verdict, where `info` does not count;
 * `unknown` when nothing was judged.
 */
export function worstStatus(
  verdicts: readonly IVerdict[]
): 'ok' | 'warning' | 'error' | 'unknown' {
  const severities = new Set(verdicts.map(v => v.severity));
  for (const status of ['error', 'warning', 'ok'] as const) {
    if (severities.has(status)) {
      return status;
    }
  }
  return 'unknown';
}
