// Preloaded into a language server under test (`node --expose-gc --require`).
// Asked "heap" over the IPC channel, it answers with the bytes the heap holds
// after a full collection, its code spaces left out: V8 compiles more of the
// server the longer it runs, which is no leak.
const { getHeapSpaceStatistics } = require("node:v8");

process.channel?.unref();
process.on("message", (message) => {
  if (message !== "heap") return;
  globalThis.gc();
  const data = getHeapSpaceStatistics().filter(({ space_name }) => !space_name.startsWith("code"));
  process.send(data.reduce((bytes, space) => bytes + space.space_used_size, 0));
});
