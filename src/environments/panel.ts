import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import {
  addIcon,
  clearIcon,
  PanelWithToolbar,
  refreshIcon,
  SidePanel,
  ToolbarButton,
  VDomRenderer
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { DriftBanner } from '../export/drift/driftBanner';
import { EnvironmentList } from './environmentList';
import { IKernelActions } from './environmentDetails';
import { MachineHeader } from '../gpu/machineHeader';
import { ProjectEnvironment } from '../kernels/projectEnvironment';
import { CompatModel } from '../compat/compatModel';
import type { Job } from '../jobs/api';
import { JobsModel } from '../jobs/jobsModel';
import { JobsView } from '../jobs/jobsView';
import type { DriftModel } from '../export/drift/driftModel';
import { condaEnvsIcon } from '../core/icons';
import { EnvironmentsModel } from './model';

/**
 * The left-area panel: a header with "This machine", then sections; the
 * first lists the environments and has a refresh button in its toolbar.
 */
export class CondaEnvsPanel extends SidePanel {
  constructor(options: CondaEnvsPanel.IOptions) {
    const translator = options.translator ?? nullTranslator;
    super({ translator });
    this._model = options.model;
    this._compat = options.compat;
    const trans = translator.load('jupyterlab_conda_envs');

    this.id = 'jp-CondaEnvs-panel';
    this.addClass('jp-CondaEnvs-Panel');
    this.title.icon = condaEnvsIcon;
    this.title.caption = trans.__('Conda Environments');

    const heading = document.createElement('h2');
    heading.className = 'jp-CondaEnvs-Panel-title';
    heading.textContent = trans.__('Conda Environments');
    this.header.addWidget(new Widget({ node: heading }));
    // In the header, not the scrolling list: every verdict below is judged
    // against these facts, so they stay in view.
    this.header.addWidget(
      new Private.MachineView({ model: this._compat, trans })
    );

    const section = new PanelWithToolbar();
    section.addClass('jp-CondaEnvs-Panel-environments');
    section.title.label = trans.__('Environments');
    if (options.onCreate) {
      const onCreate = options.onCreate;
      section.toolbar.addItem(
        'create',
        new ToolbarButton({
          icon: addIcon,
          className: 'jp-CondaEnvs-Panel-create',
          tooltip: trans.__('New environment from file…'),
          onClick: () => onCreate()
        })
      );
    }
    section.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        className: 'jp-CondaEnvs-Panel-refresh',
        tooltip: trans.__('Refresh the environments'),
        onClick: () => {
          if (options.onRefresh) {
            options.onRefresh();
          } else {
            void this._model.refresh();
            void this._compat.refresh();
          }
        }
      })
    );
    section.addWidget(
      new Private.EnvironmentsView({
        model: this._model,
        compat: this._compat,
        drift: options.drift ?? null,
        onSnapshot: options.onSnapshot,
        actions: options.actions,
        trans
      })
    );
    this.addWidget(section);

    if (options.jobs) {
      this._jobs = options.jobs;
      this._jobsSection = Private.jobsSection({
        model: options.jobs,
        onNewNotebook: options.onNewNotebookInJob,
        trans
      });
      this._jobs.stateChanged.connect(this._syncJobsSection, this);
      this._syncJobsSection();
    }
  }

  /**
   * The jobs the panel shows, if any.
   */
  get jobs(): JobsModel | null {
    return this._jobs;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._jobs?.stateChanged.disconnect(this._syncJobsSection, this);
    // Not a child while there are no jobs: the panel would not dispose it.
    this._jobsSection?.dispose();
    super.dispose();
  }

  /**
   * The model the panel shows.
   */
  get model(): EnvironmentsModel {
    return this._model;
  }

  /**
   * The compatibility model the panel shows.
   */
  get compat(): CompatModel {
    return this._compat;
  }

  /**
   * The panel restored open when the page loads is attached visible and gets
   * no show message: load for it here.
   */
  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._model.panelVisible = this.isVisible;
    if (this.isVisible) {
      void this._model.ensureLoaded();
      void this._compat.ensureLoaded();
    }
  }

  /**
   * Load lazily on first show, and refresh on later ones: the user opening
   * the panel wants the current state.
   */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._model.panelVisible = true;
    // Once: the refresh command reloads the facts of this machine.
    void this._compat.ensureLoaded();
    if (this._model.status === 'idle') {
      void this._model.ensureLoaded();
    } else if (!this._model.isRefreshing) {
      void this._model.refresh();
      // Jobs started meanwhile from another tab or window show up too.
      void this._jobs?.load();
    }
  }

  /**
   * A collapsed panel shows nothing: the background poll rests until it is
   * shown again (and showing it refreshes at once).
   */
  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._model.panelVisible = false;
  }

  /**
   * The jobs section is in the panel only while there are jobs.
   */
  private _syncJobsSection(): void {
    const section = this._jobsSection;
    if (!section || !this._jobs) {
      return;
    }
    const shown = section.parent === this.content;
    const wanted = this._jobs.jobs.length > 0;
    if (wanted && !shown) {
      this.addWidget(section);
    } else if (!wanted && shown) {
      section.parent = null;
    }
  }

  private _model: EnvironmentsModel;
  private _compat: CompatModel;
  private _jobs: JobsModel | null = null;
  private _jobsSection: PanelWithToolbar | null = null;
}

