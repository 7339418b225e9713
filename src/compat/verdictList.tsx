import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IVerdict, SOURCE_KEYS } from '.';
import { bySeverity, render } from './verdict';
import { FixText } from './fixText';

/**
 * The engine's verdicts about one environment, most severe first: what is
 * wrong (or fine), which packages and rule say so, where the rule comes
 * from, and what to run about it.
 */
export function VerdictList(props: VerdictList.IProps): JSX.Element {
  const { verdicts, trans } = props;
  if (verdicts.length === 0) {
    return (
      <p className="jp-CondaEnvs-VerdictList-empty">
        {trans.__('Nothing to report: no framework with a GPU build here.')}
      </p>
    );
  }
  return (
    <ul className="jp-CondaEnvs-VerdictList">
      {bySeverity(verdicts).map((verdict, index) => (
        <VerdictItem
          key={`${verdict.code}:${index}`}
          verdict={verdict}
          trans={trans}
        />
      ))}
    </ul>
  );
}

export namespace VerdictList {
  export interface IProps {
    verdicts: readonly IVerdict[];
    trans: TranslationBundle;
  }
}

function VerdictItem(props: {
  verdict: IVerdict;
  trans: TranslationBundle;
}): JSX.Element {
  const { verdict, trans } = props;
  return (
    <li
      className="jp-CondaEnvs-Verdict"
      data-code={verdict.code}
      data-severity={verdict.severity}
      data-verified={String(verdict.verified)}
    >
      <div className="jp-CondaEnvs-Verdict-heading">
        <span className="jp-CondaEnvs-Verdict-severity">
          {Private.severityLabel(verdict.severity, trans)}
        </span>
        <span className="jp-CondaEnvs-Verdict-title">
          {Private.tr(verdict.title, trans)}
        </span>
      </div>
      <p className="jp-CondaEnvs-Verdict-message">
        {/* The engine keeps the English template and its parameters apart
            so the template can be translated and filled the same way. */}
        {render(Private.tr(verdict.template, trans), verdict.params)}
      </p>
      <dl className="jp-CondaEnvs-Verdict-facts">
        {verdict.packages.length > 0 && (
          <>
            <dt>{trans.__('Packages')}</dt>
            <dd className="jp-CondaEnvs-Verdict-packages">
              {verdict.packages.map((name, index) => (
                <React.Fragment key={index}>
                  {index > 0 && ', '}
                  <code>{name}</code>
                </React.Fragment>
              ))}
            </dd>
          </>
        )}
        <dt>{trans.__('Rule')}</dt>
        <dd className="jp-CondaEnvs-Verdict-rule">
          {Private.tr(verdict.rule, trans)}
        </dd>
        <dt>{trans.__('Sources')}</dt>
        <dd className="jp-CondaEnvs-Verdict-sources">
          {verdict.sources.map((key, index) => (
            <React.Fragment key={key}>
              {index > 0 && ', '}
              <abbr
                className="jp-CondaEnvs-Verdict-source"
                title={SOURCE_KEYS[key] ?? key}
              >
                {key}
              </abbr>
            </React.Fragment>
          ))}
          {!verdict.verified && (
            <span
              className="jp-CondaEnvs-Verdict-unverified"
              title={trans.__(
                'At least one fact behind this verdict is uncertain in the reference (marked ⚠): check it before relying on it'
              )}
            >
              {trans.__('unverified')}
            </span>
          )}
        </dd>
      </dl>
      {verdict.fix !== null && (
        <div className="jp-CondaEnvs-Verdict-fix">
          <span className="jp-CondaEnvs-Verdict-fixLabel">
            {trans.__('Fix')}
          </span>
          <FixText fix={verdict.fix} trans={trans} />
        </div>
      )}
    </li>
  );
}

namespace Private {
  /**
   * The engine's English text, translated when a catalogue has it. Text
   * with `%` placeholders is left alone: the translator would fill them
   * with nothing.
   */
  export function tr(text: string, trans: TranslationBundle): string {
    return /%\d/.test(text) ? text : trans.__(text);
  }

  export function severityLabel(
    severity: IVerdict['severity'],
    trans: TranslationBundle
  ): string {
    switch (severity) {
      case 'error':
        return trans.__('error');
      case 'warning':
        return trans.__('warning');
      case 'info':
        return trans.__('note');
      case 'ok':
        return trans.__('ok');
    }
  }
}
