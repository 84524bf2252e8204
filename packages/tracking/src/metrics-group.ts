// Records grouped by person with a counting sort: two passes of independent memory accesses, where a
// hash table per (person, message) would chase pointers for every event.

/** Record indexes by person: person p's records are `order[start[p]..start[p + 1])`, in the order given. */
export interface Grouping {
  start: Int32Array;
  order: Int32Array;
}

/** The person of each record, from the refs recorded while scanning. */
export function personsOf(refs: number[], personOf: (ref: number) => number): Int32Array {
  const persons = new Int32Array(refs.length);
  // A plain loop: Int32Array.from with a mapping function is several times slower in V8.
  for (let i = 0; i < refs.length; i++) persons[i] = personOf(refs[i]!);
  return persons;
}

/** Groups records 0..persons.length-1 by their person (each < `people`), keeping their order. */
export function groupByPerson(persons: Int32Array, people: number): Grouping {
  const start = new Int32Array(people + 1);
  for (const person of persons) start[person + 1]!++;
  for (let p = 0; p < people; p++) start[p + 1]! += start[p]!;
  const next = start.slice(0, people);
  const order = new Int32Array(persons.length);
  for (let i = 0; i < persons.length; i++) order[next[persons[i]!]!++] = i;
  return { start, order };
}
