// Axis ticks at "nice" steps (1, 2 or 5 × 10^k) and their labels.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace pglab::plot {

struct Tick {
  double value = 0;
  std::string label;
};

// Ticks inside [min, max] with about `target` intervals (at least 1). Empty if the range is not
// finite or not increasing. Labels use just enough decimals for the step, or %g for very large or
// very small magnitudes; values within step·1e-9 of zero are written "0". The step is at least
// `min_step` (1 on an axis of counts: no "iteration 0.5").
std::vector<Tick> nice_ticks(double min, double max, int target, double min_step = 0.0);

// nice_ticks, but where that gives fewer than two ticks, the finest of a few larger targets that
// gives two to `room` ticks (a step as large as the range leaves one tick or none).
std::vector<Tick> nice_ticks_at_least_two(double min, double max, int target, double min_step,
                                          int room);

// Ticks over [min, max] along `width` whose labels fit: about one per `spacing`, fewer until the
// widest label plus `gap` fits each interval. A narrow axis whose one step outgrows its range
// (epochs 0.5 to 4.5 at step 5) would have no tick at all: then the finest count that gives two
// ticks, if their labels fit.
std::vector<Tick> fitted_ticks(double min, double max, float width, float spacing, float gap,
                               double min_step,
                               const std::function<float(const std::string&)>& label_width);

// An axis range for data spanning [lo, hi], with `pad_fraction` of the span added at each end.
// Data whose span is 0 or at rounding level relative to its magnitude (hi − lo ≤ 1e-9 ·
// max(|lo|, |hi|)) is one value c: c ± 0.1 |c|, and −1 to 1 around 0 (a padded ±6e-11 around an
// all-zero ψ had read as noise, its ticks labelled 6e-11). No data (lo > hi, or not finite): 0
// to 1.
struct Range {
  double lo = 0.0, hi = 1.0;
};
Range data_range(double lo, double hi, double pad_fraction);
// Whether [lo, hi] is one value up to rounding (data_range's test).
bool rounding_level(double lo, double hi);

// The 1-2-5 step for a range split in about `target` intervals.
double nice_step(double range, int target);

// A value formatted with the precision a read-out at this step needs.
std::string format_value(double value, double step);

}  // namespace pglab::plot
