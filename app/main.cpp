// pglab: no subcommand opens the window; a subcommand runs headless (DESIGN.md §5).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>

#include "cli/cli.h"

int main(int argc, char** argv) {
  int code = 0;
  try {
    code = pg::cli::run(argc, argv);
  } catch (const std::bad_alloc&) {
    // Settings are checked against the memory budget before a run starts (core/session/budget.h);
    // this is what is left: the machine had less free memory than the budget assumed.
    std::fprintf(stderr,
                 "pglab: out of memory; lower the batch size (algorithm.batch_episodes, "
                 "algorithm.num_steps), env.step_limit or --samples, or free memory\n");
    return 1;
  }
  // Standard output is an output file too (trace's CSV, bench's JSON, grad --out -): a failed
  // write is exit 1 with the reason, not a silent 0.
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    // The write that failed may be long past (its errno overwritten): a write of no bytes asks
    // the descriptor again, writing nothing (a closed one says EBADF, /dev/full ENOSPC).
    int reason = errno;
    if (!reason && ::write(fileno(stdout), "", 0) < 0) reason = errno;
    std::fprintf(stderr, "pglab: cannot write standard output: %s\n",
                 reason ? std::strerror(reason) : "an earlier write failed");
    return code == 0 ? 1 : code;
  }
  return code;
}
