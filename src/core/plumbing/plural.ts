// "1 group", "2 groups", "1 person", "3 people": counts as people write them.
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
