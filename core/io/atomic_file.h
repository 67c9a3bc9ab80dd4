#pragma once
// Output files that are never half-written (DESIGN.md §5: a failed write is exit 1 with the path
// and the reason; a stopped run leaves every file written so far complete).
//
//   write_file_atomic(path, bytes)  a whole file (dump, PNG, exported CSV): written to a temporary
//                                   file beside `path`, flushed to disk, renamed over `path`;
//   write_file_new(path, bytes)     the same, but never replaces an existing file;
//   LineFile                        a file that grows line by line (train --csv): each line goes
//                                   out in one write(2) as soon as it is complete.
//
// Each returns "" on success, else one line "<path>: cannot <step>: <strerror>". A path that exists
// and is not a regular file (/dev/stdout, /dev/full, a FIFO) is written in place: renaming over
// it would replace the device node. SIGINT and SIGTERM are held while a temporary file exists (they
// are delivered right after), so a signal never leaves one behind.

#include <atomic>
#include <string>
#include <string_view>

#include "util/input_file.h"

namespace pg {

std::string write_file_atomic(const std::string& path, std::string_view bytes);
// Like write_file_atomic, refusing (with "<path>: exists; not overwritten") when `path` exists.
std::string write_file_new(const std::string& path, std::string_view bytes);

// A FIFO without a reader: opening it waits (polling every 20 ms) until a reader comes or `flag`
// is set (the CLI passes its SIGINT/SIGTERM flag), then fails with "Interrupted system call".
void set_open_cancel_flag(const std::atomic<bool>* flag);

// Whether a path exists: path_exists() in util/input_file.h.

// How a file will be written, for output_file_problem: whole (write_file_atomic/_new: a temporary
// file is created beside the target, so its directory must be writable) or in place (LineFile:
// an existing file must be writable; a new one needs a writable directory).
enum class OutputMode { kWhole, kInPlace };
// What would keep `path` from being written, found without writing anything, or "" when nothing
// does (or the path is "" or "-", standard output): "the directory '/x' does not exist", "is a
// directory", "'/etc/passwd' is not a directory", "the directory '.' is not writable (Permission
// denied)". Lets a command refuse a bad output before its work, not after (a run of minutes
// ending in "cannot open for writing"). A write can still fail later (a full disk): that stays
// the writer's error. Never throws.
std::string output_file_problem(const std::string& path, OutputMode mode = OutputMode::kWhole);

class LineFile {
 public:
  LineFile() = default;
  LineFile(const LineFile&) = delete;
  LineFile& operator=(const LineFile&) = delete;
  ~LineFile();  // closes without reporting (call close() to learn about errors)

  // Creates or truncates `path`; "-" writes to standard output (a duplicate of fd 1).
  std::string open(const std::string& path);
  // Appends `text` (whole lines, '\n' included) with one write(2), retried for a short write.
  std::string write(std::string_view text);
  // Flushes to disk (regular files) and closes; "" when already closed.
  std::string close();
  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace pg
