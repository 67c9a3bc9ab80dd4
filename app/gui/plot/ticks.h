// Axis ticks at "nice" steps (1, 2 or 5 × 10^k) and their labels.
#pragma once

#include <string>
#include <vector>

namespace pglab::plot {

struct Tick {
  double value = 0;
  std::string label;
};

// Ticks inside [min, max] with about `target` intervals (at least 1). Empty if the range is not
// finite or not increasing. Labels use just enough decimals for the step, or %g for very large or
// very small magnitudes; values within step·1e-9 of zero are written "0".
std::vector<Tick> nice_ticks(double min, double max, int target);

// The 1-2-5 step for a range split in about `target` intervals.
double nice_step(double range, int target);

// A value formatted with the precision a read-out at this step needs.
std::string format_value(double value, double step);

}  // namespace pglab::plot
