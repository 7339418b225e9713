import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { CreatePlan, CreateRisk, RiskKind } from './api';
import { CheckOption } from './checkOption';

/*
 * What the dry run of "Create environment from file" found in the file:
 * the plan (channels, conda and pip lines, variables) and each risk with
 * its opt-in. Everything from the file or the server is rendered as text.
 */

/**
 * Channels, conda dependencies, pip lines and variables of the plan.
 */
export function PlanView(props: {
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
export function RiskBlock(props: {
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
      <CheckOption
        className="jp-CondaEnvs-Create-allow"
        checked={props.allowed}
        onChange={props.onChange}
        label={allowLabel(risk.kind, trans)}
      />
    </div>
  );
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
