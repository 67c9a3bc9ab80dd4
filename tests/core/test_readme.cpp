// The README's scenario-key table is generated from the one key table (io/params.cpp); this test
// fails when they drift and prints the table to paste between the markers.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "io/params.h"
#include "io/view_state.h"

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

// The session format's seed band count and the Compare menu's N, as the README states them, are
// the reader's and the slider's range (the README said [2, 64]; the reader refuses above 32).
TEST(Readme, SeedBandCountIsTheReadersRange) {
  std::ifstream in(std::string(PGLAB_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const std::string range =
      "[" + std::to_string(kMinCompareSeeds) + ", " + std::to_string(kMaxCompareSeeds) + "]";
  EXPECT_NE(text.find("(`count` seeds in " + range), std::string::npos)
      << "the session format's views.compare.seeds.count should read " << range;
  EXPECT_NE(text.find("*Run N seeds* (N " + std::to_string(kMinCompareSeeds) + "–" +
                      std::to_string(kMaxCompareSeeds) + ","),
            std::string::npos);
}

}  // namespace pg
