/**
 * Set in the environment of a run started over an IPC channel (a bagging
 * member's worker, an experiment's trial): the run stops when that channel
 * closes, that is when the process that started it ends, even by SIGKILL.
 */
export const STOP_WITH_PARENT = "REGLANG_STOP_WITH_PARENT";
