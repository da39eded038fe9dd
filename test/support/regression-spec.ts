/** A small regression over CSV rows, for tests of runs that stop and go on: the file and the spec that reads it. */

/** `rows` rows of a, b and y = `target(a, b)` (2a − b + ½ unless given), with a and b from a fixed sequence. */
export function regressionCsv(rows: number, target = (a: number, b: number) => 2 * a - b + 0.5): string {
  const lines = ["a,b,y"];
  for (let i = 0; i < rows; i++) {
    const a = ((i * 37) % 101) / 101;
    const b = ((i * 59) % 103) / 103;
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${target(a, b).toFixed(3)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A spec that fits y from a and b in `file` with a small MLP, SGD and L2, for 10 epochs. */
export function regressionSpec(file: string, { lr = 0.05, batch = 32 } = {}): string {
  return `data t {
  source   csv("${file}")
  features a, b
  target   y = number(y)
  split    train: 0.6, val: 0.2, test: 0.2
  seed     3
}

model m(t.input) {
  h   = dense(4, activation: relu)
  out = dense(1)
}

task fit = regress(m.out, t.y)

train {
  optimizer sgd(lr: ${lr})
  epochs    10
  batch     ${batch}
}

regularize m {
  l2(1e-4)
}
`;
}
