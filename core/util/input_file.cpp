#include "util/input_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

#include "util/error.h"
#include "util/text.h"

namespace pg {

namespace fs = std::filesystem;

namespace {

std::string size_text(size_t bytes) {
  char buf[32];
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0)
    std::snprintf(buf, sizeof buf, "%zu MiB", bytes >> 20);
  else if (bytes >= (size_t{1} << 20))
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  else
    std::snprintf(buf, sizeof buf, "%zu bytes", bytes);
  return buf;
}

}  // namespace

bool path_exists(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  return st.type() != fs::file_type::not_found && st.type() != fs::file_type::none;
}

bool is_directory(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

std::string input_file_problem(const std::string& path, const std::string& what,
                               const std::string& expected) {
  if (path.empty()) return "no " + what + " given; expected " + expected;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  switch (st.type()) {
    case fs::file_type::regular:
      return "";
    case fs::file_type::not_found:
      return "cannot open the " + what + ": no such file; expected " + expected;
    case fs::file_type::directory:
      return "is a directory, not a " + what + "; expected " + expected;
    case fs::file_type::fifo:
      return "is a FIFO (named pipe), not a " + what + "; expected " + expected +
             " (a regular file)";
    case fs::file_type::character:
    case fs::file_type::block:
      return "is a device, not a " + what + "; expected " + expected + " (a regular file)";
    case fs::file_type::socket:
      return "is a socket, not a " + what + "; expected " + expected;
    default:
      break;
  }
  if (ec) return "cannot read the " + what + ": " + ec.message() + "; expected " + expected;
  return "is not a regular file; expected " + expected;
}

std::string read_input_file(const std::string& path, const std::string& what,
                            const std::string& expected, size_t max_bytes) {
  const std::string where = shorten_path(path);
  const std::string problem = input_file_problem(path, what, expected);
  if (!problem.empty()) throw InputError(where, problem);
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  const auto too_big = [&](const std::string& how_big) {
    return InputError(where, "the " + what + " is " + how_big + "; at most " +
                                 size_text(max_bytes) + " allowed (expected " + expected + ")");
  };
  if (!ec && size > max_bytes) throw too_big(size_text(static_cast<size_t>(size)));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(where, "cannot open the " + what + ": " + std::strerror(errno));
  // Read in chunks and stop past max_bytes: a file that grows while we read is still bounded.
  std::string text;
  if (!ec) text.reserve(static_cast<size_t>(size));
  char chunk[1 << 16];
  while (in) {
    in.read(chunk, sizeof chunk);
    text.append(chunk, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes) throw too_big("larger than " + size_text(max_bytes));
  }
  if (in.bad()) throw InputError(where, "cannot read the " + what + ": " + std::strerror(errno));
  return text;
}

std::string_view without_bom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

}  // namespace pg
