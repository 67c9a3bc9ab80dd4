#pragma once
// What some algorithms keep for the views beyond the per-step decomposition (DESIGN.md §3a), as
// plain data. Algorithm::clip_record() and Algorithm::group_record() return them; an algorithm
// without such data returns null, so a view asks for the data, never for the algorithm's type.
//
//   if (const PpoUpdateRecord* rec = session.algorithm().clip_record()) …  // ratios, Â, clipping
//   if (const GrpoRecord* rec = session.algorithm().group_record()) …      // groups, KL to π_ref

#include <string>
#include <utility>
#include <vector>

#include "estimator/importance.h"

namespace pg {

// ---- importance weights (off-policy learning): the last estimate's ------------------------------
struct ImportanceRecord {
  ImportanceWeights weights;     // of the last estimate
  int behaviour_iteration = -1;  // the iteration whose θ sampled the batch; -1: fixed logits
};

// ---- what the batch dump writes beyond the Estimate (DESIGN.md §4)
// --------------------------------- Named scalars go into the dump's "algorithm" object; per-step
// series (one value per step of the batch, laid out as Estimate::offset) are cut into each
// trajectory under their name.
struct DumpExtras {
  std::vector<std::pair<std::string, double>> scalars;                       // "beta"
  std::vector<std::pair<std::string, const std::vector<double>*>> per_step;  // "logp_old"
};

// ---- ratio clipping (PPO): what the last update did ---------------------------------------------
struct PpoUpdateRecord {
  int iteration = -1;  // the iteration of the update; -1 before the first
  double clip_eps = 0.2;
  // Samples of the first and the last epoch, in the order visited: r at the θ before their
  // minibatch's step, Â as used (normalised over the minibatch when advantage.normalize), and the
  // minibatch index.
  std::vector<double> ratio_first, adv_first, ratio_last, adv_last;
  std::vector<int> minibatch_first, minibatch_last;
  // Every epoch's samples, epoch-major (K × M, sample k of epoch e at e·M + k, in visit order), so
  // a view can count them for another ε (lab/clip_cases.h).
  std::vector<double> ratio_all, adv_all;
  // Per epoch: fraction outside the band, mean k1 and k3.
  std::vector<double> epoch_clip_fraction, epoch_kl_k1, epoch_kl_k3;
  // max |r − 1| over the first minibatch of the first epoch (θ = θ_old there) and whether it is
  // within kFirstRatioTolerance (algo/ppo.h) of 0.
  double first_ratio_max_abs_dev = 0.0;
  bool first_ratio_is_one = false;
  double beta_used = 0.0, beta_next = 0.0;  // kl-penalty: β in this update and after adaptation
};

// ---- groups of completions (GRPO): the last estimated batch
// --------------------------------------- One completion of the last estimated batch (for the view
// and the dump).
struct GrpoCompletion {
  int prompt = 0;
  int group = 0;
  double reward = 0;
  double baseline = 0;   // b_i
  double advantage = 0;  // Â_i
  int length = 0;        // |o_i|
};

struct GrpoGroup {
  int prompt = 0;
  int first = 0;  // index of its first completion (= trajectory index)
  double mean = 0, std = 0;
  bool zero_spread = false;
};

// Sampled and exact KL to the reference at the θ_old of one iteration.
struct GrpoKlPoint {
  int iteration = 0;
  double k1 = 0, k2 = 0, k3 = 0;
  double k1_min = 0, k3_min = 0;  // the smallest token's k1 and k3 (k1 can be < 0, k3 never)
  double exact = 0;               // NaN without a model
};

struct GrpoRecord {
  int iteration = -1;  // the iteration whose batch was estimated last; -1 before the first
  double eps = 0.0;    // ε of Â = (R − b) / (σ + ε)
  std::vector<GrpoCompletion> completions;  // one per trajectory of that batch
  std::vector<GrpoGroup> groups;            // completions [first, first + G) form a group
  std::vector<GrpoKlPoint> kl_history;      // KL to π_ref per iteration, oldest first
};

}  // namespace pg
