// Goal events per person, for "did this person reach the goal within the window after t0?".
import { groupByPerson, personsOf } from './metrics-group.js';

/** Goal events of one goal name as recorded while scanning: who (a ref) and when. */
export class GoalLog {
  readonly who: number[] = [];
  readonly times: number[] = [];

  add(who: number, t: number): void {
    this.who.push(who);
    this.times.push(t);
  }
}

/**
 * Goal times grouped by person and sorted, in two flat arrays (person p's times are
 * `times[start[p]..start[p + 1])`), so there is no array per person to allocate.
 */
export class GoalTimes {
  private readonly start: Int32Array;
  private readonly times: Float64Array;

  constructor(log: GoalLog, personOf: (who: number) => number, people: number) {
    const { start, order } = groupByPerson(personsOf(log.who, personOf), people);
    const times = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) times[k] = log.times[order[k]!]!;
    for (let p = 0; p < people; p++) if (start[p + 1]! - start[p]! > 1) times.subarray(start[p], start[p + 1]).sort();
    this.start = start;
    this.times = times;
  }

  /** Whether `person` has a goal event at a time t with t0 <= t <= t0 + windowMs. */
  reachedWithin(person: number, t0: number, windowMs: number): boolean {
    let lo = this.start[person]!;
    const end = this.start[person + 1]!;
    let hi = end;
    // Binary search for the first time at or after t0.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! < t0) lo = mid + 1;
      else hi = mid;
    }
    return lo < end && this.times[lo]! <= t0 + windowMs;
  }
}
