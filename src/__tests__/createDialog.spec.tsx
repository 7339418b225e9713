import { Dialog, Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { act, fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';

import type { CondaEnvsClient } from '../client';
import type {
  CreateBackendChoice,
  CreateJobResponse,
  CreatePlan,
  CreatePlanResponse,
  CreateRequest
} from '../create/api';
import type { EnvironmentSummary } from '../environments/api';
import type { Job } from '../jobs/api';
import {
  CreateBody,
  CreateDialog,
  showCreateDialog
} from '../create/createDialog';
import { CreateForm } from '../create/createForm';
import { CreateSource, RISK_KINDS } from '../create/createChoices';
import { CreateModel } from '../create/createModel';
import {
  environmentOfJob,
  followJobs,
  newNotebookInJob
} from '../jobs/jobActions';
import type { JobsModel } from '../jobs/jobsModel';
import {
  MAX_UPLOAD_BYTES,
  readUpload,
  SourceBody
} from '../create/sourceDialog';
import type { EnvironmentsModel } from '../environments/model';
import { RequestError } from '../core/request';
import { flush, makeEnv } from './fixtures';

const trans = nullTranslator.load('jupyterlab_conda_envs');

const SOURCE: CreateSource = { kind: 'path', path: 'proj/environment.yml' };

const TOOLS: CreateBackendChoice[] = [
  { kind: 'mamba', label: 'mamba 1.5.8' },
  { kind: 'rattler', label: 'built-in (py-rattler)' }
];

function makePlan(overrides: Partial<CreatePlan> = {}): CreatePlan {
  return {
    name: 'llm',
    channels: ['conda-forge'],
    conda: ['python=3.11', 'pytorch', 'ipykernel'],
    pip: ['transformers==4.40.0'],
    variables: { HF_HOME: '/data/hf' },
    risks: [],
    ...overrides
  };
}

function planResponse(
  plan: CreatePlan,
  request: CreateRequest,
  choices: CreateBackendChoice[] = []
): CreatePlanResponse {
  const kind =
    request.backend && request.backend !== 'auto' ? request.backend : 'mamba';
  return {
    plan,
    target: {
      name: plan.name,
      prefix: `/opt/conda/envs/${plan.name}`,
      update: request.update ?? false,
      prune: request.prune ?? false
    },
    backend: kind === 'mamba' ? 'mamba 1.5.8' : kind,
    backend_kind: kind,
    backend_choices: request.update
      ? choices.filter(c => c.kind !== 'rattler')
      : choices,
    sha256: `sha256:${'a'.repeat(64)}`
  };
}

function makeJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    kind: 'create',
    name: 'llm',
    prefix: '/opt/conda/envs/llm',
    backend: 'mamba',
    status: 'queued',
    progress: null,
    phase: null,
    error: '',
    created: 1,
    started: null,
    finished: null,
    environment_id: null,
    log_size: 0,
    ...overrides
  };
}

function refusal(
  status: number,
  message: string,
  extra: Record<string, unknown> = {}
): RequestError {
  return new RequestError({
    message,
    status,
    url: '/conda-envs/environments',
    body: { message, ...extra }
  });
}

/**
 * A server for `POST environments`: dry runs answer the plan (with the name
 * override applied) unless `refuse` says otherwise; creates answer a job.
 */
function fakeServer(
  plan: CreatePlan = makePlan(),
  choices: CreateBackendChoice[] = []
): {
  client: CondaEnvsClient;
  calls: CreateRequest[];
  refuse: (request: CreateRequest) => RequestError | null;
  setRefuse: (fn: (request: CreateRequest) => RequestError | null) => void;
} {
  const calls: CreateRequest[] = [];
  const server = {
    refuse: (_: CreateRequest): RequestError | null => null
  };
  const client = {
    createEnvironment: jest.fn((request: CreateRequest) => {
      calls.push(request);
      const refused = server.refuse(request);
      if (refused) {
        return Promise.reject(refused);
      }
      const named = { ...plan, name: request.name ?? plan.name };
      const response = planResponse(named, request, choices);
      if (request.dry_run) {
        return Promise.resolve(response);
      }
      const job = makeJob({
        name: named.name,
        kind: request.update ? 'update' : 'create'
      });
      return Promise.resolve<CreateJobResponse>({ ...response, job });
    })
  } as unknown as CondaEnvsClient;
  return {
    client,
    calls,
    get refuse() {
      return server.refuse;
    },
    setRefuse: fn => {
      server.refuse = fn;
    }
  };
}

