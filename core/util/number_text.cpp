#include "util/number_text.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "util/error.h"
#include "util/text.h"

namespace pg {

bool read_decimal(std::string_view text, double* out) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])) ||
      text.find_first_of("xX") != std::string_view::npos)
    return false;
  const std::string s(text);  // strtod needs a terminated string
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') return false;
  *out = v;
  return true;
}

bool read_decimal_integer(std::string_view text, long long* out) {
  const size_t sign = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (text.size() == sign) return false;
  for (size_t i = sign; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  const std::string s(text);
  errno = 0;
  const long long v = std::strtoll(s.c_str(), nullptr, 10);
  if (errno == ERANGE) return false;
  *out = v;
  return true;
}

std::vector<std::string_view> split_list(std::string_view text) {
  std::vector<std::string_view> items;
  for (size_t start = 0;;) {
    const size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) return items;
    start = comma + 1;
  }
}

std::string empty_item(size_t index, size_t count) {
  return "item " + std::to_string(index + 1) + " of " + std::to_string(count) +
         " is empty (two commas in a row, or one at an end)";
}

std::vector<double> parse_number_list(const std::string& text, const std::string& key,
                                      const std::string& expected) {
  auto bad = [&](const std::string& what) {
    return InputError(key, what + "; expected " + expected);
  };
  if (text.empty()) throw bad("empty");
  const std::vector<std::string_view> items = split_list(text);
  std::vector<double> out;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string item =
        "item " + std::to_string(i + 1) + " of " + std::to_string(items.size());
    double v = 0.0;
    if (items[i].empty()) throw bad(empty_item(i, items.size()));
    if (!read_decimal(items[i], &v))
      throw bad(item + ", " + quote(items[i], 40) + ", is not a decimal number");
    if (!std::isfinite(v)) throw bad(item + ", " + quote(items[i], 40) + ", is not finite");
    out.push_back(v);
  }
  return out;
}

std::string range_text(double lo, double hi, bool lo_open) {
  return std::string(lo_open ? "(" : "[") + number_text(lo) + ", " + number_text(hi) + "]";
}

}  // namespace pg
