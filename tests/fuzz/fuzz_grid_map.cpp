// libFuzzer target: map text → pg::parse_grid_map (core/env/grid_map.h).
// Any text either parses into a map that satisfies the header's invariants or throws
// pg::InputError; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "env/grid_map.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const pg::GridMap m = pg::parse_grid_map(text, "fuzz.txt");
    // The invariants the header promises; GridWorld relies on them.
    if (m.rows < 1 || m.cols < 1 || m.rows > pg::kMaxGridSide || m.cols > pg::kMaxGridSide ||
        m.cells.size() != static_cast<size_t>(m.rows) * m.cols)
      std::abort();
    for (char c : m.cells)
      if (c != '#' && c != '.' && c != 'S' && c != 'G' && c != 'X') std::abort();
  } catch (const pg::InputError& e) {
    (void)e.what();
  }
  return 0;
}
