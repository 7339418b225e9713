import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type {
  ProbeFrameworkError,
  ProbeJaxFacts,
  ProbeOk,
  ProbeResponse,
  ProbeTensorflowFacts,
  ProbeTorchFacts
} from '../api';
import type { CompatModel } from '../compatModel';

/**
 * What "Check in environment" found: the environment's own interpreter,
 * its Python and what each framework sees at run time, or why it gave no
 * answer. Shown beside the verdicts read from the package records.
 */
export function ProbeResult(props: ProbeResult.IProps): JSX.Element | null {
  const { state, trans } = props;
  if (state.status === 'error') {
    return (
      <div
        className="jp-CondaEnvs-ProbeResult"
        data-status="error"
        role="alert"
      >
        {trans.__('The check could not run: %1', state.error)}
      </div>
    );
  }
  const response = state.response;
  if (state.status !== 'done' || response === null) {
    return null;
  }
  return (
    <div
      className="jp-CondaEnvs-ProbeResult"
      data-status={response.status}
      role="status"
    >
      <div className="jp-CondaEnvs-ProbeResult-summary">
        {Private.summary(response, trans)}
      </div>
      {response.status === 'ok' && <Answer response={response} trans={trans} />}
      {response.status === 'timeout' && (
        <p className="jp-CondaEnvs-ProbeResult-message">{response.message}</p>
      )}
      {response.stderr && (
        <details className="jp-CondaEnvs-ProbeResult-stderr">
          <summary>{trans.__('Error output')}</summary>
          <pre>{response.stderr}</pre>
        </details>
      )}
    </div>
  );
}

export namespace ProbeResult {
  export interface IProps {
    state: CompatModel.IProbeState;
    trans: TranslationBundle;
  }
}

function Answer(props: {
  response: ProbeOk;
  trans: TranslationBundle;
}): JSX.Element {
  const { response, trans } = props;
  const { python, executable, frameworks } = response.result;
  const rows: JSX.Element[] = [];
  if (frameworks.torch) {
    rows.push(
      <Framework
        key="torch"
        name="torch"
        label="PyTorch"
        facts={frameworks.torch}
        describe={facts => Private.torch(facts, trans)}
        trans={trans}
      />
    );
  }
  if (frameworks.tensorflow) {
    rows.push(
      <Framework
        key="tensorflow"
        name="tensorflow"
        label="TensorFlow"
        facts={frameworks.tensorflow}
        describe={facts => Private.tensorflow(facts, trans)}
        trans={trans}
      />
    );
  }
  if (frameworks.jax) {
    rows.push(
      <Framework
        key="jax"
        name="jax"
        label="JAX"
        facts={frameworks.jax}
        describe={facts => Private.jax(facts, trans)}
        trans={trans}
      />
    );
  }
  return (
    <>
      <div className="jp-CondaEnvs-ProbeResult-python" title={executable}>
        {trans.__('Python %1', python)}
      </div>
      {rows.length > 0 ? (
        <ul className="jp-CondaEnvs-ProbeResult-frameworks">{rows}</ul>
      ) : (
        <p className="jp-CondaEnvs-ProbeResult-none">
          {trans.__('No PyTorch, TensorFlow or JAX to ask.')}
        </p>
      )}
    </>
  );
}

function Framework<T extends object>(props: {
  name: string;
  label: string;
  facts: T | ProbeFrameworkError;
  describe: (facts: T) => string[];
  trans: TranslationBundle;
}): JSX.Element {
  const { facts, trans } = props;
  const failed = 'error' in facts;
  return (
    <li
      className="jp-CondaEnvs-ProbeResult-framework"
      data-framework={props.name}
      data-failed={String(failed)}
    >
      <span className="jp-CondaEnvs-ProbeResult-frameworkName">
        {props.label}
      </span>{' '}
      {failed ? (
        <span className="jp-CondaEnvs-ProbeResult-error">
          {trans.__('failed: %1', facts.error)}
        </span>
      ) : (
        <span className="jp-CondaEnvs-ProbeResult-facts">
          {props.describe(facts).join(' · ')}
        </span>
      )}
    </li>
  );
}

namespace Private {
  export function summary(
    response: ProbeResponse,
    trans: TranslationBundle
  ): string {
    const seconds = response.seconds.toFixed(1);
    switch (response.status) {
      case 'ok':
        return trans.__('Checked in the environment (%1 s)', seconds);
      case 'timeout':
        return trans.__('No answer: stopped after %1 s', seconds);
      case 'failed':
        return response.exit_code === null
          ? trans.__('The interpreter failed (%1 s)', seconds)
          : trans.__(
              'The interpreter failed with exit code %1 (%2 s)',
              response.exit_code,
              seconds
            );
    }
  }

  export function torch(
    facts: ProbeTorchFacts,
    trans: TranslationBundle
  ): string[] {
    const parts = [
      facts.version,
      facts.cuda === null
        ? trans.__('CPU build')
        : trans.__('built for CUDA %1', facts.cuda),
      facts.available
        ? trans.__('GPU available: yes')
        : trans.__('GPU available: no')
    ];
    if (facts.devices && facts.devices.length > 0) {
      parts.push(trans.__('devices: %1', facts.devices.join(', ')));
    }
    return parts;
  }

  export function tensorflow(
    facts: ProbeTensorflowFacts,
    trans: TranslationBundle
  ): string[] {
    return [
      facts.version,
      facts.cuda === null
        ? trans.__('CPU build')
        : trans.__('built for CUDA %1', facts.cuda),
      facts.devices.length > 0
        ? trans.__('GPUs: %1', facts.devices.join(', '))
        : trans.__('GPUs: none')
    ];
  }

  export function jax(
    facts: ProbeJaxFacts,
    trans: TranslationBundle
  ): string[] {
    return [
      facts.version,
      trans.__('backend: %1', facts.backend),
      trans.__('devices: %1', facts.devices.join(', '))
    ];
  }
}
