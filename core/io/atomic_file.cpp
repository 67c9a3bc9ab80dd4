#include "io/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "util/text.h"

namespace pg {
namespace {

std::atomic<const std::atomic<bool>*> g_open_cancel{nullptr};

std::string failure(const std::string& path, const char* step, int err) {
  return path + ": cannot " + step + ": " + std::strerror(err);
}

// open(2) for writing. A FIFO's open blocks until a reader opens the other end, and a signal
// handler installed with SA_RESTART (the CLI's) restarts it: SIGTERM was ignored for as long as
// no reader came. A FIFO is opened without blocking, retried every 20 ms until a reader comes or
// the cancel flag (set_open_cancel_flag) is set; then -1 with errno EINTR.
int open_for_writing(const char* path, int flags, mode_t mode) {
  struct stat st {};
  if (::stat(path, &st) != 0 || !S_ISFIFO(st.st_mode)) return ::open(path, flags, mode);
  for (;;) {
    const int fd = ::open(path, flags | O_NONBLOCK, mode);
    if (fd >= 0) {
      const int fl = ::fcntl(fd, F_GETFL);
      if (fl != -1) ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);  // writes block as they would
      return fd;
    }
    if (errno != ENXIO && errno != EINTR) return -1;  // ENXIO: no reader yet
    const std::atomic<bool>* cancel = g_open_cancel.load();
    if (cancel && cancel->load(std::memory_order_relaxed)) {
      errno = EINTR;
      return -1;
    }
    const struct timespec wait { 0, 20 * 1000 * 1000 };
    ::nanosleep(&wait, nullptr);
  }
}

// Writes all of `bytes`, retrying after EINTR and short writes. Returns 0 or errno.
int write_all(int fd, std::string_view bytes) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

// fsync, where the file supports it (devices and pipes answer EINVAL/EROFS: nothing to flush).
int sync_fd(int fd) {
  if (::fsync(fd) == 0) return 0;
  return (errno == EINVAL || errno == EROFS) ? 0 : errno;
}

// Holds SIGINT and SIGTERM for its lifetime; a signal sent meanwhile is delivered when it ends.
class HoldSignals {
 public:
  HoldSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &previous_);
  }
  ~HoldSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  HoldSignals(const HoldSignals&) = delete;
  HoldSignals& operator=(const HoldSignals&) = delete;

 private:
  sigset_t previous_;
};

// Writes `bytes` to the open `fd`, flushes it to disk and closes it (always). Returns 0 or the
// errno of the first step that failed, naming it in `step` ("write", "flush" or "close").
int write_sync_close(int fd, std::string_view bytes, const char*& step) {
  int err = write_all(fd, bytes);
  step = "write";
  if (err == 0) {
    err = sync_fd(fd);
    step = "flush";
  }
  if (::close(fd) != 0 && err == 0) {
    err = errno;
    step = "close";
  }
  return err;
}

// The open descriptor `path` names, or -1: /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N
// (and this process's /proc/<pid>/fd/N), directly or through symbolic links to them. Such a path
// is the stream it names, not a file: /dev/stdout of `pglab … --out /dev/stdout > f` resolves to
// f, and renaming a new file over f (or truncating it) lost what the shell had written to f
// before and after, and an append (>>) f's old content.
int stream_fd(const std::string& path) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    if (p == "/dev/stdout") return STDOUT_FILENO;
    if (p == "/dev/stderr") return STDERR_FILENO;
    for (const std::string& dir : {std::string("/dev/fd/"), std::string("/proc/self/fd/"),
                                   "/proc/" + std::to_string(::getpid()) + "/fd/"}) {
      if (p.compare(0, dir.size(), dir) != 0 || p.size() == dir.size() || p.size() > dir.size() + 9)
        continue;
      const std::string n = p.substr(dir.size());
      if (n.find_first_not_of("0123456789") == std::string::npos) return std::atoi(n.c_str());
    }
    char link[PATH_MAX];
    const ssize_t len = ::readlink(p.c_str(), link, sizeof link - 1);
    if (len <= 0) return -1;
    std::string next(link, static_cast<size_t>(len));
    if (next[0] != '/') {  // relative to the link's directory
      const size_t slash = p.rfind('/');
      next = (slash == std::string::npos ? std::string() : p.substr(0, slash + 1)) + next;
    }
    p = next;
  }
  return -1;
}

// Writes `bytes` to a copy of the open descriptor `fd` (a stream: nothing truncated or renamed).
std::string write_to_stream(const std::string& path, int fd, std::string_view bytes) {
  const int dup = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) return failure(path, "open for writing", errno);
  const int err = write_all(dup, bytes);
  ::close(dup);
  return err ? failure(path, "write", err) : std::string();
}

// Writes in place: for paths that exist and are not regular files.
std::string write_in_place(const std::string& path, std::string_view bytes) {
  const int fd = open_for_writing(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC, 0);
  if (fd < 0) return failure(path, "open for writing", errno);
  const char* step = "write";
  const int err = write_sync_close(fd, bytes, step);
  return err ? failure(path, step, err) : std::string();
}

