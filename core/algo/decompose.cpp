#include "algo/decompose.h"

#include <cmath>
#include <cstdio>

#include "algo/formula.h"
#include "util/error.h"

namespace pg {

namespace {

std::string num(double v) {
  return formula_number(v);
}

// "− v" as a term after another: "+ |v|" where v is negative ("Âₜ − −1.857" read as a typo).
std::string minus_term(double v) {
  return v < 0.0 ? "+ " + num(-v) : "− " + num(v);
}

// Mean and population std of x (the normalisation's statistics, DESIGN.md §3).
void mean_std(const std::vector<double>& x, double& mean, double& std) {
  const int n = static_cast<int>(x.size());
  mean = 0.0;
  std = 0.0;
  if (n == 0) return;
  for (double v : x) mean += v;
  mean /= n;
  double var = 0.0;
  for (double v : x) var += (v - mean) * (v - mean);
  std = std::sqrt(var / n);
}

}  // namespace

DecompositionBuilder::DecompositionBuilder(const Estimate& est) : steps_(est.num_steps()) {}

std::vector<double>& DecompositionBuilder::column(const std::string& symbol,
                                                  const std::string& meaning) {
  columns_.emplace_back(PieceInfo{symbol, meaning}, std::vector<double>(steps_, 0.0));
  return columns_.back().second;
}

void DecompositionBuilder::derive(const std::string& line) {
  derivation_.push_back(line);
}

void DecompositionBuilder::finish(const Estimate& est, const std::string& w_symbol,
                                  StepDecomposition& out) {
  PG_ASSERT(static_cast<int>(est.psi.size()) == steps_,
            "DecompositionBuilder: the estimate has no ψ per step");
  const int P = static_cast<int>(columns_.size()) + 1;
  out.pieces.clear();
  for (const auto& c : columns_) out.pieces.push_back(c.first);
  out.pieces.push_back(
      {w_symbol, "the weight on ∇log π(aₜ|sₜ) at θ_old: ĝ = (1/D) Σᵢₜ w ∇log π(aᵢₜ|sᵢₜ)"});
  out.derivation = std::move(derivation_);
  out.offset = est.offset;
  out.values.assign(static_cast<size_t>(steps_) * P, 0.0);
  for (int k = 0; k < steps_; ++k) {
    double* row = out.values.data() + static_cast<size_t>(k) * P;
    for (int c = 0; c < P - 1; ++c) row[c] = columns_[c].second[k];
    row[P - 1] = est.psi[k];  // w is the estimate's own ψ, bit for bit
  }
  out.clip_case.clear();
  out.divisor = est.gradient_divisor();
  out.sums_to_gradient = true;
  out.why_not_gradient.clear();
  columns_.clear();
  derivation_.clear();
}

void mark_not_summing(StepDecomposition& out, const std::string& why) {
  out.sums_to_gradient = false;
  out.why_not_gradient = why;
  if (!out.pieces.empty())
    out.pieces.back().meaning =
        "the weight on ∇log π(aₜ|sₜ) at θ_old; (1/D) Σᵢₜ w ∇log π(aᵢₜ|sᵢₜ) is not ĝ: " + why;
}

void reinforce_columns(const Estimate& est, DecompositionBuilder& b, std::vector<double>& psi) {
  const EstimatorConfig& c = est.config;
  const int M = est.num_steps(), N = est.num_trajectories;
  const bool total = c.returns == Returns::kTotal;
  const bool gamma_t = applies_discount_weighting(c);
  psi.assign(M, 0.0);
  std::vector<double>& q =
      b.column(total ? "Q̂ₜ = R" : "Q̂ₜ = Gₜ", total ? "total return R = Σₜ′ γᵗ′ rₜ′ of the episode"
                                                   : "reward-to-go Gₜ = Σₜ′≥ₜ γ^(t′−t) rₜ′");
  q = est.q_hat;
  b.derive(total ? "Q̂ₜ = R = Σₜ′ γᵗ′ rₜ′ (the whole episode)"
                 : "Q̂ₜ = Gₜ = Σₜ′≥ₜ γ^(t′−t) rₜ′ (rewards from t on)");
  if (c.baseline == Baseline::kOptimal) {
    // ψ as a per-step scalar: Q̂ (times γ^t when it applies); b*_k acts per parameter.
    std::vector<double>* g = nullptr;
    if (gamma_t) g = &b.column("γᵗ", "discount weighting γᵗ");
    for (int i = 0; i < N; ++i) {
      double w = 1.0;
      for (int t = est.offset[i]; t < est.offset[i + 1]; ++t, w *= est.gamma) {
        if (g) (*g)[t] = w;
        psi[t] = q[t] * (gamma_t ? w : 1.0);
      }
    }
    b.derive("the optimal baseline b*ₖ is one number per parameter k, not per step:");
    b.derive("ĝₖ = 1/N Σᵢₜ ∂ₖ log π(aᵢₜ|sᵢₜ) " + std::string(gamma_t ? "γᵗ " : "") +
             "(R − b*ₖ), so w below omits b*ₖ and Σ w ∇log π / N is not ĝ");
    b.derive(gamma_t ? "w = γᵗ Q̂ₜ" : "w = Q̂ₜ");
    return;
  }
  std::vector<double>& base = b.column("bₜ", baseline_spec(c.baseline).meaning_for(c.returns));
  base = est.baseline;
  std::vector<double>& adv = b.column("Q̂ₜ − bₜ", "the return minus the baseline");
  for (int k = 0; k < M; ++k) adv[k] = q[k] - base[k];
  b.derive(std::string("bₜ: ") + baseline_spec(c.baseline).meaning_for(c.returns));
  std::vector<double> pre = adv;  // ψ before discount weighting
  if (c.normalize) {
    double mean = 0.0, std = 0.0;
    mean_std(adv, mean, std);
    std::vector<double>& nrm =
        b.column("norm", "(Q̂ₜ − bₜ − mean) / (std + 1e-8) over the batch's steps");
    for (int k = 0; k < M; ++k) pre[k] = nrm[k] = (adv[k] - mean) / (std + 1e-8);
    b.derive("norm = (Q̂ₜ − bₜ " + minus_term(mean) + ") / (" + num(std) +
             " + 1e-8)   (mean, std over the batch's " + std::to_string(M) + " steps)");
  }
  std::vector<double>* g =
      gamma_t ? &b.column("γᵗ", "discount weighting γᵗ (reward-to-go)") : nullptr;
  for (int i = 0; i < N; ++i) {
    double w = 1.0;
    for (int k = est.offset[i]; k < est.offset[i + 1]; ++k, w *= est.gamma) {
      if (g) (*g)[k] = w;
      psi[k] = gamma_t ? w * pre[k] : pre[k];
    }
  }
  const std::string inner = c.normalize ? "norm" : "(Q̂ₜ − bₜ)";
  b.derive(std::string("ψₜ = ") + (gamma_t ? "γᵗ · " : "") + inner);
}

bool estimate_matches_batch(const DecomposeInput& in) {
  const Estimate& est = in.estimate;
  const int N = in.batch.size();
  if (est.num_trajectories != N || static_cast<int>(est.offset.size()) != N + 1) return false;
  for (int i = 0; i < N; ++i)
    if (est.offset[i + 1] - est.offset[i] != in.batch.trajectories[i].length()) return false;
  const size_t M = static_cast<size_t>(est.num_steps());
  return est.psi.size() == M && est.q_hat.size() == M && est.baseline.size() == M;
}

bool is_actor_critic_estimate(const Estimate& est) {
  const size_t M = static_cast<size_t>(est.num_steps());
  return est.values.size() == M && est.advantages.size() == M &&
         static_cast<int>(est.final_values.size()) == est.num_trajectories;
}

void decompose_weight_only(const DecomposeInput& in, const std::string& why,
                           StepDecomposition& out) {
  const Estimate& est = in.estimate;
  out.pieces = {{"ψₜ", "the weight on ∇log π(aₜ|sₜ)"}};
  out.derivation = {why};
  out.offset = est.offset;
  out.values = est.psi;
  if (out.offset.empty() || static_cast<size_t>(out.offset.back()) != out.values.size()) {
    out.offset.assign(1, 0);
    out.values.clear();
  }
  out.clip_case.clear();
  out.divisor = est.gradient_divisor();
  mark_not_summing(out, why);
}

void decompose_reinforce(const DecomposeInput& in, StepDecomposition& out) {
  const Estimate& est = in.estimate;
  if (!estimate_matches_batch(in))
    return decompose_weight_only(in, "the estimate is not of this batch: no pieces to show", out);
  DecompositionBuilder b(est);
  std::vector<double> psi;
  reinforce_columns(est, b, psi);
  // (With the optimal baseline the derivation has said how ĝ is made instead: per parameter.)
  if (est.config.baseline != Baseline::kOptimal)
    b.derive("ĝ = 1/N Σᵢₜ ψₜ ∇log π(aᵢₜ|sᵢₜ),  N = " + std::to_string(est.num_trajectories));
  b.finish(est, "ψₜ", out);
  if (est.config.baseline == Baseline::kOptimal)
    mark_not_summing(out,
                     "the optimal baseline b*ₖ is one number per parameter k, so w = Q̂ₜ omits it");
}

void actor_critic_columns(const DecomposeInput& in, const AdvantageConfig& cfg,
                          DecompositionBuilder& b, std::vector<double>& w) {
  const Estimate& est = in.estimate;
  const Batch& batch = in.batch;
  const int N = est.num_trajectories, M = est.num_steps();
  const double g = est.gamma;
  PG_ASSERT(
      static_cast<int>(est.values.size()) == M && static_cast<int>(est.final_values.size()) == N,
      "actor_critic_columns: the estimate has no critic values (not an actor-critic estimate)");
  std::vector<double>& v = b.column("V(sₜ)", "the critic's value of sₜ at φ_old");
  v = est.values;
  std::vector<double>& v_next = b.column(
      "V(sₜ₊₁)",
      "the next state's value; at a piece's end V(s_T) when cut or truncated, 0 when terminated");
  std::vector<double>& delta = b.column("δₜ", "TD error rₜ + γV(sₜ₊₁) − V(sₜ)");
  for (int i = 0; i < N; ++i) {
    const Trajectory& tr = batch.trajectories[i];
    const int T = tr.length(), off = est.offset[i];
    const double v_end = tr.bootstrap() ? est.final_values[i] : 0.0;
    for (int t = 0; t < T; ++t) {
      v_next[off + t] = t + 1 < T ? v[off + t + 1] : v_end;
      // δ_t = r_t + γ V(s_{t+1}) − V(s_t)
      delta[off + t] = tr.rewards[t] + g * v_next[off + t] - v[off + t];
    }
  }
  b.derive("δₜ = rₜ + γ V(sₜ₊₁) − V(sₜ),  γ = " + num(g));
  // The estimator's own form, from the pieces above.
  switch (cfg.kind) {
    case AdvantageKind::kGAE: {
      std::vector<double>& sum = b.column(advantage_spec(cfg.kind).symbol,
                                          "GAE(λ): the discounted sum of the TD errors ahead");
      for (int i = 0; i < N; ++i) {
        double acc = 0.0;
        for (int k = est.offset[i + 1] - 1; k >= est.offset[i]; --k)
          sum[k] = acc = delta[k] + g * cfg.lambda * acc;
      }
      b.derive("Âₜ = Σₗ (γλ)ˡ δₜ₊ₗ  (GAE, λ = " + num(cfg.lambda) + ", to the piece's end)");
      break;
    }
    case AdvantageKind::kNStep: {
      std::vector<double>& ret =
          b.column(advantage_spec(cfg.kind).symbol,
                   "n-step return Σₖ<ₙ γᵏ rₜ₊ₖ + γⁿ V(sₜ₊ₙ), cut at the piece's end");
      for (int i = 0; i < N; ++i) {
        const Trajectory& tr = batch.trajectories[i];
        const int T = tr.length(), off = est.offset[i];
        for (int t = 0; t < T; ++t) {
          const int end = std::min(T, t + cfg.n);
          double r = 0.0, w_k = 1.0;
          for (int k = t; k < end; ++k, w_k *= g) r += w_k * tr.rewards[k];
          // V(s_end): a step's value inside the piece, else the bootstrap value V(s_T) or 0
          r += w_k * (end < T ? v[off + end] : v_next[off + T - 1]);
          ret[off + t] = r;
        }
      }
      b.derive("Âₜ = Ĝₜ⁽ⁿ⁾ − V(sₜ),  n = " + std::to_string(cfg.n));
      break;
    }
    case AdvantageKind::kMonteCarlo: {
      std::vector<double>& ret =
          b.column(advantage_spec(cfg.kind).symbol,
                   "return Σₖ γᵏ rₜ₊ₖ to the piece's end, plus γ^(T−t) V(s_T) when cut");
      for (int i = 0; i < N; ++i) {
        const Trajectory& tr = batch.trajectories[i];
        const int T = tr.length(), off = est.offset[i];
        double G = T > 0 ? v_next[off + T - 1] : 0.0;
        for (int t = T - 1; t >= 0; --t) ret[off + t] = G = tr.rewards[t] + g * G;
      }
      b.derive("Âₜ = Gₜ − V(sₜ)  (Monte Carlo)");
      break;
    }
    case AdvantageKind::kTD0:
      b.derive("Âₜ = δₜ  (TD(0))");
      break;
  }
  std::vector<double>& adv = b.column("Âₜ", "the advantage estimate (before normalisation)");
  adv = est.advantages;
  w = adv;
  if (est.config.normalize) {
    double mean = 0.0, std = 0.0;
    mean_std(adv, mean, std);
    std::vector<double>& nrm =
        b.column("norm Âₜ", "(Âₜ − mean) / (std + 1e-8) over the batch's steps");
    for (int k = 0; k < M; ++k) w[k] = nrm[k] = (adv[k] - mean) / (std + 1e-8);
    b.derive("norm Âₜ = (Âₜ " + minus_term(mean) + ") / (" + num(std) +
             " + 1e-8)   (mean, std over the batch's " + std::to_string(M) + " steps)");
  }
}

}  // namespace pg
