// libFuzzer target: a session file's text → pg::load_session_file (read, JSON, pglab.session/1
// checks, the replay and its bit-for-bit comparison). The contract (session_file.h): every
// problem with the file is a pg::InputError "file: what is wrong"; a replay that fails (a numeric
// fault) or a refused size is an InputError too. Any other exception, an abort, a stack overflow,
// a sanitizer report or a timeout is a finding.
//
// The input goes through a file (as `pglab train --load F` reads it), so the bounded reader is
// fuzzed too. Seeds: tests/fuzz/corpus/session (small saved sessions of REINFORCE, A2C, PPO and
// GRPO, and damaged variants of them).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "io/session_file.h"
#include "util/error.h"

namespace {
// Removed when the fuzzer exits normally (after a crash it stays, beside libFuzzer's own copy of
// the input).
const std::string& input_path() {
  struct Path {
    std::string path =
        "/tmp/pglab-fuzz-session-" + std::to_string(static_cast<long>(getpid())) + ".json";
    ~Path() { std::remove(path.c_str()); }
  };
  static const Path p;
  return p.path;
}
}  // namespace

// The memory budget (session/budget.h) refuses settings that need more than this before
// allocating: well under the -rss_limit_mb of run_fuzz.sh (2048) with ASan's overhead, so a file
// whose scenario asks for a huge batch is an InputError here, as it is on a small machine.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("PGLAB_MEMORY_BUDGET_MB", "256", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = input_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  const bool written = std::fwrite(data, 1, size, f) == size;
  if (std::fclose(f) != 0 || !written) return 0;
  try {
    nlohmann::json views;
    const pg::Session s = pg::load_session_file(path, &views);
    (void)s;
  } catch (const pg::InputError& e) {
    // The message is what the window and the CLI print: it must be a bounded, printable line.
    (void)e.what();
  }
  return 0;
}
