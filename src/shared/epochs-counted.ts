/** A count a clause makes at most once per epoch (a snapshot ensemble's cycles), named as the spec writes it. */
export interface EpochCount {
  technique: string;
  argument: string;
  count: number;
}

/**
 * What is wrong with `--epochs N` where a clause counts more than N such
 * things, which fewer epochs would make fewer of without a word; undefined
 * where nothing is. The runtime refuses such a run, and `regc ablate` such
 * a study before its first trial.
 */
export function fewerEpochsThanCounted(epochs: number, counts: readonly EpochCount[]): string | undefined {
  const over = counts.find(({ count }) => count > epochs);
  return over && `--epochs ${epochs} is fewer than ${over.technique}'s ${over.count} ${over.argument}; use --epochs ${over.count} or more, or fewer ${over.argument}`;
}
