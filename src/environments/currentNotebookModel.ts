import { describeError } from '../core/serverModel';
import type { KernelsClient, ProjectResponse } from '../kernels/api';
import { environmentOfKernel } from '../kernels/kernelEnvironment';
import { ListingModel } from './listingModel';

/**
 * The listing and the current notebook: whether one is open, its kernel
 * (and so the environment it runs in), and its project environment.
 *
 * The project environment is asked for only once the model is in use, and
 * again when the notebook path changes, on refresh, and when kernels move
 * (a new environment or kernel can resolve it). `EnvironmentsModel` builds
 * on this.
 */
export class CurrentNotebookModel extends ListingModel {
  constructor(options: CurrentNotebookModel.IOptions) {
    super(options);
    this._kernels = options.client;
  }

  /**
   * Whether a notebook is the current widget, so its kernel can be changed.
   */
  get notebookOpen(): boolean {
    return this._notebookOpen;
  }
  set notebookOpen(value: boolean) {
    if (value === this._notebookOpen) {
      return;
    }
    this._notebookOpen = value;
    this.stateChanged.emit();
  }

  /**
   * The kernelspec name of the current notebook's kernel, if any.
   */
  get activeKernelName(): string | null {
    return this._activeKernelName;
  }
  set activeKernelName(value: string | null) {
    if (value === this._activeKernelName) {
      return;
    }
    this._activeKernelName = value;
    this.stateChanged.emit();
  }

  /**
   * The id of the environment the current notebook's kernel runs in, if known.
   */
  get activeEnvId(): string | null {
    return (
      environmentOfKernel(this.environments, this._activeKernelName)?.id ?? null
    );
  }

  /**
   * The server-root-relative path of the current notebook; null when no
   * notebook is current.
   *
   * A new path loads its project environment, once the model is in use (a
   * model nobody has shown yet asks the server nothing).
   */
  get notebookPath(): string | null {
    return this._notebookPath;
  }
  set notebookPath(value: string | null) {
    if (value === this._notebookPath) {
      return;
    }
    this._notebookPath = value;
    // An answer still on its way is about the previous notebook.
    this._projectTicket = this.nextTicket();
    this._project = {
      path: value,
      status: 'idle',
      response: null,
      error: ''
    };
    this.stateChanged.emit();
    if (value !== null && this.loadStarted) {
      void this.loadProject();
    }
  }

  /**
   * The project environment of the current notebook, as far as it is known.
   */
  get project(): CurrentNotebookModel.IProjectState {
    return this._project;
  }

  /**
   * Load (or reload) the project environment of the current notebook.
   *
   * Never rejects: failures land in `project.error`. While it reloads, the
   * previous answer for the same notebook stays available.
   */
  async loadProject(): Promise<void> {
    const path = this._notebookPath;
    if (path === null) {
      return;
    }
    const ticket = this.nextTicket();
    this._projectTicket = ticket;
    this._project = {
      path,
      status: 'loading',
      response: this._project.path === path ? this._project.response : null,
      error: ''
    };
    this.stateChanged.emit();
    let next: CurrentNotebookModel.IProjectState;
    try {
      const response = await this._kernels.getProject(path);
      next = { path, status: 'loaded', response, error: '' };
    } catch (reason) {
      next = {
        path,
        status: 'error',
        response: null,
        error: describeError(reason)
      };
    }
    // A newer request, or another notebook becoming current, wins.
    if (this.isDisposed || ticket !== this._projectTicket) {
      return;
    }
    this._project = next;
    this.stateChanged.emit();
  }

  protected kernelsMoved(): void {
    // A new environment or kernel can resolve the notebook's project (an
    // environment.yml named an env that did not exist yet, or ipykernel
    // was just installed in it).
    if (this._notebookPath !== null) {
      void this.loadProject();
    }
  }

  private _kernels: KernelsClient;
  private _notebookOpen = false;
  private _activeKernelName: string | null = null;
  private _notebookPath: string | null = null;
  private _project: CurrentNotebookModel.IProjectState = {
    path: null,
    status: 'idle',
    response: null,
    error: ''
  };
  private _projectTicket = 0;
}

export namespace CurrentNotebookModel {
  export interface IOptions extends ListingModel.IOptions {
    /**
     * The client of the server extension.
     */
    client: ListingModel.IOptions['client'] & KernelsClient;
  }

  /**
   * The project environment of the current notebook.
   */
  export interface IProjectState {
    /** The notebook path this is about; null when no notebook is current. */
    path: string | null;
    /** `idle` until it is first requested for this path. */
    status: 'idle' | 'loading' | 'loaded' | 'error';
    /** The latest answer for `path`; while reloading, the previous one. */
    response: ProjectResponse | null;
    /** Why the request failed; `''` unless `status` is `error`. */
    error: string;
  }
}
