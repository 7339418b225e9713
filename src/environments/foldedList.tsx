import * as React from 'react';

/**
 * A list folded away behind a one-line summary (locations not listed,
 * package records not read): worth knowing, not worth the room by default.
 * `children` are the list's items.
 */
export function FoldedList(props: FoldedList.IProps): JSX.Element {
  return (
    <details className={props.className}>
      <summary>{props.summary}</summary>
      <ul>{props.children}</ul>
    </details>
  );
}

export namespace FoldedList {
  export interface IProps {
    className: string;
    summary: string;
    children: React.ReactNode;
  }
}
