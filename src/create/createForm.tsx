import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { CreatePlan, CreateRisk, RiskKind } from './api';
import type { CreateModel } from './createModel';

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
      <label className="jp-CondaEnvs-Create-check">
        <input
          type="checkbox"
          className="jp-CondaEnvs-Create-ipykernel"
          checked={model.addIpykernel}
          onChange={event => model.setAddIpykernel(event.currentTarget.checked)}
        />{' '}
        {trans.__('Add ipykernel (the environment is a kernel at once)')}
      </label>
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
 * The label of a risk's opt-in checkbox.
 */
export function allowLabel(kind: RiskKind, trans: TranslationBundle): string {
  switch (kind) {
    case 'pip-index':
      return trans.__('Allow another package index (--index-url)');
    case 'pip-editable':
      return trans.__('Allow editable installs (-e)');
    case 'pip-vcs':
      return trans.__('Allow installs from version control (git, hg, …)');
    case 'pip-url':
      return trans.__('Allow installs from URLs');
    case 'pip-local':
      return trans.__('Allow installs from local paths');
    case 'pip-requirements':
      return trans.__('Allow other requirements files (-r)');
    case 'pip-option':
      return trans.__('Allow these pip options');
    case 'channel':
      return trans.__('Allow these channels');
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
    <div className="jp-CondaEnvs-Create-field">
      <label htmlFor={id} className="jp-CondaEnvs-Create-label">
        {trans.__('Name')}
      </label>
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
    <div className="jp-CondaEnvs-Create-field">
      <label htmlFor={id} className="jp-CondaEnvs-Create-label">
        {trans.__('Tool')}
      </label>
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
    </div>
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
      <label className="jp-CondaEnvs-Create-check">
        <input
          type="checkbox"
          className="jp-CondaEnvs-Create-prune"
          checked={model.prune}
          onChange={event => model.setPrune(event.currentTarget.checked)}
        />{' '}
        {trans.__('Remove packages not in the file (--prune)')}
      </label>
      <label className="jp-CondaEnvs-Create-check">
        <input
          type="checkbox"
          className="jp-CondaEnvs-Create-confirmUpdate"
          checked={model.updateConfirmed}
          onChange={event => model.confirmUpdate(event.currentTarget.checked)}
        />{' '}
        {model.prune
          ? trans.__(
              'Yes, update %1 and remove what the file does not name',
              name || trans.__('it')
            )
          : trans.__('Yes, update %1', name || trans.__('it'))}
      </label>
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

/**
 * Channels, conda dependencies, pip lines and variables of the plan.
 */
function PlanView(props: {
  plan: CreatePlan;
  trans: TranslationBundle;
}): JSX.Element {
  const { plan, trans } = props;
  const variables = Object.entries(plan.variables);
  return (
    <div className="jp-CondaEnvs-Create-plan">
      <PlanList
        title={trans.__('Channels')}
        empty={trans.__('None (the configured defaults)')}
        items={plan.channels}
        className="jp-CondaEnvs-Create-channels"
      />
      <PlanList
        title={trans.__('Conda dependencies (%1)', plan.conda.length)}
        empty={trans.__('None')}
        items={plan.conda}
        className="jp-CondaEnvs-Create-conda"
      />
      {plan.pip.length > 0 && (
        <PlanList
          title={trans.__('Pip (%1)', plan.pip.length)}
          empty=""
          items={plan.pip}
          className="jp-CondaEnvs-Create-pip"
        />
      )}
      {variables.length > 0 && (
        <section className="jp-CondaEnvs-Create-section">
          <h3 className="jp-CondaEnvs-Create-heading">
            {trans.__('Variables (%1)', variables.length)}
          </h3>
          <dl className="jp-CondaEnvs-Create-variables">
            {variables.map(([key, value]) => (
              <React.Fragment key={key}>
                <dt>{key}</dt>
                <dd>{value}</dd>
              </React.Fragment>
            ))}
          </dl>
        </section>
      )}
    </div>
  );
}

function PlanList(props: {
  title: string;
  empty: string;
  items: string[];
  className: string;
}): JSX.Element {
  return (
    <section className="jp-CondaEnvs-Create-section">
      <h3 className="jp-CondaEnvs-Create-heading">{props.title}</h3>
      {props.items.length ? (
        <ul
          className={`jp-CondaEnvs-Create-list ${props.className}`}
          aria-label={props.title}
        >
          {props.items.map((item, index) => (
            <li key={index}>{item}</li>
          ))}
        </ul>
      ) : (
        <p className="jp-CondaEnvs-Create-empty">{props.empty}</p>
      )}
    </section>
  );
}

/**
 * A risk: what it means, the lines that carry it, and its opt-in.
 */
function RiskBlock(props: {
  risk: CreateRisk;
  allowed: boolean;
  onChange: (allowed: boolean) => void;
  trans: TranslationBundle;
}): JSX.Element {
  const { risk, trans } = props;
  return (
    <div
      className="jp-CondaEnvs-Create-risk"
      data-kind={risk.kind}
      data-allowed={props.allowed}
      role="group"
      aria-label={allowLabel(risk.kind, trans)}
    >
      <p className="jp-CondaEnvs-Create-riskMessage">
        <strong>{trans.__('Warning:')}</strong> {risk.message}
      </p>
      <ul className="jp-CondaEnvs-Create-list jp-CondaEnvs-Create-riskItems">
        {risk.items.map((item, index) => (
          <li key={index}>{item}</li>
        ))}
      </ul>
      <label className="jp-CondaEnvs-Create-check">
        <input
          type="checkbox"
          className="jp-CondaEnvs-Create-allow"
          checked={props.allowed}
          onChange={event => props.onChange(event.currentTarget.checked)}
        />{' '}
        {allowLabel(risk.kind, trans)}
      </label>
    </div>
  );
}
