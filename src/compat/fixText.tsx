import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { CommandSnippet } from '../core/commandSnippet';

/**
 * A verdict's fix: the engine writes prose with the commands in backticks
 * ("Update the driver, or install …: `conda install …`"). The prose stays
 * text; each command becomes a snippet of its own to copy, so what is
 * copied is exactly one command, never the sentence around it.
 */
export function FixText(props: FixText.IProps): JSX.Element {
  const { fix, trans } = props;
  const parts = FixText.split(fix);
  if (!parts.some(part => part.command)) {
    // A fix with no marked command is a step to take, shown as it is.
    return <CommandSnippet command={fix} trans={trans} />;
  }
  return (
    <>
      {parts.map((part, index) =>
        part.command ? (
          <CommandSnippet key={index} command={part.text} trans={trans} />
        ) : (
          <span key={index} className="jp-CondaEnvs-FixText-prose">
            {part.text}
          </span>
        )
      )}
    </>
  );
}

export namespace FixText {
  export interface IProps {
    fix: string;
    trans: TranslationBundle;
  }

  /**
   * The fix as prose and commands in order; prose that is blank or only
   * punctuation is dropped, and an unmatched backtick is prose.
   */
  export function split(fix: string): { text: string; command: boolean }[] {
    const parts: { text: string; command: boolean }[] = [];
    const pattern = /`([^`]+)`/g;
    let last = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(fix)) !== null) {
      Private.pushProse(parts, fix.slice(last, match.index));
      parts.push({ text: match[1], command: true });
      last = match.index + match[0].length;
    }
    Private.pushProse(parts, fix.slice(last));
    return parts;
  }
}

namespace Private {
  export function pushProse(
    parts: { text: string; command: boolean }[],
    text: string
  ): void {
    const trimmed = text.trim();
    // A sentence's closing "." after its last command is no step to show.
    if (trimmed && !/^[.,;:]+$/.test(trimmed)) {
      parts.push({ text: trimmed, command: false });
    }
  }
}
