import { Clipboard } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { copyIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

/**
 * A shell command shown as text, with a button that copies it.
 */
export function CommandSnippet(props: CommandSnippet.IProps): JSX.Element {
  const { command, trans } = props;
  return (
    <div className="jp-CondaEnvs-CommandSnippet">
      <code className="jp-CondaEnvs-CommandSnippet-code">{command}</code>
      <button
        type="button"
        className="jp-CondaEnvs-CommandSnippet-copy jp-Button jp-mod-minimal"
        title={trans.__('Copy the command')}
        aria-label={trans.__('Copy the command')}
        onClick={() => Clipboard.copyToSystem(command)}
      >
        <copyIcon.react tag="span" elementSize="small" />
      </button>
    </div>
  );
}

export namespace CommandSnippet {
  export interface IProps {
    /** The command, shown and copied exactly as given. */
    command: string;
    trans: TranslationBundle;
  }
}
