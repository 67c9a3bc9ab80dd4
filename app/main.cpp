// pglab: no subcommand opens the window; a subcommand runs headless (DESIGN.md §5).
#include "cli/cli.h"

int main(int argc, char** argv) { return pg::cli::run(argc, argv); }
