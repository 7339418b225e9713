/**
 * The latest request ticket per subject (an environment, a probe): when
 * requests about the same subject overlap, only the answer to the latest
 * one may land, and forgetting a subject drops the answer on its way.
 *
 * Tickets come from the model's `nextTicket` (see `ServerModel`), so they
 * order requests across subjects too.
 */
export class RequestTickets<K> {
  /**
   * Make `ticket` the latest request about `key`.
   */
  issue(key: K, ticket: number): number {
    this._tickets.set(key, ticket);
    return ticket;
  }

  /**
   * Whether a request about `key` is on its way.
   */
  has(key: K): boolean {
    return this._tickets.has(key);
  }

  /**
   * Whether `ticket` is still the latest request about `key`; if so, the
   * request is settled (no longer on its way) and its answer may land.
   */
  settle(key: K, ticket: number): boolean {
    if (this._tickets.get(key) !== ticket) {
      return false;
    }
    this._tickets.delete(key);
    return true;
  }

  /**
   * Drop the request about `key`: its answer will not land.
   */
  forget(key: K): void {
    this._tickets.delete(key);
  }

  /**
   * Drop every request.
   */
  clear(): void {
    this._tickets.clear();
  }

  private _tickets = new Map<K, number>();
}
