import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { MachineModel } from './machineModel';

/**
 * What "Check in environment" found: the environment's own interpreter,
 * its Python and what each framework sees at run time, or why it gave no
 * answer. Shown beside the verdicts read from the package records.
 *
 * The answer comes from another process's output, relayed by the server:
 * every field is checked before use, and what does not have the expected
 * shape is left out (or said to be unreadable), never a crash.
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
        {trans.__('The check could not run: %1', Private.text(state.error))}
      </div>
    );
  }
  const response: unknown = state.response;
  if (state.status !== 'done' || !Private.isObject(response)) {
    return null;
  }
  const status = Private.text(response.status);
  const stderr = Private.text(response.stderr);
  return (
    <div
      className="jp-CondaEnvs-ProbeResult"
      data-status={status || 'unknown'}
      role="status"
    >
      <div className="jp-CondaEnvs-ProbeResult-summary">
        {Private.summary(response, trans)}
      </div>
      {status === 'ok' && <Answer result={response.result} trans={trans} />}
      {status === 'timeout' && (
        <p className="jp-CondaEnvs-ProbeResult-message">
          {Private.text(response.message)}
        </p>
      )}
      {stderr && (
        <details className="jp-CondaEnvs-ProbeResult-stderr">
          <summary>{trans.__('Error output')}</summary>
          <pre>{stderr}</pre>
        </details>
      )}
    </div>
  );
}

export namespace ProbeResult {
  export interface IProps {
    state: MachineModel.IProbeState;
    trans: TranslationBundle;
  }
}

/**
 * Each framework the probe reports: how it is shown, in this order.
 */
const FRAMEWORKS: readonly {
  key: string;
  label: string;
  describe: (
    facts: Record<string, unknown>,
    trans: TranslationBundle
  ) => string[];
}[] = [
  { key: 'torch', label: 'PyTorch', describe: (f, t) => Private.torch(f, t) },
  {
    key: 'tensorflow',
    label: 'TensorFlow',
    describe: (f, t) => Private.tensorflow(f, t)
  },
  { key: 'jax', label: 'JAX', describe: (f, t) => Private.jax(f, t) }
];

function Answer(props: {
  result: unknown;
  trans: TranslationBundle;
}): JSX.Element {
  const { result, trans } = props;
  if (!Private.isObject(result)) {
    return (
      <p className="jp-CondaEnvs-ProbeResult-none">
        {trans.__('The answer could not be read.')}
      </p>
    );
  }
  const frameworks = Private.isObject(result.frameworks)
    ? result.frameworks
    : {};
  const rows = FRAMEWORKS.filter(
    framework => frameworks[framework.key] !== undefined
  ).map(framework => (
    <Framework
      key={framework.key}
      name={framework.key}
      label={framework.label}
      facts={frameworks[framework.key]}
      describe={facts => framework.describe(facts, trans)}
      trans={trans}
    />
  ));
  const python = Private.text(result.python);
  // What the kernel will see too (it is activated the same way): which CUDA
  // libraries and devices a framework picks depends on these.
  const variables = Private.isObject(result.variables)
    ? Object.entries(result.variables).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string'
      )
    : [];
  return (
    <>
      <div
        className="jp-CondaEnvs-ProbeResult-python"
        title={Private.text(result.executable)}
      >
        {python ? trans.__('Python %1', python) : trans.__('Python')}
      </div>
      {rows.length > 0 ? (
        <ul className="jp-CondaEnvs-ProbeResult-frameworks">{rows}</ul>
      ) : (
        <p className="jp-CondaEnvs-ProbeResult-none">
          {trans.__('No PyTorch, TensorFlow or JAX to ask.')}
        </p>
      )}
      {variables.length > 0 && (
        <dl className="jp-CondaEnvs-ProbeResult-variables">
          {variables.map(([name, value]) => (
            <React.Fragment key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </React.Fragment>
          ))}
        </dl>
      )}
    </>
  );
}

function Framework(props: {
  name: string;
  label: string;
  facts: unknown;
  describe: (facts: Record<string, unknown>) => string[];
  trans: TranslationBundle;
}): JSX.Element {
  const { facts, trans } = props;
  const readable = Private.isObject(facts);
  const error = readable ? Private.text(facts.error) : '';
  const failed = !readable || error !== '';
  return (
    <li
      className="jp-CondaEnvs-ProbeResult-framework"
      data-framework={props.name}
      data-failed={String(failed)}
    >
      <span className="jp-CondaEnvs-ProbeResult-frameworkName">
        {props.label}
      </span>{' '}
      {!readable ? (
        <span className="jp-CondaEnvs-ProbeResult-error">
          {trans.__('answer not readable')}
        </span>
      ) : error ? (
        <span className="jp-CondaEnvs-ProbeResult-error">
          {trans.__('failed: %1', error)}
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
  /**
   * A JSON object (not null, not an array).
   */
  export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /**
   * A string field as text; numbers as written; anything else as nothing.
   */
  export function text(value: unknown): string {
    if (typeof value === 'string') {
      return value;
    }
    return typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : '';
  }

  /**
   * A list of strings; other entries, or a value that is no list, are dropped.
   */
  export function strings(value: unknown): string[] {
    return Array.isArray(value)
      ? value.map(text).filter(item => item !== '')
      : [];
  }

  export function summary(
    response: Record<string, unknown>,
    trans: TranslationBundle
  ): string {
    const seconds =
      typeof response.seconds === 'number' && Number.isFinite(response.seconds)
        ? response.seconds.toFixed(1)
        : '?';
    switch (response.status) {
      case 'ok':
        return trans.__('Checked in the environment (%1 s)', seconds);
      case 'timeout':
        return trans.__('No answer: stopped after %1 s', seconds);
      case 'failed':
        return typeof response.exit_code === 'number'
          ? trans.__(
              'The interpreter failed with exit code %1 (%2 s)',
              response.exit_code,
              seconds
            )
          : trans.__('The interpreter failed (%1 s)', seconds);
      default:
        return trans.__('The answer could not be read.');
    }
  }

  /**
   * "built for CUDA 12.1", or "CPU build" when it names none.
   */
  export function build(cuda: unknown, trans: TranslationBundle): string {
    const version = text(cuda);
    return version
      ? trans.__('built for CUDA %1', version)
      : trans.__('CPU build');
  }

  export function torch(
    facts: Record<string, unknown>,
    trans: TranslationBundle
  ): string[] {
    const parts = [
      text(facts.version),
      build(facts.cuda, trans),
      facts.available === true
        ? trans.__('GPU available: yes')
        : trans.__('GPU available: no')
    ];
    const devices = strings(facts.devices);
    if (devices.length > 0) {
      parts.push(trans.__('devices: %1', devices.join(', ')));
    }
    return parts.filter(part => part !== '');
  }

  export function tensorflow(
    facts: Record<string, unknown>,
    trans: TranslationBundle
  ): string[] {
    const devices = strings(facts.devices);
    return [
      text(facts.version),
      build(facts.cuda, trans),
      devices.length > 0
        ? trans.__('GPUs: %1', devices.join(', '))
        : trans.__('GPUs: none')
    ].filter(part => part !== '');
  }

  export function jax(
    facts: Record<string, unknown>,
    trans: TranslationBundle
  ): string[] {
    const backend = text(facts.backend);
    const devices = strings(facts.devices);
    return [
      text(facts.version),
      backend ? trans.__('backend: %1', backend) : '',
      devices.length > 0 ? trans.__('devices: %1', devices.join(', ')) : ''
    ].filter(part => part !== '');
  }
}