describe('CreateModel', () => {
  const models: CreateModel[] = [];

  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    while (models.length) {
      models.pop()?.dispose();
    }
    jest.useRealTimers();
  });

  function create(
    client: CondaEnvsClient,
    source: CreateSource = SOURCE
  ): CreateModel {
    const model = new CreateModel({ client, source, trans });
    models.push(model);
    return model;
  }

  async function settle(): Promise<void> {
    jest.runOnlyPendingTimers();
    await flush();
  }

  it('dry-runs the file with every risk allowed, ipykernel on and no name override', async () => {
    const server = fakeServer();
    const model = create(server.client);
    await model.validate();
    expect(server.calls).toEqual([
      {
        path: 'proj/environment.yml',
        add_ipykernel: true,
        allow: [...RISK_KINDS],
        dry_run: true
      }
    ]);
    expect(model.status).toBe('ready');
    expect(model.name).toBe('llm');
    expect(model.fileName).toBe('llm');
    expect(model.canSubmit).toBe(true);
  });

  it('sends uploaded text as content', async () => {
    const server = fakeServer();
    const model = create(server.client, {
      kind: 'content',
      content: 'name: llm\n',
      label: 'environment.yml'
    });
    await model.validate();
    expect(server.calls[0].content).toBe('name: llm\n');
    expect(server.calls[0]).not.toHaveProperty('path');
  });

  it('keeps Create disabled until every risk is allowed, and sends only the allowed kinds', async () => {
    const server = fakeServer(
      makePlan({
        risks: [
          { kind: 'channel', items: ['my-corp'], message: 'unusual channel' },
          {
            kind: 'pip-vcs',
            items: ['git+https://example.com/x.git'],
            message: 'installs from git'
          }
        ]
      })
    );
    const model = create(server.client);
    await model.validate();
    expect(model.pendingRisks).toEqual(['channel', 'pip-vcs']);
    expect(model.canSubmit).toBe(false);
    expect(await model.submit()).toBeNull();
    expect(server.calls).toHaveLength(1);

    model.setAllowed('channel', true);
    expect(model.canSubmit).toBe(false);
    model.setAllowed('pip-vcs', true);
    expect(model.canSubmit).toBe(true);
    model.setAllowed('pip-vcs', false);
    expect(model.canSubmit).toBe(false);
    model.setAllowed('pip-vcs', true);

    const job = await model.submit();
    expect(job?.name).toBe('llm');
    expect(model.job).toBe(job);
    const sent = server.calls[1];
    expect(sent).not.toHaveProperty('dry_run');
    expect(sent.allow).toEqual(['channel', 'pip-vcs']);
    expect(sent.add_ipykernel).toBe(true);
  });

  it('sends a changed name (after a pause in typing) and the ipykernel choice', async () => {
    const server = fakeServer();
    const model = create(server.client);
    await model.validate();
    model.setName('l');
    model.setName('llm-2');
    expect(model.status).toBe('validating');
    expect(model.canSubmit).toBe(false);
    await settle();
    // One dry run for the pause, with the last name.
    expect(server.calls).toHaveLength(2);
    expect(server.calls[1].name).toBe('llm-2');
    expect(model.plan?.target.name).toBe('llm-2');

    model.setAddIpykernel(false);
    await settle();
    expect(server.calls[2].add_ipykernel).toBe(false);

    await model.submit();
    expect(server.calls[3]).toMatchObject({
      name: 'llm-2',
      add_ipykernel: false
    });

    // Back to the file's own name: no override.
    model.setName('llm');
    await settle();
    expect(server.calls[4]).not.toHaveProperty('name');
  });

  it('ignores an answer for a name typed over since', async () => {
    let release: (value: CreatePlanResponse) => void = () => undefined;
    const calls: CreateRequest[] = [];
    const client = {
      createEnvironment: jest.fn((request: CreateRequest) => {
        calls.push(request);
        if (request.name === 'slow') {
          return new Promise<CreatePlanResponse>(resolve => {
            release = resolve;
          });
        }
        return Promise.resolve(
          planResponse(makePlan({ name: request.name ?? 'llm' }), request)
        );
      })
    } as unknown as CondaEnvsClient;
    const model = create(client);
    await model.validate();
    model.setName('slow');
    await settle();
    model.setName('fast');
    await settle();
    expect(model.plan?.target.name).toBe('fast');
    release(planResponse(makePlan({ name: 'slow' }), {}));
    await flush();
    expect(model.plan?.target.name).toBe('fast');
  });

  it('shows a 400 with where the file is wrong, and blocks Create', async () => {
    const server = fakeServer();
    server.setRefuse(() =>
      refusal(400, 'dependencies must be a list', { where: 'dependencies' })
    );
    const model = create(server.client);
    await model.validate();
    expect(model.status).toBe('invalid');
    expect(model.error).toMatchObject({
      status: 400,
      message: 'dependencies must be a list',
      where: 'dependencies'
    });
    expect(model.canSubmit).toBe(false);
    expect(model.canOfferUpdate).toBe(false);
  });

  it('says when no conda is found (503)', async () => {
    const server = fakeServer();
    server.setRefuse(() =>
      refusal(503, 'no conda, mamba or micromamba executable found')
    );
    const model = create(server.client);
    await model.validate();
    expect(model.error?.message).toContain('conda not found');
    expect(model.error?.message).toContain(
      'no conda, mamba or micromamba executable found'
    );
    expect(model.canSubmit).toBe(false);
  });

  it('sends the picked tool, keeps the choices after a refusal, and drops the built-in one for an update', async () => {
    const server = fakeServer(makePlan(), TOOLS);
    const model = create(server.client);
    await model.validate();
    expect(model.backendChoices.map(c => c.kind)).toEqual(['mamba', 'rattler']);
    expect(model.backendKind).toBe('mamba');
    expect(server.calls[0]).not.toHaveProperty('backend');

    // A refused dry run leaves no plan: the picker still names the
    // server's default (listed first), not an anonymous "default".
    server.setRefuse(() => refusal(400, 'bad name', { where: 'name' }));
    model.setName('bad/name');
    await settle();
    expect(model.plan).toBeNull();
    expect(model.backendKind).toBe('mamba');
    model.setName('llm');
    server.setRefuse(() => null);
    await settle();

    server.setRefuse(request =>
      request.backend === 'rattler'
        ? refusal(503, 'py-rattler is not installed')
        : null
    );
    model.setBackend('rattler');
    await settle();
    expect(server.calls[server.calls.length - 1]).toMatchObject({
      backend: 'rattler',
      dry_run: true
    });
    expect(model.status).toBe('invalid');
    expect(model.canSubmit).toBe(false);
    // The refusal keeps the list, so the pick can be undone.
    expect(model.backendChoices.map(c => c.kind)).toEqual(['mamba', 'rattler']);
    model.setBackend('mamba');
    await settle();
    expect(model.status).toBe('ready');

    server.setRefuse(() => null);
    model.setBackend('rattler');
    await settle();
    const job = await model.submit();
    expect(job).not.toBeNull();
    expect(server.calls[server.calls.length - 1]).toMatchObject({
      backend: 'rattler'
    });
    expect(server.calls[server.calls.length - 1]).not.toHaveProperty('dry_run');
  });

  it('updates with a conda CLI even when the built-in backend was picked', async () => {
    const server = fakeServer(makePlan(), TOOLS);
    const model = create(server.client);
    await model.validate();
    model.setBackend('rattler');
    await settle();
    server.setRefuse(request =>
      request.update
        ? null
        : refusal(
            409,
            "an environment named 'llm' exists; it was not changed",
            {
              reason: 'exists'
            }
          )
    );
    expect(await model.submit()).toBeNull();
    model.offerUpdate();
    // Before the update's dry run answers, the list already lacks it.
    expect(model.backendChoices.map(c => c.kind)).toEqual(['mamba']);
    await settle();
    expect(model.backend).toBe('auto');
    expect(server.calls[server.calls.length - 1]).toMatchObject({
      update: true,
      dry_run: true
    });
    expect(server.calls[server.calls.length - 1]).not.toHaveProperty('backend');
    expect(model.backendChoices.map(c => c.kind)).toEqual(['mamba']);
  });

  it('offers to update an existing environment on 409, with --prune, behind a confirmation', async () => {
    const server = fakeServer();
    const model = create(server.client);
    await model.validate();
    server.setRefuse(request =>
      request.update
        ? null
        : refusal(409, "an environment named 'llm' exists; it was not changed")
    );
    expect(await model.submit()).toBeNull();
    expect(model.status).toBe('conflict');
    expect(model.canOfferUpdate).toBe(true);
    expect(model.canSubmit).toBe(false);

    model.offerUpdate();
    await settle();
    expect(model.mode).toBe('update');
    expect(server.calls[2]).toMatchObject({
      update: true,
      prune: false,
      dry_run: true
    });
    expect(model.status).toBe('ready');
    // Not without the explicit yes.
    expect(model.canSubmit).toBe(false);
    model.confirmUpdate(true);
    expect(model.canSubmit).toBe(true);
    // Pruning is another question: it asks for the yes again.
    model.setPrune(true);
    await settle();
    expect(server.calls[3]).toMatchObject({ update: true, prune: true });
    expect(model.updateConfirmed).toBe(false);
    model.confirmUpdate(true);

    const job = await model.submit();
    expect(job?.kind).toBe('update');
    expect(server.calls[4]).toMatchObject({ update: true, prune: true });
    expect(server.calls[4]).not.toHaveProperty('dry_run');
  });

  it('offers the update from the dry run too, and withdraws it for a new name', async () => {
    const server = fakeServer();
    server.setRefuse(request =>
      request.name === undefined && !request.update
        ? refusal(409, "an environment named 'llm' exists; it was not changed")
        : null
    );
    const model = create(server.client);
    await model.validate();
    expect(model.canOfferUpdate).toBe(true);
    expect(model.plan).toBeNull();
    model.offerUpdate();
    model.setName('llm-new');
    expect(model.mode).toBe('create');
    await settle();
    expect(model.canOfferUpdate).toBe(false);
    expect(model.canSubmit).toBe(true);
  });

  it('lets Create be tried again after a busy 409, without an update offer', async () => {
    const server = fakeServer();
    const model = create(server.client);
    await model.validate();
    server.setRefuse(() =>
      refusal(409, "'llm' is being changed by another job")
    );
    expect(await model.submit()).toBeNull();
    expect(model.canOfferUpdate).toBe(false);
    expect(model.error?.message).toContain('another job');
    expect(model.canSubmit).toBe(true);
  });

  it('submits the name and the file exactly as reviewed', async () => {
    const server = fakeServer();
    const model = create(server.client);
    await model.validate();
    await model.submit();
    const sent = server.calls[1];
    // The file's own name too: a `name:` edited in the file since is not used.
    expect(sent.name).toBe('llm');
    expect(sent.expect_sha256).toBe(`sha256:${'a'.repeat(64)}`);
    expect(server.calls[0]).not.toHaveProperty('expect_sha256');
  });

  it('offers no update for a folder in the way, whatever the message says', async () => {
    const server = fakeServer();
    const model = create(server.client);
    await model.validate();
    server.setRefuse(() =>
      refusal(409, '/opt/conda/envs/llm exists; it was not changed', {
        reason: 'in-the-way'
      })
    );
    expect(await model.submit()).toBeNull();
    expect(model.canOfferUpdate).toBe(false);
    server.setRefuse(() =>
      refusal(409, 'an environment named llm exists', { reason: 'exists' })
    );
    expect(await model.submit()).toBeNull();
    expect(model.canOfferUpdate).toBe(true);
  });

  it("offers no update for a frozen environment and shows conda's reason", async () => {
    const server = fakeServer();
    const model = create(server.client);
    await model.validate();
    const condas =
      "Cannot modify '/opt/conda/envs/llm'. The environment is marked as frozen. " +
      'You can bypass these protections with the `--override-frozen` flag, at your own risk.';
    server.setRefuse(() => refusal(409, condas, { reason: 'frozen' }));
    expect(await model.submit()).toBeNull();
    expect(model.canOfferUpdate).toBe(false);
    expect(model.error?.message).toBe(condas);
  });
});

