#include "gui/plot/ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pglab::plot {

bool rounding_level(double lo, double hi) {
  return hi - lo <= 1e-9 * std::max(std::abs(lo), std::abs(hi));
}

Range data_range(double lo, double hi, double pad_fraction) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) return {0.0, 1.0};
  if (rounding_level(lo, hi)) {
    const double c = 0.5 * (lo + hi);
    if (c == 0.0) return {-1.0, 1.0};
    const double half = 0.1 * std::abs(c);
    return {c - half, c + half};
  }
  const double pad = (hi - lo) * pad_fraction;
  return {lo - pad, hi + pad};
}

double nice_step(double range, int target) {
  target = std::max(target, 1);
  const double raw = range / target;
  if (!(raw > 0.0) || !std::isfinite(raw)) return 1.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double normalized = raw / magnitude;
  double nice = 10.0;
  if (normalized < 1.5) {
    nice = 1.0;
  } else if (normalized < 3.0) {
    nice = 2.0;
  } else if (normalized < 7.0) {
    nice = 5.0;
  }
  return nice * magnitude;
}

std::string format_value(double value, double step) {
  char buffer[64];
  if (!std::isfinite(value)) {
    std::snprintf(buffer, sizeof(buffer), "%g", value);
    return buffer;
  }
  const double magnitude = std::abs(value);
  if (magnitude >= 1e6 || (step > 0.0 && step < 1e-4) ||
      (magnitude > 0 && magnitude < 1e-4 && !(step > 0.0))) {
    std::snprintf(buffer, sizeof(buffer), "%.4g", value);
    return buffer;
  }
  int decimals = 0;
  if (step > 0.0 && std::isfinite(step)) {
    decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 8);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%.4g", value);
    return buffer;
  }
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  // "-0" and "-0.00" read as noise on an axis.
  std::string text = buffer;
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

std::vector<Tick> nice_ticks(double min, double max, int target, double min_step) {
  std::vector<Tick> ticks;
  if (!std::isfinite(min) || !std::isfinite(max) || !(max > min)) return ticks;
  const double step = std::max(nice_step(max - min, target), min_step);
  const double first = std::ceil(min / step - 1e-9);
  const double last = std::floor(max / step + 1e-9);
  if (!(last - first < 1000.0)) return ticks;  // guards a degenerate step
  for (double i = first; i <= last; i += 1.0) {
    double value = i * step;
    if (std::abs(value) < step * 1e-9) value = 0.0;
    ticks.push_back({value, format_value(value, step)});
  }
  return ticks;
}

namespace {

// `ticks` (made for `target`), or where they are fewer than two, the first of a few finer targets'
// ticks that are two or more and `fit`.
std::vector<Tick> two_if_they_fit(std::vector<Tick> ticks, double min, double max, int target,
                                  double min_step,
                                  const std::function<bool(const std::vector<Tick>&)>& fit) {
  for (int more = target + 1; ticks.size() < 2 && more <= target + 4; ++more) {
    std::vector<Tick> finer = nice_ticks(min, max, more, min_step);
    if (finer.size() >= 2 && fit(finer)) ticks = std::move(finer);
  }
  return ticks;
}

}  // namespace

std::vector<Tick> nice_ticks_at_least_two(double min, double max, int target, double min_step,
                                          int room) {
  return two_if_they_fit(
      nice_ticks(min, max, target, min_step), min, max, target, min_step,
      [room](const std::vector<Tick>& t) { return static_cast<int>(t.size()) <= room; });
}

std::vector<Tick> fitted_ticks(double min, double max, float width, float spacing, float gap,
                               double min_step,
                               const std::function<float(const std::string&)>& label_width) {
  auto fits = [&](const std::vector<Tick>& ticks) {
    float widest = 0.0f;
    for (const Tick& t : ticks) widest = std::max(widest, label_width(t.label));
    return (widest + gap) * static_cast<float>(ticks.size()) <= width;
  };
  int target = std::max(1, static_cast<int>(width / spacing));
  std::vector<Tick> ticks = nice_ticks(min, max, target, min_step);
  for (int attempt = 0; attempt < 4 && target > 1; ++attempt) {
    if (fits(ticks)) break;
    target = std::max(1, target * 2 / 3);
    ticks = nice_ticks(min, max, target, min_step);
  }
  return two_if_they_fit(std::move(ticks), min, max, target, min_step, fits);
}

}  // namespace pglab::plot