std::string write_whole(const std::string& path, std::string_view bytes, bool replace) {
  if (path.empty()) return "(empty path): cannot open for writing: no file name given";
  if (const int fd = stream_fd(path); fd >= 0) return write_to_stream(path, fd, bytes);
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && !replace) return path + ": exists; not overwritten";
  if (exists && !S_ISREG(st.st_mode)) return write_in_place(path, bytes);
  // A symbolic link to a regular file: replace the file it points to, keep the link.
  std::string target = path;
  struct stat lst {};
  if (exists && ::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) != nullptr) target = resolved;
  }
  static std::atomic<unsigned> counter{0};
  const std::string tmp = target + ".pglab-tmp-" + std::to_string(::getpid()) + "-" +
                          std::to_string(counter.fetch_add(1));

  HoldSignals hold;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return failure(path, "create a file beside it", errno);
  // A replaced file keeps its permission bits (an executable script, a private 0600 file; not
  // setuid, setgid or sticky, which a file the writer now owns must not inherit); a new one gets
  // 0666 less the umask, as any other program's.
  if (exists) (void)::fchmod(fd, st.st_mode & 0777);
  const char* step = "write";
  int err = write_sync_close(fd, bytes, step);
  if (err == 0) {
    step = "rename the finished file into place";
    if (replace) {
      if (::rename(tmp.c_str(), target.c_str()) != 0) err = errno;
    } else if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) !=
               0) {
      err = errno;
      if (err == EINVAL || err == ENOSYS) {
        // The file system cannot rename without replacing: a hard link fails the same way on
        // EEXIST.
        err = ::link(tmp.c_str(), target.c_str()) == 0 ? 0 : errno;
      }
      if (err == EEXIST) {
        ::unlink(tmp.c_str());
        return path + ": exists; not overwritten";
      }
    }
  }
  ::unlink(tmp.c_str());  // ENOENT after a rename: nothing left either way
  return err ? failure(path, step, err) : std::string();
}

}  // namespace

std::string output_file_problem(const std::string& path, OutputMode mode) {
  if (path.empty() || path == "-") return "";
  if (path.back() == '/') return "names a directory (it ends in '/'); name a file";
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return "is a directory; name a file";
    if (!S_ISREG(st.st_mode) || mode == OutputMode::kInPlace) {
      // Written in place (a device, a FIFO, or a line file): the file itself must take writes.
      if (::access(path.c_str(), W_OK) != 0)
        return std::string("not writable (") + std::strerror(errno) + ")";
      return "";
    }
  } else if (errno != ENOENT && errno != ENOTDIR) {
    return std::strerror(errno);  // a symlink loop, a name too long
  }
  // A new file, or a regular one replaced through a temporary file beside it (beside the file a
  // symbolic link points to): its directory must exist and take new files.
  std::string target = path;
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) != nullptr) target = resolved;
  const size_t slash = target.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : target.substr(0, slash);
  struct stat ds {};
  if (::stat(dir.c_str(), &ds) != 0) {
    if (errno == ENOENT) return "the directory " + quote(shorten_path(dir)) + " does not exist";
    if (errno == ENOTDIR) return "a part of " + quote(shorten_path(dir)) + " is not a directory";
    return quote(shorten_path(dir)) + ": " + std::strerror(errno);
  }
  if (!S_ISDIR(ds.st_mode)) return quote(shorten_path(dir)) + " is not a directory";
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return "the directory " + quote(shorten_path(dir)) + " is not writable (" +
           std::strerror(errno) + ")";
  return "";
}

void set_open_cancel_flag(const std::atomic<bool>* flag) {
  g_open_cancel.store(flag);
}

std::string write_file_atomic(const std::string& path, std::string_view bytes) {
  return write_whole(path, bytes, true);
}

std::string write_file_new(const std::string& path, std::string_view bytes) {
  return write_whole(path, bytes, false);
}

LineFile::~LineFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string LineFile::open(const std::string& path) {
  close();
  path_ = path;
  if (path.empty()) return "(empty path): cannot open for writing: no file name given";
  if (path == "-") {
    path_ = "standard output";
    fd_ = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
    return fd_ < 0 ? failure(path_, "open for writing", errno) : std::string();
  }
  // /dev/stdout and its kind: the stream itself, as "-" (stream_fd).
  if (const int fd = stream_fd(path); fd >= 0) {
    fd_ = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return fd_ < 0 ? failure(path_, "open for writing", errno) : std::string();
  }
  fd_ = open_for_writing(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  return fd_ < 0 ? failure(path, "open for writing", errno) : std::string();
}

std::string LineFile::write(std::string_view text) {
  if (fd_ < 0) return path_ + ": cannot write: the file is not open";
  // Where this piece starts (-1 on a pipe or a terminal): a write that fails part way (the disk
  // fills) is cut back to it, so a file ends with its last whole piece (a row), never half a row.
  const off_t start = ::lseek(fd_, 0, SEEK_CUR);
  const int err = write_all(fd_, text);
  if (err == 0) return {};
  if (start >= 0 && ::ftruncate(fd_, start) == 0) {
    ::lseek(fd_, start, SEEK_SET);
    return failure(path_, "write", err) + " (the file keeps its rows before this one)";
  }
  return failure(path_, "write", err);
}

std::string LineFile::close() {
  if (fd_ < 0) return {};
  int err = sync_fd(fd_);
  const char* step = "flush";
  if (::close(fd_) != 0 && err == 0) {
    err = errno;
    step = "close";
  }
  fd_ = -1;
  return err ? failure(path_, step, err) : std::string();
}

}  // namespace pg