/**
 * Re-render on every model change, as the dialog's VDomRenderer does.
 */
function Harness(props: { model: CreateModel }): JSX.Element {
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    const onChange = (): void => setTick(tick => tick + 1);
    props.model.stateChanged.connect(onChange);
    return () => {
      props.model.stateChanged.disconnect(onChange);
    };
  }, [props.model]);
  return <CreateForm model={props.model} trans={trans} />;
}

describe('CreateForm', () => {
  it('shows what the file asks for, as text, with each risk to allow', async () => {
    const server = fakeServer(
      makePlan({
        pip: ['<b>bold</b>', '-e ./src'],
        variables: { HF_HOME: '<i>x</i>' },
        risks: [
          {
            kind: 'pip-editable',
            items: ['-e ./src'],
            message: 'runs <script>setup.py</script>'
          }
        ]
      })
    );
    const model = new CreateModel({
      client: server.client,
      source: SOURCE,
      trans
    });
    const { container } = render(<Harness model={model} />);
    await act(() => model.validate());

    expect(screen.getByText('From proj/environment.yml')).toBeTruthy();
    const name = screen.getByLabelText('Name') as HTMLInputElement;
    expect(name.value).toBe('llm');
    expect(
      screen.getByText('Creates /opt/conda/envs/llm with mamba 1.5.8')
    ).toBeTruthy();
    const conda = screen.getByRole('list', { name: 'Conda dependencies (3)' });
    expect(conda.textContent).toBe('python=3.11pytorchipykernel');
    expect(screen.getByRole('list', { name: 'Channels' }).textContent).toBe(
      'conda-forge'
    );
    expect(screen.getByRole('list', { name: 'Pip (2)' }).textContent).toBe(
      '<b>bold</b>-e ./src'
    );
    expect(screen.getByText('<i>x</i>')).toBeTruthy();
    expect(container.querySelector('b, i, script')).toBeNull();

    const allow = screen.getByRole('checkbox', {
      name: 'Allow editable installs (-e)'
    }) as HTMLInputElement;
    expect(allow.checked).toBe(false);
    expect(screen.getByText('Allow the risk below to continue.')).toBeTruthy();
    act(() => {
      fireEvent.click(allow);
    });
    expect(model.allowed.has('pip-editable')).toBe(true);
    expect(allow.checked).toBe(true);

    const ipykernel = screen.getByRole('checkbox', {
      name: /Add ipykernel/
    }) as HTMLInputElement;
    expect(ipykernel.checked).toBe(true);
    model.dispose();
  });

  it('offers a tool picker only when the server offers more than one tool', async () => {
    const single = new CreateModel({
      client: fakeServer().client,
      source: SOURCE,
      trans
    });
    const first = render(<Harness model={single} />);
    await act(() => single.validate());
    expect(screen.queryByLabelText('Tool')).toBeNull();
    first.unmount();
    single.dispose();

    const server = fakeServer(makePlan(), [
      ...TOOLS,
      { kind: 'conda', label: '<b>conda</b> 24.1.2' }
    ]);
    const model = new CreateModel({
      client: server.client,
      source: SOURCE,
      trans
    });
    const { container } = render(<Harness model={model} />);
    await act(() => model.validate());
    const select = screen.getByLabelText('Tool') as HTMLSelectElement;
    expect(select.value).toBe('mamba');
    expect([...select.options].map(o => o.textContent)).toEqual([
      'mamba 1.5.8',
      'built-in (py-rattler)',
      '<b>conda</b> 24.1.2'
    ]);
    expect(container.querySelector('b')).toBeNull();
    jest.useFakeTimers();
    try {
      await act(async () => {
        fireEvent.change(select, { target: { value: 'rattler' } });
        jest.runOnlyPendingTimers();
        await flush();
      });
    } finally {
      jest.useRealTimers();
    }
    expect(server.calls[server.calls.length - 1]).toMatchObject({
      backend: 'rattler'
    });
    expect(
      screen.getByText('Creates /opt/conda/envs/llm with rattler')
    ).toBeTruthy();
    expect((screen.getByLabelText('Tool') as HTMLSelectElement).value).toBe(
      'rattler'
    );
    model.dispose();
  });

  it('shows a refusal with where, and the update offer with --prune', async () => {
    const server = fakeServer();
    server.setRefuse(request =>
      request.update
        ? null
        : refusal(
            409,
            "an environment named 'llm' exists; it was not changed",
            {
              where: 'name'
            }
          )
    );
    const model = new CreateModel({
      client: server.client,
      source: SOURCE,
      trans
    });
    render(<Harness model={model} />);
    await act(() => model.validate());
    expect(screen.getByRole('alert').textContent).toBe(
      "an environment named 'llm' exists; it was not changedWhere: name"
    );
    jest.useFakeTimers();
    try {
      await act(async () => {
        fireEvent.click(
          screen.getByRole('button', {
            name: 'Update the existing environment from this file…'
          })
        );
        jest.runOnlyPendingTimers();
        await flush();
      });
    } finally {
      jest.useRealTimers();
    }
    expect(model.mode).toBe('update');
    const prune = screen.getByRole('checkbox', {
      name: 'Remove packages not in the file (--prune)'
    }) as HTMLInputElement;
    expect(prune.checked).toBe(false);
    const confirm = screen.getByRole('checkbox', { name: 'Yes, update llm' });
    act(() => {
      fireEvent.click(confirm);
    });
    expect(model.updateConfirmed).toBe(true);
    model.dispose();
  });
});

