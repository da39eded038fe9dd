/**
 * A valid spec of at least `bytes` characters: copies of a small digit
 * classifier, each with its own data, model, task and regularize block,
 * and one train block.
 */
export function largeSpec(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const block = `// copy ${i}
data digits_${i} {
  source mnist
  input  image(28, 28, 1)
  target label = class(10)
  split  train: 1000, val: 500, test: 2000
  seed   7
}

model mlp_${i}(digits_${i}.input) {
  flatten()
  h1  = dense(16, activation: relu)
  dropout(0.5)
  out = dense(10)
}

task digit_${i} = classify(mlp_${i}.out, digits_${i}.label)

regularize mlp_${i} {
  maxnorm(3) on h1.kernel, out.kernel
  l2(1e-5) on *.kernel
  early_stop(monitor: val_digit_${i}_loss, patience: 20, restore_best: true)
}

`;
    parts.push(block);
    size += block.length;
  }
  parts.push("train {\n  optimizer sgd(lr: 0.01)\n  epochs    1\n}\n");
  return parts.join("");
}