export namespace CondaEnvsPanel {
  export interface IOptions {
    model: EnvironmentsModel;
    /** This machine and the compatibility of each environment on it. */
    compat: CompatModel;
    /** What the kernel buttons do. */
    actions: IKernelActions;
    /**
     * What the refresh button does; by default it refreshes the model. The
     * plugin runs its refresh command, which also refreshes the kernelspecs.
     */
    onRefresh?: () => void;
    /** The current notebook's snapshot and drift; no banner without. */
    drift?: DriftModel | null;
    /** Snapshot the current notebook's environment again. */
    onSnapshot?: () => void;
    /** "New environment from file…" in the toolbar; no button without. */
    onCreate?: () => void;
    /** The create and update jobs; no jobs section without. */
    jobs?: JobsModel | null;
    /** "New notebook in <name>" of a job that succeeded. */
    onNewNotebookInJob?: (job: Job) => void;
    translator?: ITranslator;
  }
}

namespace Private {
  /**
   * The "Jobs" section: the jobs, and a toolbar button that hides the
   * finished ones.
   */
  export function jobsSection(options: {
    model: JobsModel;
    onNewNotebook?: (job: Job) => void;
    trans: TranslationBundle;
  }): PanelWithToolbar {
    const { model, trans } = options;
    const section = new PanelWithToolbar();
    section.addClass('jp-CondaEnvs-Panel-jobs');
    section.title.label = trans.__('Jobs');
    section.toolbar.addItem(
      'clear',
      new ToolbarButton({
        icon: clearIcon,
        className: 'jp-CondaEnvs-Panel-clearJobs',
        tooltip: trans.__('Hide the finished jobs'),
        onClick: () => model.dismissFinished()
      })
    );
    section.addWidget(
      new JobsView({ model, onNewNotebook: options.onNewNotebook, trans })
    );
    return section;
  }

  /**
   * Renders "This machine" whenever its facts change.
   */
  export class MachineView extends VDomRenderer<CompatModel> {
    constructor(options: { model: CompatModel; trans: TranslationBundle }) {
      super(options.model);
      this._trans = options.trans;
      this.addClass('jp-CondaEnvs-MachineView');
    }

    protected render(): JSX.Element {
      return React.createElement(MachineHeader, {
        state: this.model.system,
        trans: this._trans
      });
    }

    private _trans: TranslationBundle;
  }

  /**
   * Renders the current notebook's project environment, then the
   * environment list, whenever the model changes.
   */
  export class EnvironmentsView extends VDomRenderer<EnvironmentsModel> {
    constructor(options: EnvironmentsView.IOptions) {
      super(options.model);
      this._compat = options.compat;
      this._drift = options.drift;
      this._onSnapshot = options.onSnapshot;
      this._actions = options.actions;
      this._trans = options.trans;
      this.addClass('jp-CondaEnvs-EnvironmentsView');
      // Badges and verdicts change with the compatibility model too, and
      // the snapshot banner with the drift model.
      this._compat.stateChanged.connect(this._onCompatChanged, this);
      this._drift?.stateChanged.connect(this._onCompatChanged, this);
    }

    dispose(): void {
      if (this.isDisposed) {
        return;
      }
      this._compat.stateChanged.disconnect(this._onCompatChanged, this);
      this._drift?.stateChanged.disconnect(this._onCompatChanged, this);
      super.dispose();
    }

    protected render(): JSX.Element {
      const model = this.model;
      const actions = this._actions;
      const showProject = model.notebookOpen && model.project.path !== null;
      // Always a fragment of three slots, so the list keeps its DOM (and
      // focus) when a notebook opens or closes.
      return React.createElement(
        React.Fragment,
        null,
        showProject
          ? React.createElement(ProjectEnvironment, {
              // Switch-button state belongs to one notebook.
              key: model.project.path,
              state: model.project,
              environments: model.environments,
              kernelName: model.activeKernelName,
              onSwitch: kernelName =>
                Promise.resolve(actions.useKernel(kernelName)),
              trans: this._trans
            })
          : null,
        this._drift && model.notebookOpen
          ? React.createElement(DriftBanner, {
              // Whether the differences are open belongs to one notebook.
              key: model.notebookPath ?? '',
              state: this._drift.state,
              onSnapshot: this._onSnapshot,
              trans: this._trans
            })
          : null,
        React.createElement(EnvironmentList, {
          model,
          compat: this._compat,
          actions,
          trans: this._trans
        })
      );
    }

    private _onCompatChanged(): void {
      this.update();
    }

    private _compat: CompatModel;
    private _drift: DriftModel | null;
    private _onSnapshot: (() => void) | undefined;
    private _actions: IKernelActions;
    private _trans: TranslationBundle;
  }

  export namespace EnvironmentsView {
    export interface IOptions {
      model: EnvironmentsModel;
      compat: CompatModel;
      drift: DriftModel | null;
      onSnapshot?: () => void;
      actions: IKernelActions;
      trans: TranslationBundle;
    }
  }
}
