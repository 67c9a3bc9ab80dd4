#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "env/grid_map.h"
#include "util/error.h"

namespace pg {
namespace {

// Parses `text` expecting an InputError; returns it for checks on where() and the message.
InputError parse_error(const std::string& text) {
  try {
    parse_grid_map(text, "m.txt");
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an InputError for:\n" << text;
  return InputError("", "");
}

TEST(GridMap, ParsesCellsCommentsAndCarriageReturns) {
  const GridMap m = parse_grid_map("; tiny map\r\nS..\r\n#XG\r\n\r\n\n", "m.txt");
  EXPECT_EQ(m.rows, 2);
  EXPECT_EQ(m.cols, 3);
  EXPECT_EQ(m.cells, "S..#XG");
  EXPECT_EQ(m.name, "tiny map");
  EXPECT_EQ(m.at(1, 2), 'G');
  EXPECT_EQ(m.at(1, 0), '#');
}

TEST(GridMap, NameFallsBackToFile) {
  EXPECT_EQ(parse_grid_map("SG\n", "x.txt").name, "x.txt");
}

TEST(GridMap, UnknownCharacterNamesLineColumnAndAllowed) {
  const InputError e = parse_error("; c\nS.\n.Q\nG.\n");
  EXPECT_EQ(e.where(), "m.txt:3:2");
  EXPECT_NE(std::string(e.what()).find("'Q'"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("allowed: # . S G X"), std::string::npos) << e.what();
}

TEST(GridMap, SpaceAndTabAreUnknown) {
  EXPECT_EQ(parse_error("S .G\n").where(), "m.txt:1:2");
  const InputError e = parse_error("S.G\t\n");
  EXPECT_EQ(e.where(), "m.txt:1:4");
  EXPECT_NE(std::string(e.what()).find("0x09"), std::string::npos) << e.what();
}

TEST(GridMap, RaggedRow) {
  const InputError e = parse_error("; c\nS..\n..\n..G\n");
  EXPECT_EQ(e.where(), "m.txt:3");
  EXPECT_NE(std::string(e.what()).find("row has 2 cells, expected 3 like line 2"),
            std::string::npos)
      << e.what();
}

TEST(GridMap, BlankLineInsideIsRagged) {
  const InputError e = parse_error("S..\n\n..G\n");
  EXPECT_EQ(e.where(), "m.txt:2");
  EXPECT_NE(std::string(e.what()).find("row has 0 cells, expected 3 like line 1"),
            std::string::npos)
      << e.what();
}

TEST(GridMap, NoStart) {
  const InputError e = parse_error("; c\n...\n..G\n");
  EXPECT_EQ(e.where(), "m.txt:2");
  EXPECT_NE(std::string(e.what()).find("no start"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("'S'"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("allowed: # . S G X"), std::string::npos) << e.what();
}

TEST(GridMap, NoGoal) {
  const InputError e = parse_error("S..\n...\n");
  EXPECT_EQ(e.where(), "m.txt:1");
  EXPECT_NE(std::string(e.what()).find("no goal"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("allowed: # . S G X"), std::string::npos) << e.what();
}

TEST(GridMap, GoalUnreachable) {
  // Walled off.
  InputError e = parse_error("S#G\n.#.\n");
  EXPECT_EQ(e.where(), "m.txt:1");
  EXPECT_NE(std::string(e.what()).find("reachable"), std::string::npos) << e.what();
  // Only through a pit: a pit ends the episode, so it does not connect.
  e = parse_error("SXG\n###\n");
  EXPECT_NE(std::string(e.what()).find("reachable"), std::string::npos) << e.what();
  // Diagonal only: moves are 4-neighbour.
  EXPECT_NE(std::string(parse_error("S#\n#G\n").what()).find("reachable"), std::string::npos);
  // One of two starts suffices.
  EXPECT_NO_THROW(parse_grid_map("S#S\n##G\n", "m.txt"));
}

TEST(GridMap, EmptyMap) {
  for (const char* text : {"", "\n\n", "; only a comment\n"}) {
    const InputError e = parse_error(text);
    EXPECT_EQ(e.where(), "m.txt:1") << text;
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("allowed: # . S G X"), std::string::npos) << e.what();
  }
}

TEST(GridMap, TooLarge) {
  std::string wide = "S" + std::string(64, '.') + "G\n";  // 66 columns
  InputError e = parse_error(wide);
  EXPECT_NE(std::string(e.what()).find("at most 64×64"), std::string::npos) << e.what();
  EXPECT_EQ(e.where(), "m.txt:1");
  std::string tall = "S\n";
  for (int i = 0; i < 64; ++i) tall += ".\n";
  tall += "G\n";  // 66 rows: the 65th row, line 65, is the first one too many
  e = parse_error(tall);
  EXPECT_EQ(e.where(), "m.txt:65");
  EXPECT_NE(std::string(e.what()).find("at most 64×64"), std::string::npos) << e.what();
  // Exactly 64×64 is fine.
  std::string ok;
  for (int r = 0; r < 64; ++r)
    ok += (r == 0 ? "S" : r == 63 ? "G" : ".") + std::string(63, '.') + "\n";
  EXPECT_EQ(parse_grid_map(ok, "m.txt").rows, 64);
}

TEST(GridMap, MissingFile) {
  try {
    load_grid_map("/nonexistent/dir/map.txt");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "/nonexistent/dir/map.txt");
    EXPECT_NE(std::string(e.what()).find("cannot open the map file: no such file"),
              std::string::npos)
        << e.what();
  }
}

TEST(GridMap, ShippedMapsLoad) {
  struct Expect {
    const char* name;
    int rows, cols;
  };
  for (const Expect& x : {Expect{"classic-4x4", 4, 4}, Expect{"cliff-4x12", 4, 12},
                          Expect{"frozen-lake-8x8", 8, 8}, Expect{"four-rooms", 13, 13}}) {
    const GridMap m = load_grid_map(shipped_map_path(x.name));
    EXPECT_EQ(m.rows, x.rows) << x.name;
    EXPECT_EQ(m.cols, x.cols) << x.name;
    EXPECT_NE(m.name, shipped_map_path(x.name)) << x.name << " needs a ';' comment naming it";
  }
  const GridMap cliff = load_grid_map(shipped_map_path("cliff-4x12"));
  EXPECT_EQ(cliff.cells.substr(36), "SXXXXXXXXXXG");
  const GridMap lake = load_grid_map(shipped_map_path("frozen-lake-8x8"));
  int holes = 0;
  for (char c : lake.cells) holes += c == 'X';
  EXPECT_EQ(holes, 10);  // Gymnasium's 8×8 layout has ten holes
}

// A byte-order mark (some editors write one) is skipped: the ';' comment after it stays a comment.
TEST(GridMap, ByteOrderMarkIsSkipped) {
  const GridMap m = parse_grid_map("\xEF\xBB\xBF; with a BOM\nSG\n", "m.txt");
  EXPECT_EQ(m.rows, 1);
  EXPECT_EQ(m.cells, "SG");
  EXPECT_EQ(m.name, "with a BOM");
}

TEST(GridMap, CommentThatIsNotUtf8NamesTheMapPrintably) {
  const GridMap m = parse_grid_map("; caf\xe9\nSG\n", "m.txt");
  EXPECT_EQ(m.name, "caf\\xe9");
}

// Anything but a regular file is refused before it is opened (a FIFO would block, /dev/zero
// would never end), and the reason is named.
TEST(GridMap, PathsThatAreNotFiles) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("pglab_test_grid_map_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const auto message = [](const std::string& path) -> std::string {
    try {
      load_grid_map(path);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(message(dir.string()).find("is a directory"), std::string::npos)
      << message(dir.string());
  const fs::path fifo = dir / "fifo.txt";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(message(fifo.string()).find("FIFO"), std::string::npos) << message(fifo.string());
  EXPECT_NE(message("/dev/zero").find("device"), std::string::npos) << message("/dev/zero");
  const fs::path loop = dir / "loop.txt";
  fs::create_symlink(loop, loop);
  EXPECT_NE(message(loop.string()).find("symbolic links"), std::string::npos)
      << message(loop.string());
  // Over the 1 MiB cap: refused by size, not read.
  const fs::path big = dir / "big.txt";
  {
    std::ofstream out(big);
    out << "SG\n" << std::string((1 << 20) + 10, ';');
  }
  EXPECT_NE(message(big.string()).find("at most 1 MiB"), std::string::npos)
      << message(big.string());
  const std::string long_path = "/tmp/" + std::string(5000, 'm') + ".txt";
  const std::string msg = message(long_path);
  EXPECT_NE(msg.find("too long"), std::string::npos) << msg.substr(0, 300);
  EXPECT_LT(msg.size(), 600u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pg
