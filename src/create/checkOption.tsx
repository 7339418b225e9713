import * as React from 'react';

/**
 * A checkbox with its label, as the create dialog shows its options (add
 * ipykernel, prune, confirm the update, allow a risk); `className` names
 * the checkbox, which tests and UI tests look for.
 */
export function CheckOption(props: CheckOption.IProps): JSX.Element {
  return (
    <label className="jp-CondaEnvs-Create-check">
      <input
        type="checkbox"
        className={props.className}
        checked={props.checked}
        onChange={event => props.onChange(event.currentTarget.checked)}
      />{' '}
      {props.label}
    </label>
  );
}

export namespace CheckOption {
  export interface IProps {
    className: string;
    checked: boolean;
    onChange: (checked: boolean) => void;
    label: string;
  }
}
