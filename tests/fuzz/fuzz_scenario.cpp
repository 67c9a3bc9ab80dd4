// libFuzzer target: scenario JSON text → pg::parse_scenario (parser and validator).
// The contract (DESIGN.md, STYLE.md §7): any text either parses or throws pg::InputError. Any
// other exception, an abort, a stack overflow or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/scenario.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const pg::Scenario s = pg::parse_scenario(text, "fuzz.json");
    (void)s;
  } catch (const pg::InputError& e) {
    // The message is what the window draws: it must be a bounded, printable line.
    (void)e.what();
  }
  return 0;
}
