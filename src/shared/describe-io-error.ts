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
};

/** An I/O error in words: its code's meaning where known, else its message. */
export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && IO_ERRORS[code]) ?? (error instanceof Error ? error.message : String(error));
}