describe('CreateDialog', () => {
  const buttons = (): Dialog.IButton[] => [
    Dialog.cancelButton({ label: 'Cancel' }),
    Dialog.okButton({ label: 'Create', className: CreateDialog.SUBMIT_CLASS })
  ];

  it('enables its accept button with the model, submits, and resolves with the job', async () => {
    const server = fakeServer(
      makePlan({
        risks: [{ kind: 'channel', items: ['my-corp'], message: 'unusual' }]
      })
    );
    const model = new CreateModel({
      client: server.client,
      source: SOURCE,
      trans
    });
    const body = new CreateBody({ model, trans });
    const dialog = new CreateDialog({
      model,
      trans,
      title: 'Create',
      body,
      buttons: buttons()
    });
    const submit = dialog.node.querySelector(
      `.${CreateDialog.SUBMIT_CLASS}`
    ) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    const shown = dialog.launch();
    await act(async () => {
      await model.validate();
    });
    expect(submit.disabled).toBe(true);
    // Enter or a click while a risk is not allowed does nothing.
    dialog.resolve();
    await flush();
    expect(server.calls).toHaveLength(1);

    act(() => model.setAllowed('channel', true));
    expect(submit.disabled).toBe(false);
    await act(async () => {
      submit.click();
      await flush();
    });
    const result = await shown;
    expect(result.button.accept).toBe(true);
    expect(result.value?.id).toBe('job-1');
    expect(server.calls[1].allow).toEqual(['channel']);
    model.dispose();
  });

  it('stays open on a refusal, and labels the button for an update', async () => {
    const server = fakeServer();
    server.setRefuse(request =>
      request.update
        ? null
        : refusal(409, "an environment named 'llm' exists; it was not changed")
    );
    const model = new CreateModel({
      client: server.client,
      source: SOURCE,
      trans
    });
    const dialog = new CreateDialog({
      model,
      trans,
      title: 'Create',
      body: new CreateBody({ model, trans }),
      buttons: buttons()
    });
    const submit = dialog.node.querySelector(
      `.${CreateDialog.SUBMIT_CLASS}`
    ) as HTMLButtonElement;
    const shown = dialog.launch();
    await act(() => model.validate());
    expect(model.canOfferUpdate).toBe(true);
    expect(dialog.isDisposed).toBe(false);
    expect(submit.disabled).toBe(true);

    jest.useFakeTimers();
    try {
      model.offerUpdate();
      await act(async () => {
        jest.runOnlyPendingTimers();
        await flush();
      });
    } finally {
      jest.useRealTimers();
    }
    expect(submit.textContent).toBe('Update llm');
    expect(submit.disabled).toBe(true);
    act(() => model.confirmUpdate(true));
    expect(submit.disabled).toBe(false);

    // Cancel closes with nothing.
    act(() => dialog.resolve(0));
    const result = await shown;
    expect(result.button.accept).toBe(false);
    model.dispose();
  });
});

