// Numbers a person types are read one way everywhere (util/number_text.h): decimal only, every
// item of a list present, one message per way to get one wrong.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "util/error.h"
#include "util/number_text.h"

namespace pg {
namespace {

std::string list_error(const std::string& text) {
  try {
    parse_number_list(text, "--init", "numbers");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(NumberText, DecimalOnly) {
  double v = 0.0;
  EXPECT_TRUE(read_decimal("1e-320", &v));  // a subnormal is a number (std::stod threw on it)
  EXPECT_GT(v, 0.0);
  EXPECT_TRUE(read_decimal("-0.5", &v));
  EXPECT_EQ(v, -0.5);
  EXPECT_TRUE(read_decimal("1e999", &v));  // read, and infinite: the caller says "not finite"
  EXPECT_TRUE(std::isinf(v));
  for (const char* bad : {"", "0x10", "0X1p3", " 1", "1 ", "1,", "abc", "1e"})
    EXPECT_FALSE(read_decimal(bad, &v)) << bad;
  long long n = 0;
  EXPECT_TRUE(read_decimal_integer("-42", &n));
  EXPECT_EQ(n, -42);
  for (const char* bad : {"", "-", "0x10", " 1", "1.0", "99999999999999999999"})
    EXPECT_FALSE(read_decimal_integer(bad, &n)) << bad;
}

TEST(NumberText, ListsRefuseEmptyItemsAndNonDecimalFormsAlike) {
  const std::vector<double> v = parse_number_list("0,1e-320,-2.5", "--init", "numbers");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[2], -2.5);
  // A trailing comma and a doubled one say the same (the first was silently dropped by --init).
  EXPECT_EQ(list_error("0,0,0,0,"),
            "--init: item 5 of 5 is empty (two commas in a row, or one at an end); expected "
            "numbers");
  EXPECT_EQ(list_error("0,,1"),
            "--init: item 2 of 3 is empty (two commas in a row, or one at an end); expected "
            "numbers");
  EXPECT_EQ(list_error("0x10,0"),
            "--init: item 1 of 2, '0x10', is not a decimal number; expected numbers");
  EXPECT_EQ(list_error("1,inf"), "--init: item 2 of 2, 'inf', is not finite; expected numbers");
  EXPECT_EQ(list_error(""), "--init: empty; expected numbers");
}

}  // namespace
}  // namespace pg
