// Bit-for-bit comparisons for the replay tests (session files, time travel, world edits): a
// replayed run must reproduce every double exactly, so these compare representations, not values
// (−0 ≠ +0, and a NaN equals the same NaN).
#pragma once

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cstring>

#include "critic/value_function.h"
#include "session/session.h"

namespace pg::test {

inline bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// a and b have the same size and every element the same bits; the failure names the first
// element that differs.
inline ::testing::AssertionResult same_vector(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  if (a.size() != b.size())
    return ::testing::AssertionFailure() << "sizes " << a.size() << " vs " << b.size();
  for (Eigen::Index i = 0; i < a.size(); ++i)
    if (!same_bits(a[i], b[i]))
      return ::testing::AssertionFailure() << "[" << i << "] " << a[i] << " vs " << b[i];
  return ::testing::AssertionSuccess();
}

// The session's critic parameters (a tabular table or an MLP's θ); empty without a critic.
inline Eigen::VectorXd critic_params(const Session& s) {
  if (const auto* t = dynamic_cast<const TabularValue*>(s.critic())) return t->table();
  if (const auto* m = dynamic_cast<const MlpValue*>(s.critic())) return m->net().params();
  return Eigen::VectorXd();
}

}  // namespace pg::test
