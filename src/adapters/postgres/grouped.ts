/**
 * Group commit for statements many callers make at once (a flash sale's thousand buyers): the
 * first caller's statement goes at once; the callers who arrive while it is in flight wait and
 * go together as the next one, up to `max`. A quiet bot pays nothing (one statement each, at
 * once); a busy one pays one round trip and one commit per group instead of one per caller
 * (each pg statement costs socket writes the process profile showed at ~15% of its CPU).
 * `run` answers each item of its group in order; if it throws, every caller of that group gets the error.
 */
export function grouped<T, R>(run: (items: T[]) => Promise<R[]>, max = 500): (item: T) => Promise<R> {
  let queue: { item: T; resolve(r: R): void; reject(err: unknown): void }[] = [];
  let busy = false;
  const flush = async (): Promise<void> => {
    if (busy || queue.length === 0) return;
    busy = true;
    const group = queue.length <= max ? queue : queue.slice(0, max);
    queue = group === queue ? [] : queue.slice(max);
    try {
      const results = await run(group.map((g) => g.item));
      group.forEach((g, i) => g.resolve(results[i]!));
    } catch (err) {
      for (const g of group) g.reject(err);
    } finally {
      busy = false;
      void flush();
    }
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      void flush();
    });
}
