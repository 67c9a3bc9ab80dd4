// Synthetic data that exercises the plot module until the session provides real data:
// learning curves (mean ± std of two estimators), a streaming gradient norm, sampled returns, and
// a 2-D objective with its gradient field. Deterministic: the same seed gives the same pictures.
#pragma once

#include <cstdint>
#include <vector>

#include "gui/plot/ring_buffer.h"

namespace pglab::gui {

struct DemoData {
  static constexpr int kIterations = 200;
  int shown = kIterations;  // iterations revealed so far (Space animates from 0)
  std::vector<double> iteration, mean_a, std_a, mean_b, std_b;  // kIterations each
  plot::RingBuffer<double> stream_x{120}, stream_y{120};        // gradient norm, last 120
  std::vector<double> returns;                                  // sampled episode returns
  // 2-D objective J(θ1, θ2), gradient field on a grid, one noisy batch of gradient estimates.
  std::vector<double> grid_x, grid_y, grad_u, grad_v;
  std::vector<double> path_x, path_y;      // gradient ascent path of θ
  std::vector<double> sample_u, sample_v;  // noisy estimates at the path's last point
  double true_u = 0, true_v = 0;
  double opt_x = 0, opt_y = 0;  // argmax J (by running ascent to convergence)
  std::uint64_t rng = 0x9E3779B97F4A7C15ull;

  void generate();
  // Advances the animation by one iteration (wraps around), pushing to the stream.
  void step();
  double gaussian();  // N(0, 1) from the internal generator
};

}  // namespace pglab::gui
