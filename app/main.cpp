// pglab: no subcommand opens the window; a subcommand runs headless (DESIGN.md §5).
#include <cstdio>
int main() {
  std::puts("pglab");
  return 0;
}
