#pragma once
// Typed errors (STYLE.md §7).
//
// InputError is bad input from outside: a map, a scenario, a flag, a value. Its message is the
// single line a user sees: "<where>: <what is wrong>; <what is allowed>", where <where> is
// "file:line", "file:line: key" or just "key". The CLI prints it and exits 2; the GUI shows it.

#include <stdexcept>
#include <string>

namespace pg {

class InputError : public std::runtime_error {
 public:
  InputError(const std::string& where, const std::string& what)
      : std::runtime_error(where.empty() ? what : where + ": " + what),
        where_(where),
        what_(what) {}

  const std::string& where() const { return where_; }
  const std::string& problem() const { return what_; }

 private:
  std::string where_;
  std::string what_;
};

// "file:line" for messages; line is 1-based, 0 means "no line".
inline std::string file_line(const std::string& file, int line) {
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

}  // namespace pg

// Programmer mistakes: always checked (cheap checks only), with a message saying how to fix it.
#define PG_ASSERT(cond, msg)                                                \
  do {                                                                      \
    if (!(cond)) ::pg::detail::assert_fail(#cond, msg, __FILE__, __LINE__); \
  } while (0)

namespace pg::detail {
[[noreturn]] void assert_fail(const char* cond, const char* msg, const char* file, int line);
}
