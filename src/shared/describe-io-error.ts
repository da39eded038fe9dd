/** What Node's error codes for files mean, in words a user reads in one line. */
const IO_ERRORS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EISDIR: "it is a folder",
  EPERM: "operation not permitted",
  ENOTDIR: "part of the path is a file, not a folder",
  EROFS: "the file system is read-only",
  EEXIST: "a file of that name is in the way",
  ENAMETOOLONG: "the path is too long",
  ELOOP: "too many symbolic links",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
};

/** An I/O error in words: its code's meaning where known, else its message. */
export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && IO_ERRORS[code]) ?? (error instanceof Error ? error.message : String(error));
}

/** What each file system call was doing, in the words of "cannot … PATH"; calls not listed (`spawn`, sockets) are no file's. */
const FILE_CALLS: Record<string, string> = {
  open: "open",
  read: "read",
  scandir: "read",
  stat: "read",
  lstat: "read",
  readlink: "read",
  write: "write",
  fsync: "write",
  close: "write",
  rename: "write",
  link: "write",
  copyfile: "write",
  ftruncate: "write",
  mkdir: "make the folder",
  unlink: "remove",
  rmdir: "remove",
  rm: "remove",
};

/**
 * A file operation that the file system refused, in words (`cannot write
 * PATH: no space left on the device`); undefined for any other error. A
 * write on an open file names no path: `writeFileAtomically` adds it.
 */
export function describeFailedFileOperation(error: unknown): string | undefined {
  const { code, syscall, path } = (error ?? {}) as NodeJS.ErrnoException;
  const action = syscall === undefined ? undefined : FILE_CALLS[syscall];
  if (typeof code !== "string" || action === undefined) return undefined;
  return `cannot ${action} ${path ?? "a file"}: ${describeIoError(error)}`;
}
