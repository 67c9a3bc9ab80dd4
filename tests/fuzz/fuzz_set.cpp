// libFuzzer target: the CLI's --set on a default scenario. Each input line is one "key=value"
// assignment (as the shell would pass it after --set); all of them go through pg::apply_sets, and
// each one alone through pg::parse_assignment. Bad assignments throw pg::InputError; anything
// else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/scenario.h"
#include "util/error.h"

namespace {
const pg::Scenario& defaults() {
  static const pg::Scenario s = pg::default_scenario();
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  size_t from = 0;
  while (from <= text.size() && lines.size() < 16) {
    const size_t nl = text.find('\n', from);
    lines.push_back(text.substr(from, nl == std::string::npos ? std::string::npos : nl - from));
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
  for (const std::string& line : lines) {
    try {
      (void)pg::parse_assignment(line);
    } catch (const pg::InputError& e) {
      (void)e.what();
    }
  }
  try {
    pg::Scenario s = defaults();
    pg::apply_sets(s, lines);
  } catch (const pg::InputError& e) {
    (void)e.what();
  }
  return 0;
}
