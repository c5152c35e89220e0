// A promise's answer, or the error `late()` makes once `ms` have passed. The work itself goes on
// (a promise cannot be stopped); what waited for it stops waiting. The timer is unref'd, so a
// deadline never keeps a process alive that has nothing else to do.
export function withDeadline<T>(work: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
