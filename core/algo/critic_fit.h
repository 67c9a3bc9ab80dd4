#pragma once
// The critic fit REINFORCE-family algorithms run after their update: V_φ regressed on the batch's
// reward-to-go G_it (Monte-Carlo targets), when the estimator's baseline is the critic.
// Off-policy batches make this a fit of V^b, the behaviour policy's value: still a valid
// baseline (any function of the state keeps the estimate unbiased), just not V^π.

#include "algo/algorithm.h"

namespace pg {

// Fits ctx.critic to G_it and records "critic_mse" (pre-fit MSE) when the baseline is the critic;
// does nothing otherwise.
void fit_critic_to_reward_to_go(AlgoContext& ctx, const Batch& batch, UpdateStats& stats);

}  // namespace pg
