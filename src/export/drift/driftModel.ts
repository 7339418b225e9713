import { PathExt } from '@jupyterlab/coreutils';
import type { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';

import { describeError, ServerModel } from '../../core/serverModel';
import type {
  EnvironmentsClient,
  EnvironmentSummary
} from '../../environments/api';
import { environmentOfKernel } from '../../kernels/kernelEnvironment';
import type { EnvironmentsModel } from '../../environments/model';
import {
  diffPackages,
  fromPackages,
  fromSpecEntries,
  IPackageDiff
} from './diff';
import { readSnapshotRecord, ISnapshotMetadata } from './snapshotMetadata';
import type { ExportClient } from '../api';

/**
 * Whether the current notebook's environment still matches the snapshot
 * recorded in its metadata.
 *
 * The cheap test first: the server sends a digest of the environment's
 * package list, which the snapshot recorded too. Only when they differ is
 * the snapshot file read (it lists every package) and the difference made.
 * It re-checks when the notebook, its kernel, its metadata or the
 * environment's revision (the listing) moves.
 */
export class DriftModel extends ServerModel {
  constructor(options: DriftModel.IOptions) {
    super(options);
    this._client = options.client;
    this._environments = options.environments;
    this._environments.stateChanged.connect(this._schedule, this);
  }

  /**
   * What is known of the current notebook's drift.
   */
  get state(): DriftModel.State {
    return this._state;
  }

  /**
   * The notebook whose snapshot is followed (the current one).
   */
  get notebook(): NotebookPanel | null {
    return this._notebook;
  }
  set notebook(panel: NotebookPanel | null) {
    if (panel === this._notebook) {
      return;
    }
    this._notebook?.model?.metadataChanged.disconnect(this._schedule, this);
    this._notebook?.context.pathChanged.disconnect(this._schedule, this);
    this._notebook = panel;
    this._notebook?.model?.metadataChanged.connect(this._schedule, this);
    this._notebook?.context.pathChanged.connect(this._schedule, this);
    this._schedule();
  }

  /**
   * Check again now, even if nothing seems to have moved.
   */
  recheck(): Promise<void> {
    this._lastKey = '';
    return this._check();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.notebook = null;
    this._environments.stateChanged.disconnect(this._schedule, this);
    super.dispose();
  }

  private _schedule(): void {
    void this._check();
  }

  private async _check(): Promise<void> {
    const panel = this._notebook;
    const snapshot = panel?.model ? Private.snapshotOf(panel.model) : null;
    if (!panel || !snapshot) {
      // An answer still on its way is about another notebook.
      this._ticket = this.nextTicket();
      this._lastKey = '';
      this._setState({ status: 'none' });
      return;
    }
    const env = environmentOfKernel(
      this._environments.environments,
      this._environments.activeKernelName
    );
    if (!env) {
      this._ticket = this.nextTicket();
      this._lastKey = '';
      this._setState({ status: 'no-environment', snapshot });
      return;
    }
    const file = PathExt.join(
      PathExt.dirname(panel.context.localPath),
      snapshot.file
    );
    // Nothing that decides the answer moved: keep it (the listing emits on
    // every refresh and every filter keystroke).
    const key = JSON.stringify([env.id, env.revision, snapshot, file]);
    if (key === this._lastKey) {
      return;
    }
    this._lastKey = key;
    const ticket = this.nextTicket();
    this._ticket = ticket;
    // A new revision of the same environment keeps the old answer on show
    // while the new one comes; anything else starts from "checking".
    const previous = this._state;
    const sameSubject =
      'environment' in previous &&
      previous.environment.id === env.id &&
      JSON.stringify(previous.snapshot) === JSON.stringify(snapshot);
    if (!sameSubject) {
      this._setState({ status: 'checking', snapshot, environment: env });
    }
    try {
      const packages = await this._client.getPackages(env.id);
      if (ticket !== this._ticket) {
        return;
      }
      if (packages.digest === snapshot.digest) {
        this._setState({ status: 'same', snapshot, environment: env, file });
        return;
      }
      let diff: IPackageDiff | null = null;
      let fileError = '';
      try {
        const spec = await this._client.getSpecFile(file);
        diff = diffPackages(
          fromSpecEntries(spec.spec.entries),
          fromPackages(packages.packages),
          { referenceComplete: spec.spec.complete }
        );
      } catch (reason) {
        fileError = describeError(reason);
      }
      if (ticket !== this._ticket) {
        return;
      }
      this._setState({
        status: 'changed',
        snapshot,
        environment: env,
        file,
        diff,
        fileError
      });
    } catch (reason) {
      if (ticket !== this._ticket) {
        return;
      }
      // The key stays: the next change of notebook, metadata or revision
      // (or `recheck`) tries again, not every listing refresh.
      this._setState({
        status: 'error',
        snapshot,
        message: describeError(reason)
      });
    }
  }

  private _setState(state: DriftModel.State): void {
    if (JSON.stringify(state) === JSON.stringify(this._state)) {
      return;
    }
    this._state = state;
    this.stateChanged.emit();
  }

  private _client: EnvironmentsClient & ExportClient;
  private _environments: EnvironmentsModel;
  private _notebook: NotebookPanel | null = null;
  private _state: DriftModel.State = { status: 'none' };
  private _lastKey = '';
  private _ticket = 0;
}

export namespace DriftModel {
  export interface IOptions extends ServerModel.IOptions {
    client: EnvironmentsClient & ExportClient;
    /** The listing: which environment the notebook's kernel runs in. */
    environments: EnvironmentsModel;
  }

  /**
   * `none`: the notebook has no snapshot; `no-environment`: its kernel runs
   * in no listed environment; `same` / `changed`: compared with the
   * environment now (`diff` null when the snapshot file could not be read,
   * `fileError` says why).
   */
  export type State =
    | { status: 'none' }
    | { status: 'no-environment'; snapshot: ISnapshotMetadata }
    | {
        status: 'checking';
        snapshot: ISnapshotMetadata;
        environment: EnvironmentSummary;
      }
    | {
        status: 'same';
        snapshot: ISnapshotMetadata;
        environment: EnvironmentSummary;
        file: string;
      }
    | {
        status: 'changed';
        snapshot: ISnapshotMetadata;
        environment: EnvironmentSummary;
        file: string;
        diff: IPackageDiff | null;
        fileError: string;
      }
    | { status: 'error'; snapshot: ISnapshotMetadata; message: string };
}

namespace Private {
  export function snapshotOf(model: INotebookModel): ISnapshotMetadata | null {
    return readSnapshotRecord(model.getMetadata('conda_envs'));
  }
}
