import type { TranslationBundle } from '@jupyterlab/translation';

import { RequestError } from '../core/request';
import type { CreateErrorBody, RiskKind } from './api';
import { RISK_KINDS } from './createChoices';

/**
 * A refusal of the server, for the user.
 */
export interface ICreateError {
  /** The HTTP status; 0 when the server did not answer. */
  status: number;
  /** What to tell the user. */
  message: string;
  /** Where in the file, when the server said. */
  where: string | null;
  /** Risks the request did not allow. */
  needs: RiskKind[];
}

/**
 * The server's 409 for a name or prefix that exists (not a busy one).
 */
export function isExistsMessage(message: string): boolean {
  return /\bexists\b/i.test(message);
}

export function bodyOf(reason: RequestError): Partial<CreateErrorBody> {
  const body = reason.body;
  return typeof body === 'object' && body !== null
    ? (body as Partial<CreateErrorBody>)
    : {};
}

/**
 * A failed request as the dialog shows it.
 */
export function errorOf(
  reason: unknown,
  trans: TranslationBundle
): ICreateError {
  if (!(reason instanceof RequestError)) {
    return {
      status: 0,
      message: reason instanceof Error ? reason.message : String(reason),
      where: null,
      needs: []
    };
  }
  const body = bodyOf(reason);
  const where = typeof body.where === 'string' ? body.where : null;
  const needs = Array.isArray(body.needs)
    ? body.needs.filter((kind): kind is RiskKind =>
        (RISK_KINDS as ReadonlyArray<string>).includes(kind)
      )
    : [];
  let message = reason.message;
  switch (reason.status) {
    case 0:
      message = trans.__('The server did not answer: %1', reason.message);
      break;
    case 403:
      message = trans.__('Not allowed: %1', reason.message);
      break;
    case 413:
      message = trans.__('The file is too large: %1', reason.message);
      break;
    case 503:
      message = trans.__(
        'No conda, mamba or micromamba was found on the server (conda not found): %1',
        reason.message
      );
      break;
  }
  return { status: reason.status, message, where, needs };
}
