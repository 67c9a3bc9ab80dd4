#include "gui/demo_data.h"

#include <algorithm>
#include <cmath>

namespace pglab::gui {
namespace {

// J(θ) = −(θ1 − 1)² − 0.6 (θ2 + 0.5)² + 0.4 sin(2 θ1) θ2 : a tilted, slightly curved hill.
void gradient(double t1, double t2, double* g1, double* g2) {
  *g1 = -2.0 * (t1 - 1.0) + 0.8 * std::cos(2.0 * t1) * t2;
  *g2 = -1.2 * (t2 + 0.5) + 0.4 * std::sin(2.0 * t1);
}

}  // namespace

double DemoData::gaussian() {
  // xorshift64* then Box–Muller.
  auto uniform = [this]() {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (static_cast<double>((rng * 2685821657736338717ull) >> 11) + 0.5) * 0x1.0p-53;
  };
  const double u1 = uniform(), u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

void DemoData::generate() {
  const int n = kIterations;
  iteration.resize(n);
  mean_a.resize(n);
  std_a.resize(n);
  mean_b.resize(n);
  std_b.resize(n);
  double wobble_a = 0.0, wobble_b = 0.0;
  for (int i = 0; i < n; ++i) {
    const double t = i;
    wobble_a = 0.85 * wobble_a + 4.0 * gaussian();
    wobble_b = 0.85 * wobble_b + 2.0 * gaussian();
    iteration[i] = t;
    mean_a[i] = 180.0 * (1.0 - std::exp(-t / 70.0)) + 10.0 + wobble_a;
    std_a[i] = 45.0 * std::exp(-t / 160.0) + 12.0;
    mean_b[i] = 190.0 * (1.0 - std::exp(-t / 35.0)) + 10.0 + wobble_b;
    std_b[i] = 25.0 * std::exp(-t / 90.0) + 6.0;
  }
  returns.clear();
  for (int i = 0; i < 600; ++i) {
    returns.push_back(gaussian() < 0.9 ? 150.0 + 25.0 * gaussian() : 40.0 + 15.0 * gaussian());
  }
  grid_x.clear();
  grid_y.clear();
  grad_u.clear();
  grad_v.clear();
  for (int i = 0; i <= 8; ++i) {
    for (int j = 0; j <= 6; ++j) {
      const double x = -1.5 + 0.5 * i, y = -2.0 + 0.5 * j;
      double u = 0, v = 0;
      gradient(x, y, &u, &v);
      const double norm = std::sqrt(u * u + v * v);
      const double s = norm > 0 ? 0.4 / std::max(norm, 1.0) : 0.0;  // short arrows, same scale
      grid_x.push_back(x);
      grid_y.push_back(y);
      grad_u.push_back(u * s);
      grad_v.push_back(v * s);
    }
  }
  path_x.assign(1, -1.2);
  path_y.assign(1, 0.7);
  for (int k = 0; k < 12; ++k) {
    double u = 0, v = 0;
    gradient(path_x.back(), path_y.back(), &u, &v);
    path_x.push_back(path_x.back() + 0.12 * u);
    path_y.push_back(path_y.back() + 0.12 * v);
  }
  gradient(path_x.back(), path_y.back(), &true_u, &true_v);
  opt_x = path_x.back();
  opt_y = path_y.back();
  for (int k = 0; k < 2000; ++k) {
    double u = 0, v = 0;
    gradient(opt_x, opt_y, &u, &v);
    opt_x += 0.05 * u;
    opt_y += 0.05 * v;
  }
  sample_u.clear();
  sample_v.clear();
  for (int k = 0; k < 40; ++k) {
    sample_u.push_back(path_x.back() + 0.25 * (true_u + 1.2 * gaussian()));
    sample_v.push_back(path_y.back() + 0.25 * (true_v + 1.2 * gaussian()));
  }
  stream_x.clear();
  stream_y.clear();
  for (int i = 0; i < shown; ++i) {
    stream_x.push_back(i);
    stream_y.push_back(std_a[i] / 10.0 + 0.5 * std::abs(gaussian()));
  }
}

void DemoData::step() {
  shown = shown >= kIterations ? 1 : shown + 1;
  if (shown == 1) {
    stream_x.clear();
    stream_y.clear();
  }
  const int i = shown - 1;
  stream_x.push_back(i);
  stream_y.push_back(std_a[i] / 10.0 + 0.5 * std::abs(gaussian()));
}

}  // namespace pglab::gui
