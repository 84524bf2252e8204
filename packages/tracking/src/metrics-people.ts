// Who an event belongs to, as small integers: each anonymous id and user id is interned once, so the
// rest of computeMetrics works on numbers and typed arrays instead of hashing strings again.
import type { BeckonEvent } from './types.js';

/**
 * An event's reference before identities are merged: user index u as 2u, anonymous index a as 2a + 1,
 * so the two can never be equal however the texts compare.
 */
export type Ref = number;

/** Turns a ref into a person once every identify link is known (see `People.resolve`). */
export type PersonOf = (ref: Ref) => number;

/** Interns anonymous ids and user ids, and remembers the identify link of each anonymous id. */
export class People {
  private readonly users = new Map<string, number>();
  private readonly anons = new Map<string, number>();
  /** Per anonymous index: the linked user index (-1 when none) and the time of the identify that set it. */
  private readonly linkedUser: number[] = [];
  private readonly linkedAt: number[] = [];

  /** The event's ref: its user id when it has one, else its anonymous id. */
  refOf(event: BeckonEvent): Ref {
    const userId = event.userId;
    return userId ? 2 * this.user(userId) : 2 * this.anon(event.anonymousId) + 1;
  }

  /** Records that an identify at `t` linked `anonymousId` to `userId`; the earliest wins, ties the first given. */
  link(anonymousId: string, userId: string, t: number): void {
    const anon = this.anon(anonymousId);
    const user = this.linkedUser[anon]!;
    if (user === -1 || t < this.linkedAt[anon]!) {
      this.linkedUser[anon] = this.user(userId);
      this.linkedAt[anon] = t;
    }
  }

  /**
   * Persons as dense indexes 0..count-1 (users first, then unlinked anonymous ids): a linked anonymous
   * id becomes its user, before and after the identify.
   */
  resolve(): { personOf: PersonOf; count: number } {
    const users = this.users.size;
    const linkedUser = this.linkedUser;
    const personOf = (ref: Ref): number => {
      const index = ref >>> 1;
      if ((ref & 1) === 0) return index;
      const user = linkedUser[index]!;
      return user === -1 ? users + index : user;
    };
    return { personOf, count: users + this.anons.size };
  }

  private user(userId: string): number {
    let index = this.users.get(userId);
    if (index === undefined) this.users.set(userId, (index = this.users.size));
    return index;
  }

  private anon(anonymousId: string): number {
    let index = this.anons.get(anonymousId);
    if (index === undefined) {
      this.anons.set(anonymousId, (index = this.anons.size));
      this.linkedUser.push(-1);
      this.linkedAt.push(0);
    }
    return index;
  }
}
