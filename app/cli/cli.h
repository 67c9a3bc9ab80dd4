#pragma once
// The command line of DESIGN.md §5. Exit codes: 0 success, 1 the work failed, 2 bad usage or input.

namespace pg::cli {

int run(int argc, char** argv);

}  // namespace pg::cli