describe('showCreateDialog', () => {
  it('hands on a job whose start was on its way when the dialog closed', async () => {
    let release: (value: CreateJobResponse) => void = () => undefined;
    const client = {
      createEnvironment: jest.fn((request: CreateRequest) =>
        request.dry_run
          ? Promise.resolve(planResponse(makePlan(), request))
          : new Promise<CreateJobResponse>(resolve => {
              release = resolve;
            })
      )
    } as unknown as CondaEnvsClient;
    const shown = showCreateDialog({ client, source: SOURCE, trans });
    const submit = (): HTMLButtonElement | null =>
      document.body.querySelector<HTMLButtonElement>(
        `.${CreateDialog.SUBMIT_CLASS}`
      );
    await act(async () => {
      for (let i = 0; i < 50 && (!submit() || submit()?.disabled); i++) {
        await new Promise(resolve => setTimeout(resolve, 10));
      }
    });
    // The name input has the focus, with the file's name.
    const name = document.body.querySelector(
      '.jp-CondaEnvs-Create-name'
    ) as HTMLInputElement;
    expect(name.value).toBe('llm');
    expect(document.activeElement).toBe(name);
    act(() => submit()?.click());
    expect(submit()?.textContent).toBe('Starting…');
    // Escape while the server starts the job.
    act(() => {
      (Dialog.tracker.currentWidget as Dialog<unknown>).reject();
    });
    expect(submit()).toBeNull();
    const job = makeJob();
    release({ ...planResponse(makePlan(), {}), job });
    await expect(shown).resolves.toBe(job);
  });
});

