import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { SystemFacts } from './api';
import { driverCuda, driverPlatform } from '../compat/driver';
import type { GpuDevice, GpuFacts } from '../compat/facts';
import type { MachineModel } from './machineModel';

/**
 * "This machine": its NVIDIA GPUs, driver and the highest CUDA the driver
 * runs, or why there is no GPU; what every environment is judged against.
 */
export function MachineHeader(props: MachineHeader.IProps): JSX.Element {
  const { state, trans } = props;
  const facts = state.facts;
  const gpu = facts?.gpu ?? null;
  return (
    <section
      className="jp-CondaEnvs-MachineHeader"
      data-gpu={gpu === null ? undefined : gpu.available ? 'yes' : 'no'}
      data-simulated={gpu === null ? undefined : String(gpu.simulated)}
      aria-label={trans.__('This machine')}
      aria-busy={state.status === 'loading'}
    >
      <h3 className="jp-CondaEnvs-MachineHeader-title">
        {trans.__('This machine')}
        {gpu?.simulated && (
          <span
            className="jp-CondaEnvs-MachineHeader-simulated"
            title={trans.__(
              'Read from a file the server was configured with (c.CondaEnvs.gpu_facts_file), not detected on this machine'
            )}
          >
            {trans.__('simulated')}
          </span>
        )}
      </h3>
      {facts === null && state.status !== 'error' && (
        <div className="jp-CondaEnvs-MachineHeader-loading" role="status">
          {trans.__('Reading the GPUs and driver of this machine…')}
        </div>
      )}
      {facts !== null && <Facts facts={facts} trans={trans} />}
      {state.status === 'error' && (
        <div className="jp-CondaEnvs-MachineHeader-error" role="alert">
          {state.error}
        </div>
      )}
    </section>
  );
}

export namespace MachineHeader {
  export interface IProps {
    state: MachineModel.ISystemState;
    trans: TranslationBundle;
  }

  /**
   * GPU memory for people: `40 GiB`, `79.6 GiB`.
   */
  export function formatMemory(mib: number): string {
    const gib = mib / 1024;
    return `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB`;
  }
}

function Facts(props: {
  facts: SystemFacts;
  trans: TranslationBundle;
}): JSX.Element {
  const { facts, trans } = props;
  const gpu = facts.gpu;
  const override = facts.conda_override_cuda;
  return (
    <>
      {gpu.available ? (
        <>
          <ul className="jp-CondaEnvs-MachineHeader-gpus">
            {Private.groups(gpu.gpus).map(group => (
              <li
                key={group.key}
                className="jp-CondaEnvs-MachineHeader-gpu"
                data-count={group.count}
              >
                <span className="jp-CondaEnvs-MachineHeader-gpuName">
                  {group.count > 1
                    ? trans.__('%1 × %2', group.count, group.gpu.name)
                    : group.gpu.name}
                </span>
                {group.gpu.memory_mib !== null && (
                  <span className="jp-CondaEnvs-MachineHeader-memory">
                    {MachineHeader.formatMemory(group.gpu.memory_mib)}
                  </span>
                )}
                {group.gpu.compute_capability !== null && (
                  <span
                    className="jp-CondaEnvs-MachineHeader-capability"
                    title={trans.__('Compute capability')}
                  >
                    {trans.__('CC %1', group.gpu.compute_capability)}
                  </span>
                )}
              </li>
            ))}
          </ul>
          <div className="jp-CondaEnvs-MachineHeader-driver">
            {gpu.driver_version !== null && (
              <span className="jp-CondaEnvs-MachineHeader-driverVersion">
                {trans.__('Driver %1', gpu.driver_version)}
              </span>
            )}
            <DriverCuda facts={facts} trans={trans} />
            {/* "via file" would repeat the simulated label. */}
            {gpu.detected_by !== null && !gpu.simulated && (
              <span className="jp-CondaEnvs-MachineHeader-detectedBy">
                {trans.__('via %1', gpu.detected_by)}
              </span>
            )}
          </div>
        </>
      ) : (
        <div className="jp-CondaEnvs-MachineHeader-none">
          <span className="jp-CondaEnvs-MachineHeader-noneLabel">
            {trans.__('No NVIDIA GPU')}
          </span>
          {gpu.driver_version !== null && (
            <div className="jp-CondaEnvs-MachineHeader-driver">
              <span className="jp-CondaEnvs-MachineHeader-driverVersion">
                {trans.__('Driver %1', gpu.driver_version)}
              </span>
              <DriverCuda facts={facts} trans={trans} />
            </div>
          )}
          <details className="jp-CondaEnvs-MachineHeader-reason">
            <summary>{trans.__('Why')}</summary>
            {gpu.reason && <p>{gpu.reason}</p>}
            {gpu.attempts.length > 0 && (
              <ul className="jp-CondaEnvs-MachineHeader-attempts">
                {gpu.attempts.map((attempt, index) => (
                  <li key={index} data-ok={String(attempt.ok)}>
                    <code>{attempt.method}</code>: {attempt.detail}
                  </li>
                ))}
              </ul>
            )}
          </details>
        </div>
      )}
      {override !== null && (
        <div className="jp-CondaEnvs-MachineHeader-override" role="note">
          <code>{`CONDA_OVERRIDE_CUDA=${override}`}</code>{' '}
          {override === ''
            ? trans.__(
                'conda solves as if there were no CUDA driver, whatever this machine has'
              )
            : trans.__(
                'conda solves as if the driver supported CUDA %1, whatever the real driver is',
                override
              )}
        </div>
      )}
    </>
  );
}

/**
 * The highest CUDA the driver supports: as it reported it, else inferred
 * from its version (B1), said to be inferred.
 */
function DriverCuda(props: {
  facts: SystemFacts;
  trans: TranslationBundle;
}): JSX.Element {
  const { facts, trans } = props;
  const gpu: GpuFacts = facts.gpu;
  const drv = driverCuda(gpu, driverPlatform(facts.platform.conda_subdir));
  let text: string;
  if (gpu.cuda_driver_version !== null) {
    text = trans.__('CUDA ≤ %1', gpu.cuda_driver_version);
  } else if (drv !== null && drv.inferred) {
    text = trans.__('CUDA ≤ %1 (inferred)', drv.text);
  } else {
    text = trans.__('CUDA limit unknown');
  }
  return (
    <span
      className="jp-CondaEnvs-MachineHeader-cuda"
      data-inferred={drv?.inferred ? 'true' : undefined}
      title={
        drv?.inferred
          ? trans.__(
              'The highest CUDA version this driver supports, inferred from its version: the driver did not report it'
            )
          : trans.__('The highest CUDA version this driver supports')
      }
    >
      {text}
    </span>
  );
}

namespace Private {
  /**
   * Identical GPUs as one line with a count, in index order.
   */
  export function groups(
    gpus: GpuDevice[]
  ): { key: string; gpu: GpuDevice; count: number }[] {
    const byKey = new Map<
      string,
      { key: string; gpu: GpuDevice; count: number }
    >();
    for (const gpu of gpus) {
      const key = JSON.stringify([
        gpu.name,
        gpu.memory_mib,
        gpu.compute_capability
      ]);
      const group = byKey.get(key);
      if (group) {
        group.count++;
      } else {
        byKey.set(key, { key, gpu, count: 1 });
      }
    }
    return Array.from(byKey.values());
  }
}
