/**
 * The fixture conda root the server under test reads (built by `python -m fixture_root build`).
 */
import * as fs from 'fs';
import * as path from 'path';

export interface IFixtureEnv {
  name: string;
  prefix: string;
  kind: string;
  python_version: string | null;
  has_ipykernel: boolean;
}

export interface IFixturePaths {
  projects: string;
  wheels: string;
  runnable_project_dir: string;
  runnable_project_notebook: string;
  ghost_project_dir: string;
  pixi_project_dir: string;
  /** A local channel whose python and ipykernel really run here; "" where the root has none. */
  live_channel: string;
}

export interface IManifest {
  envs: IFixtureEnv[];
  paths: IFixturePaths;
}

/**
 * Environments the UI test server adds to the fixture's: private copies the
 * tests may change (see jupyter_server_test_config.py); a copy of the
 * runnable env, where the root has one (the benchmark root has none).
 */
export function scratchEnvs(manifest: IManifest): string[] {
  return manifest.envs.some(e => e.name === 'runnable') ? ['drift_lab'] : [];
}

export function loadManifest(): IManifest {
  const root = process.env.CONDA_ENVS_FIXTURE_ROOT;
  if (!root) {
    throw new Error('CONDA_ENVS_FIXTURE_ROOT is not set');
  }
  return JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf-8'));
}

export function envNamed(manifest: IManifest, name: string): IFixtureEnv {
  const env = manifest.envs.find(e => e.name === name);
  if (!env) {
    throw new Error(`no fixture env named ${name}`);
  }
  return env;
}
