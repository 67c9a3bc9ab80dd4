#include "util/error.h"

#include <cstdio>
#include <cstdlib>

namespace pg::detail {

void assert_fail(const char* cond, const char* msg, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: assertion failed: %s (%s)\n", file, line, cond, msg);
  std::abort();
}

}  // namespace pg::detail
