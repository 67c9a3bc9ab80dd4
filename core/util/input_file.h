#pragma once
// Reading a file a user named (a scenario, a map): bounded and refusing what is not a file.
//
// std::filesystem and std::ifstream alone would throw on a symlink loop or an over-long path,
// block forever on a FIFO and read /dev/zero until memory runs out. read_input_file checks the
// path first (error_code overloads only), refuses anything but a regular file, and reads at most
// `max_bytes`. Every problem is an InputError whose where() is the (shortened) path.

#include <cstddef>
#include <string>

namespace pg {

inline constexpr size_t kMaxInputFileBytes = size_t{16} << 20;  // 16 MiB

// `what` names the kind of file in messages ("scenario file", "map file"); `expected` says what a
// good one is ("a JSON scenario (.json)").
std::string read_input_file(const std::string& path, const std::string& what,
                            const std::string& expected, size_t max_bytes = kMaxInputFileBytes);

// What is wrong with `path` as a file to read, or "" when it is a readable regular file (the same
// checks as read_input_file, without reading). Never throws.
std::string input_file_problem(const std::string& path, const std::string& what,
                               const std::string& expected);

// True when `path` names something that exists (a file, a directory, anything); never throws.
bool path_exists(const std::string& path);
// True when `path` is a directory; never throws.
bool is_directory(const std::string& path);

// Strips a UTF-8 byte-order mark (EF BB BF) from the front of `text`, if there is one.
std::string_view without_bom(std::string_view text);

}  // namespace pg
