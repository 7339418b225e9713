import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { CheckOption } from './checkOption';
import type { CreateModel } from './createModel';
import { PlanView, RiskBlock } from './planView';

/**
 * The body of the "Create environment from file" dialog: the name, what the
 * file asks for, each risk with its opt-in, "Add ipykernel", the server's
 * refusals, and the update offer when the name is taken.
 *
 * Everything from the file or the server is rendered as text.
 */
export function CreateForm(props: CreateForm.IProps): JSX.Element {
  const { model, trans } = props;
  const { plan, error } = model;
  const sourceLabel =
    model.source.kind === 'path' ? model.source.path : model.source.label;
  return (
    <div
      className="jp-CondaEnvs-Create"
      aria-busy={model.status === 'validating'}
    >
      <p className="jp-CondaEnvs-Create-source">
        {trans.__('From %1', sourceLabel)}
      </p>
      <NameInput model={model} trans={trans} />
      <p className="jp-CondaEnvs-Create-status" role="status">
        {statusText(model, trans)}
      </p>
      {error && (
        <div className="jp-CondaEnvs-Create-error" role="alert">
          <p className="jp-CondaEnvs-Create-errorMessage">{error.message}</p>
          {error.where && (
            <p className="jp-CondaEnvs-Create-where">
              {trans.__('Where: %1', error.where)}
            </p>
          )}
        </div>
      )}
      {model.canOfferUpdate && (
        <div className="jp-CondaEnvs-Create-conflict">
          <button
            type="button"
            className="jp-CondaEnvs-Create-offerUpdate jp-Button jp-mod-styled jp-mod-reject"
            onClick={() => model.offerUpdate()}
          >
            {model.name.trim()
              ? trans.__('Update %1 from this file…', model.name.trim())
              : trans.__('Update the existing environment from this file…')}
          </button>
        </div>
      )}
      {model.mode === 'update' && <UpdateConfirm model={model} trans={trans} />}
      <BackendSelect model={model} trans={trans} />
      {plan && (
        <>
          <p className="jp-CondaEnvs-Create-target">
            {plan.target.update
              ? trans.__('Updates %1 with %2', plan.target.prefix, plan.backend)
              : trans.__(
                  'Creates %1 with %2',
                  plan.target.prefix,
                  plan.backend
                )}
          </p>
          <PlanView plan={plan.plan} trans={trans} />
          {plan.plan.risks.map(risk => (
            <RiskBlock
              key={risk.kind}
              risk={risk}
              allowed={model.allowed.has(risk.kind)}
              onChange={allowed => model.setAllowed(risk.kind, allowed)}
              trans={trans}
            />
          ))}
        </>
      )}
      <CheckOption
        className="jp-CondaEnvs-Create-ipykernel"
        checked={model.addIpykernel}
        onChange={checked => model.setAddIpykernel(checked)}
        label={trans.__('Add ipykernel (the environment is a kernel at once)')}
      />
    </div>
  );
}

export namespace CreateForm {
  export interface IProps {
    model: CreateModel;
    trans: TranslationBundle;
  }
}

/**
 * One line for where the dialog stands.
 */
function statusText(model: CreateModel, trans: TranslationBundle): string {
  switch (model.status) {
    case 'validating':
      return trans.__('Checking the file…');
    case 'submitting':
      return model.mode === 'update'
        ? trans.__('Starting the update…')
        : trans.__('Starting the create…');
    case 'ready': {
      const pending = model.pendingRisks.length;
      if (pending > 0) {
        return trans._n(
          'Allow the risk below to continue.',
          'Allow the %1 risks below to continue.',
          pending
        );
      }
      if (model.mode === 'update' && !model.updateConfirmed) {
        return trans.__('Confirm the update to continue.');
      }
      return '';
    }
    default:
      return '';
  }
}

/**
 * The name, editable; uncontrolled, so typing is never undone by a render
 * that comes later (the dialog renders on Lumino's message loop).
 */
