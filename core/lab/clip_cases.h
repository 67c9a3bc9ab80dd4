#pragma once
// PPO's six min/clip cases, counted for any ε (the clip view's display ε, not only the ε the
// update ran with). A sample is a pair (r, Â) of the update: r = π_θ(a|s)/π_old(a|s) at the θ
// its minibatch step started from, Â as the loss used it. L^CLIP = min(r Â, clip(r, 1−ε, 1+ε) Â).
//
//              r < 1−ε                 1−ε ≤ r ≤ 1+ε        r > 1+ε
//   Â > 0      min keeps r Â: flows    flows                clipped: no gradient
//   Â < 0      clipped: no gradient    flows                min keeps r Â: flows
//
// Band edges as algo/ppo.h's clip_region: inside is closed, r = 1±ε exactly counts as inside.
// Â = 0 exactly has no sign and no gradient whatever r: counted apart (zero_adv), and in the
// clip fraction by where r lies.

#include <array>
#include <vector>

#include "algo/describe.h"

namespace pg {

struct PpoUpdateRecord;

// The case of one sample; ClipCase::kNone when Â = 0.
ClipCase clip_case(double ratio, double adv, double eps);
// Whether the clipped objective passes a gradient to θ in this case (∂L/∂r = Â ≠ 0).
bool clip_case_passes_gradient(ClipCase c);
// Row (0: Â > 0, 1: Â < 0) and column (0: below 1−ε, 1: inside, 2: above 1+ε) of a case.
inline int clip_case_row(ClipCase c) {
  return static_cast<int>(c) / 3;
}
inline int clip_case_column(ClipCase c) {
  return static_cast<int>(c) % 3;
}

struct ClipCaseTable {
  std::array<long, 6> count{};  // by ClipCase (0..5)
  long zero_adv = 0;            // Â = 0
  long zero_adv_outside = 0;    // of those, |r − 1| > ε
  double eps = 0.0;

  long total() const;
  long at(ClipCase c) const { return count[static_cast<size_t>(c)]; }
  // CleanRL's clipfrac: fraction with |r − 1| > ε, whatever the sign of Â.
  double clip_fraction() const;
  // Fraction on the flat parts (kPosAbove + kNegBelow): these samples pass no gradient.
  double no_gradient_fraction() const;
  // fraction of one case among all samples.
  double fraction(ClipCase c) const;
};

// Counts n samples (ratio[j], adv[j]) for clip range ε.
ClipCaseTable count_clip_cases(const double* ratio, const double* adv, long n, double eps);

// The update's samples of every epoch for ε, as a table over all of them and one per epoch
// (PpoUpdateRecord::ratio_all / adv_all, epoch-major). `per_epoch` gets K entries.
ClipCaseTable count_update_clip_cases(const PpoUpdateRecord& rec, double eps,
                                      std::vector<ClipCaseTable>* per_epoch);

}  // namespace pg
