#pragma once
// Numbers a person types (a --set value, a flag, a comma-separated list on the command line): read
// one way everywhere, decimal as a JSON file writes them. strtod and stoll alone read "0x10" as 16
// and skip leading spaces, so `--set lr=0x10` was refused while `trace --init 0x10,…` was taken;
// an empty item was refused in one list and skipped at the end of another.
//
//   read_decimal("1e-320", &v)   true (a subnormal is a number; ranges are the caller's)
//   read_decimal("1e999", &v)    true, v = inf (the caller says "not finite")
//   read_decimal("0x10", &v)     false, as for " 1" and ""
//   parse_number_list("0,,1", "--init", "4 numbers")
//                                InputError "--init: item 2 of 3 is empty (…); expected 4 numbers"

#include <string>
#include <string_view>
#include <vector>

namespace pg {

// True when all of `text` is a number strtod reads, without hexadecimal forms and without leading
// space: [sign] digits [. digits] [e [sign] digits], or the words inf, infinity and nan (which the
// caller refuses as "not finite", as it refuses 1e999).
bool read_decimal(std::string_view text, double* out);
// True when all of `text` is [sign] decimal digits and fits a long long.
bool read_decimal_integer(std::string_view text, long long* out);

// The items of a comma-separated list, empty ones kept ("0,,1" has 3, "" has 1).
std::vector<std::string_view> split_list(std::string_view text);
// "item 2 of 3 is empty (two commas in a row, or one at an end)": every list says it so.
std::string empty_item(size_t index, size_t count);

// Comma-separated finite decimal numbers. Throws InputError(key, "<what is wrong>; expected
// <expected>") for an empty text, an empty item (two commas in a row, or one at an end), an item
// that is not a decimal number, or one that is not finite — naming the item by its position.
std::vector<double> parse_number_list(const std::string& text, const std::string& key,
                                      const std::string& expected);

// A range as a message prints it, through number_text (util/text.h): integers as integers,
// "[0, 10000000]" (never "1e+07"), "(0, 1000]" (lo_open).
std::string range_text(double lo, double hi, bool lo_open = false);

}  // namespace pg