describe('the source of a create', () => {
  it('reads an upload as text, and refuses more than 1 MiB', async () => {
    const file = new File(['name: llm\n'], 'environment.yml');
    expect(await readUpload(file, trans)).toEqual({
      kind: 'content',
      content: 'name: llm\n',
      label: 'environment.yml'
    });
    const big = new File(['x'.repeat(MAX_UPLOAD_BYTES + 1)], 'big.yml');
    await expect(readUpload(big, trans)).rejects.toThrow(
      'larger than 1024 KiB'
    );
  });

  it('gives the typed workspace path, or the upload', async () => {
    const body = new SourceBody({ path: 'proj/environment.yml', trans });
    expect(body.getValue()).toEqual({
      kind: 'path',
      path: 'proj/environment.yml'
    });
    const input = body.node.querySelector(
      'input[type="file"]'
    ) as HTMLInputElement;
    expect(input.accept).toBe('.yml,.yaml');
    const upload = new File(['name: up\n'], 'up.yml');
    Object.defineProperty(input, 'files', { value: [upload] });
    input.dispatchEvent(new Event('change'));
    await body.reading;
    expect(body.getValue()).toEqual({
      kind: 'content',
      content: 'name: up\n',
      label: 'up.yml'
    });
    expect(body.node.textContent).toContain('Uploaded up.yml');
    body.dispose();

    const empty = new SourceBody({ trans });
    expect(empty.getValue()).toBeNull();
    empty.dispose();
  });
});

