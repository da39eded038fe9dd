/** A run folder that cannot be continued as it is: damaged, incomplete, or from another program. The CLI exits 2 with the message. */
export class RunFolderError extends Error {
  override readonly name = "RunFolderError";
}
