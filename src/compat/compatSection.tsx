import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { EnvironmentAnalysis, ICudaBuildInfo } from '.';
import { FRAMEWORK_LABELS } from '.';
import type { CompatModel } from './compatModel';
import { compatStatusOf } from './compatStatus';
import { ProbeResult } from '../gpu/probeResult';
import { VerdictList } from './verdictList';

/**
 * The "Compatibility" part of an open environment: the verdicts read from
 * its packages against this machine, and "Check in environment", which asks
 * the environment's own interpreter instead.
 */
export function CompatSection(props: CompatSection.IProps): JSX.Element {
  const { analysis, probe, trans } = props;
  const running = probe.status === 'running';
  return (
    <section
      className="jp-CondaEnvs-CompatSection"
      data-status={analysis ? compatStatusOf(analysis) : 'loading'}
      aria-label={trans.__('Compatibility')}
    >
      <h3 className="jp-CondaEnvs-EnvironmentDetails-heading">
        {trans.__('Compatibility')}
      </h3>
      {(!analysis || analysis.status === 'loading') && (
        <div className="jp-CondaEnvs-CompatSection-loading" role="status">
          {trans.__('Checking the packages against this machine…')}
        </div>
      )}
      {analysis?.status === 'error' && (
        <div className="jp-CondaEnvs-CompatSection-error" role="alert">
          {analysis.error}
        </div>
      )}
      {analysis?.status === 'done' && analysis.analysis && (
        <>
          <Builds analysis={analysis.analysis} trans={trans} />
          <VerdictList verdicts={analysis.analysis.verdicts} trans={trans} />
        </>
      )}
      <div className="jp-CondaEnvs-CompatSection-probe">
        <button
          type="button"
          className="jp-CondaEnvs-CompatSection-probeButton jp-Button jp-mod-styled jp-mod-reject"
          disabled={running}
          aria-busy={running}
          title={trans.__(
            "Run this environment's Python and ask PyTorch, TensorFlow and JAX what they see"
          )}
          onClick={props.onProbe}
        >
          {running ? trans.__('Checking…') : trans.__('Check in environment')}
        </button>
        <ProbeResult state={probe} trans={trans} />
      </div>
    </section>
  );
}

export namespace CompatSection {
  export interface IProps {
    /** Undefined until the model judges this environment. */
    analysis: CompatModel.IAnalysisState | undefined;
    probe: CompatModel.IProbeState;
    onProbe: () => void;
    trans: TranslationBundle;
  }
}

/**
 * What the engine read from the records: the Python and each framework's
 * build, the facts the verdicts stand on.
 */
function Builds(props: {
  analysis: EnvironmentAnalysis;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { analysis, trans } = props;
  if (analysis.python === null && analysis.frameworks.length === 0) {
    return null;
  }
  return (
    <ul className="jp-CondaEnvs-CompatSection-builds">
      {analysis.python !== null && (
        <li className="jp-CondaEnvs-CompatSection-python">
          {trans.__('Python %1', analysis.python)}
        </li>
      )}
      {analysis.frameworks.map(framework => {
        const build = analysis.cuda.find(
          candidate => candidate.framework === framework.kind
        );
        return (
          <li
            key={framework.kind}
            className="jp-CondaEnvs-CompatSection-build"
            data-framework={framework.kind}
            data-build={build?.kind}
            data-cuda={build?.cuda ?? undefined}
            title={build?.detail}
          >
            {trans.__(
              '%1 %2',
              FRAMEWORK_LABELS[framework.kind],
              framework.version
            )}
            {build && (
              <>
                {' · '}
                <span className="jp-CondaEnvs-CompatSection-buildKind">
                  {Private.buildText(build, trans)}
                </span>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

namespace Private {
  export function buildText(
    build: ICudaBuildInfo,
    trans: TranslationBundle
  ): string {
    switch (build.kind) {
      case 'cuda':
        return build.cuda === null
          ? trans.__('CUDA build')
          : trans.__('CUDA %1 build', build.cuda);
      case 'cpu':
        return trans.__('CPU-only build');
      case 'rocm':
        return trans.__('ROCm build');
      case 'unknown':
        return trans.__('build not known');
    }
  }
}
