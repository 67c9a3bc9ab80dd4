// The README's scenario-key table is generated from the one key table (io/params.cpp); this test
// fails when they drift and prints the table to paste between the markers.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "io/params.h"

namespace pg {

TEST(Readme, ScenarioTableMatchesTheKeyTable) {
  std::ifstream in(std::string(PGLAB_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const std::string begin = "<!-- scenario-keys:begin -->\n", end = "<!-- scenario-keys:end -->";
  const size_t a = text.find(begin), b = text.find(end);
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  const std::string table = text.substr(a + begin.size(), b - a - begin.size());
  EXPECT_EQ(table, params_markdown()) << "Paste this between the markers in README.md:\n"
                                      << params_markdown();
}

}  // namespace pg