function NameInput(props: CreateForm.IProps): JSX.Element {
  const { model, trans } = props;
  const ref = React.useRef<HTMLInputElement>(null);
  const id = React.useId();
  // The file's name arrives with the first dry run; what the user typed is
  // already the model's name, so this writes only the file's.
  React.useEffect(() => {
    if (ref.current && ref.current.value !== model.name) {
      ref.current.value = model.name;
    }
  }, [model.name]);
  return (
    <Field id={id} label={trans.__('Name')}>
      <input
        id={id}
        ref={ref}
        type="text"
        className="jp-CondaEnvs-Create-name jp-mod-styled"
        defaultValue={model.name}
        placeholder={trans.__('The name in the file')}
        spellCheck={false}
        autoComplete="off"
        // The dialog may look for it before React has rendered it.
        autoFocus
        onChange={event => model.setName(event.currentTarget.value)}
      />
    </Field>
  );
}

/**
 * A labelled field of the form; `id` names its control (`children`).
 */
function Field(props: {
  id: string;
  label: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <div className="jp-CondaEnvs-Create-field">
      <label htmlFor={props.id} className="jp-CondaEnvs-Create-label">
        {props.label}
      </label>
      {props.children}
    </div>
  );
}

/**
 * The tool that creates the environment, where the server offers more than
 * one (`create_backend` is `auto` and `create_backend_choices` names some).
 */
function BackendSelect(props: CreateForm.IProps): JSX.Element | null {
  const { model, trans } = props;
  const id = React.useId();
  const choices = model.backendChoices;
  if (choices.length < 2) {
    return null;
  }
  const current = model.backendKind;
  return (
    <Field id={id} label={trans.__('Tool')}>
      <select
        id={id}
        className="jp-CondaEnvs-Create-backend jp-mod-styled"
        value={current}
        onChange={event => {
          const picked = choices.find(
            c => c.kind === event.currentTarget.value
          );
          if (picked) {
            model.setBackend(picked.kind);
          }
        }}
      >
        {choices.map(choice => (
          <option key={choice.kind} value={choice.kind}>
            {choice.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/**
 * What updating an existing environment does, and the user's explicit yes.
 */
function UpdateConfirm(props: CreateForm.IProps): JSX.Element {
  const { model, trans } = props;
  // Until the update's dry run answers, the name may be unknown (a 409 on
  // the first dry run comes without a plan).
  const name = model.plan?.target.name || model.name.trim();
  const target = model.plan?.target.update ? model.plan.target.prefix : '';
  return (
    <div
      className="jp-CondaEnvs-Create-update"
      role="group"
      aria-label={
        name
          ? trans.__('Update %1', name)
          : trans.__('Update the existing environment')
      }
    >
      <p>
        {name
          ? trans.__(
              'This changes the existing environment %1: the packages of the file are installed or changed in it.',
              name
            )
          : trans.__(
              'This changes the existing environment: the packages of the file are installed or changed in it.'
            )}
        {target && ` (${target})`}
      </p>
      <CheckOption
        className="jp-CondaEnvs-Create-prune"
        checked={model.prune}
        onChange={checked => model.setPrune(checked)}
        label={trans.__('Remove packages not in the file (--prune)')}
      />
      <CheckOption
        className="jp-CondaEnvs-Create-confirmUpdate"
        checked={model.updateConfirmed}
        onChange={checked => model.confirmUpdate(checked)}
        label={
          model.prune
            ? trans.__(
                'Yes, update %1 and remove what the file does not name',
                name || trans.__('it')
              )
            : trans.__('Yes, update %1', name || trans.__('it'))
        }
      />
      <button
        type="button"
        className="jp-CondaEnvs-Create-cancelUpdate jp-Button jp-mod-styled jp-mod-reject"
        onClick={() => model.cancelUpdate()}
      >
        {trans.__('Do not update (choose another name)')}
      </button>
    </div>
  );
}
