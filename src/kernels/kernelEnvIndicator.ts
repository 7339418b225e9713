import type {
  ISessionContext,
  IToolbarWidgetRegistry
} from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { translationBundle } from '../core/translation';
import { KernelEnvButton } from './kernelEnvButton';
import { environmentOfKernel } from './kernelEnvironment';
import type { EnvironmentsModel } from '../environments/model';

/**
 * A notebook toolbar item naming the conda environment the notebook's kernel
 * runs in. It follows the kernel and the environment listing.
 */
export class KernelEnvIndicator extends ReactWidget {
  constructor(options: KernelEnvIndicator.IOptions) {
    super();
    this._model = options.model;
    this._sessionContext = options.sessionContext;
    this._onReveal = options.onReveal;
    this._trans = translationBundle(options.translator);
    this.addClass('jp-CondaEnvs-KernelEnvIndicator');
    this._sessionContext.kernelChanged.connect(this._onChange, this);
    this._sessionContext.sessionChanged.connect(this._onChange, this);
    this._model.stateChanged.connect(this._onChange, this);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._sessionContext.kernelChanged.disconnect(this._onChange, this);
    this._sessionContext.sessionChanged.disconnect(this._onChange, this);
    this._model.stateChanged.disconnect(this._onChange, this);
    super.dispose();
  }

  protected render(): JSX.Element | null {
    const kernelName = this._sessionContext.session?.kernel?.name ?? null;
    const env = environmentOfKernel(this._model.environments, kernelName);
    // Say "no conda environment" only once there is a listing to look in;
    // without one (loading, or no server extension) say nothing.
    if (env === null && this._model.status !== 'loaded') {
      return null;
    }
    return React.createElement(KernelEnvButton, {
      env,
      onReveal: this._onReveal,
      trans: this._trans
    });
  }

  private _onChange(): void {
    // A kernel the listing does not know (an environment created since the
    // listing was read, while the panel's poll rests): read it again, once
    // per kernel name.
    const kernelName = this._sessionContext.session?.kernel?.name ?? null;
    if (
      kernelName !== null &&
      kernelName !== this._refreshedFor &&
      this._model.status === 'loaded' &&
      environmentOfKernel(this._model.environments, kernelName) === null
    ) {
      this._refreshedFor = kernelName;
      void this._model.refresh();
    }
    this.update();
  }

  private _model: EnvironmentsModel;
  private _sessionContext: ISessionContext;
  private _onReveal: (id: string | null) => void;
  private _trans: TranslationBundle;
  private _refreshedFor: string | null = null;
}

export namespace KernelEnvIndicator {
  export interface IOptions {
    model: EnvironmentsModel;
    /** The notebook's session context, to follow its kernel. */
    sessionContext: ISessionContext;
    /** Show an environment (or, with null, just the panel). */
    onReveal: (id: string | null) => void;
    translator?: ITranslator;
  }
}

/**
 * The notebook toolbar item's name, as `schema/plugin.json` places it
 * (`jupyter.lab.toolbars`, just before the kernel name) and as users can
 * move or remove it in the toolbar settings.
 */
export const INDICATOR_ITEM_NAME = 'condaEnvsIndicator';

/**
 * Add the indicator to every notebook's toolbar through the toolbar
 * registry, like JupyterLab's own items: the notebook toolbar places it from
 * the settings (before the kernel name) and keeps it when the toolbar is
 * rebuilt or customised.
 */
export function addKernelEnvIndicator(
  registry: IToolbarWidgetRegistry,
  options: Omit<KernelEnvIndicator.IOptions, 'sessionContext'>
): void {
  registry.addFactory<NotebookPanel>('Notebook', INDICATOR_ITEM_NAME, panel => {
    // The indicator needs the listing; this loads it once, the panel
    // need not be open.
    void options.model.ensureLoaded();
    return new KernelEnvIndicator({
      ...options,
      sessionContext: panel.sessionContext
    });
  });
}