describe('acting on finished jobs', () => {
  function fakeEnvironments(envs: EnvironmentSummary[][]): {
    model: EnvironmentsModel;
    refresh: jest.Mock;
  } {
    let current: EnvironmentSummary[] = [];
    const refresh = jest.fn(() => {
      current = envs.shift() ?? current;
      return Promise.resolve();
    });
    const model = {
      get environments() {
        return current;
      },
      refresh
    } as unknown as EnvironmentsModel;
    return { model, refresh };
  }

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('finds the environment by its id, else by its prefix', () => {
    const env = makeEnv({ name: 'llm', id: 'id-llm' });
    expect(
      environmentOfJob(
        [env],
        makeJob({ environment_id: 'id-llm', prefix: '/x' })
      )
    ).toBe(env);
    expect(environmentOfJob([env], makeJob({ prefix: env.prefix }))).toBe(env);
    expect(
      environmentOfJob([env], makeJob({ prefix: '/elsewhere' }))
    ).toBeNull();
  });

  it('opens a notebook with the kernel of the new environment, after a refresh', async () => {
    const env = makeEnv({ name: 'llm', id: 'id-llm' });
    const { model, refresh } = fakeEnvironments([[env]]);
    const openNotebook = jest.fn(() => Promise.resolve());
    const refreshSpecs = jest.fn(() => Promise.resolve());
    const opened = await newNotebookInJob(
      makeJob({ status: 'succeeded', environment_id: 'id-llm' }),
      { model, openNotebook, refreshSpecs, trans }
    );
    expect(opened).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refreshSpecs).toHaveBeenCalledTimes(1);
    expect(openNotebook).toHaveBeenCalledWith('conda-env-llm-py');
  });

  it('warns when the environment has no kernel', async () => {
    const warning = jest.spyOn(Notification, 'warning');
    const { model } = fakeEnvironments([
      [makeEnv({ name: 'llm', id: 'id-llm', kernels: [] })]
    ]);
    const openNotebook = jest.fn(() => Promise.resolve());
    const opened = await newNotebookInJob(
      makeJob({ environment_id: 'id-llm' }),
      { model, openNotebook, refreshSpecs: () => Promise.resolve(), trans }
    );
    expect(opened).toBe(false);
    expect(openNotebook).not.toHaveBeenCalled();
    expect(warning.mock.calls[0][0]).toContain('ipykernel');
  });

  it('refreshes and notifies when a job finishes, with "New notebook in <name>"', async () => {
    const success = jest.spyOn(Notification, 'success');
    const error = jest.spyOn(Notification, 'error');
    const env = makeEnv({ name: 'llm', id: 'id-llm' });
    const { model, refresh } = fakeEnvironments([[env]]);
    const refreshSpecs = jest.fn(() => Promise.resolve());
    const openNotebook = jest.fn(() => Promise.resolve());
    const jobFinished = new Signal<JobsModel, Job>({} as JobsModel);
    const jobs = { jobFinished } as unknown as JobsModel;
    followJobs(jobs, { model, openNotebook, refreshSpecs, trans });

    jobFinished.emit(
      makeJob({ status: 'succeeded', environment_id: 'id-llm' })
    );
    await flush();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refreshSpecs).toHaveBeenCalledTimes(1);
    expect(success).toHaveBeenCalledTimes(1);
    const [message, options] = success.mock.calls[0];
    expect(message).toBe('Created the conda environment llm.');
    const action = options?.actions?.[0];
    expect(action?.label).toBe('New notebook in llm');
    action?.callback(new MouseEvent('click'));
    await flush();
    expect(openNotebook).toHaveBeenCalledWith('conda-env-llm-py');

    jobFinished.emit(
      makeJob({ status: 'failed', error: 'PackagesNotFoundError: nope' })
    );
    await flush();
    expect(error.mock.calls[0][0]).toBe(
      'Could not create llm: PackagesNotFoundError: nope'
    );
  });
});
