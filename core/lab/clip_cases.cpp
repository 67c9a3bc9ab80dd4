#include "lab/clip_cases.h"

#include "algo/ppo.h"

namespace pg {

ClipCase clip_case(double ratio, double adv, double eps) {
  if (adv == 0.0) return ClipCase::kNone;
  // Column: where r lies relative to the closed band [1−ε, 1+ε].
  const int column = ratio < 1.0 - eps ? 0 : (ratio > 1.0 + eps ? 2 : 1);
  return static_cast<ClipCase>((adv > 0.0 ? 0 : 3) + column);
}

bool clip_case_passes_gradient(ClipCase c) {
  // The flat parts: Â > 0 above the band (π(a|s) already raised by more than 1+ε) and Â < 0
  // below it (already lowered by more than 1−ε). Everywhere else the min is r Â.
  return c != ClipCase::kNone && c != ClipCase::kPosAbove && c != ClipCase::kNegBelow;
}

long ClipCaseTable::total() const {
  long n = zero_adv;
  for (long c : count) n += c;
  return n;
}

double ClipCaseTable::clip_fraction() const {
  const long n = total();
  if (n == 0) return 0.0;
  const long outside = count[0] + count[2] + count[3] + count[5] + zero_adv_outside;
  return static_cast<double>(outside) / static_cast<double>(n);
}

double ClipCaseTable::no_gradient_fraction() const {
  const long n = total();
  return n > 0 ? static_cast<double>(at(ClipCase::kPosAbove) + at(ClipCase::kNegBelow)) /
                     static_cast<double>(n)
               : 0.0;
}

double ClipCaseTable::fraction(ClipCase c) const {
  const long n = total();
  return n > 0 && c != ClipCase::kNone ? static_cast<double>(at(c)) / static_cast<double>(n) : 0.0;
}

ClipCaseTable count_clip_cases(const double* ratio, const double* adv, long n, double eps) {
  ClipCaseTable t;
  t.eps = eps;
  for (long j = 0; j < n; ++j) {
    const ClipCase c = clip_case(ratio[j], adv[j], eps);
    if (c == ClipCase::kNone) {
      ++t.zero_adv;
      if (ratio[j] < 1.0 - eps || ratio[j] > 1.0 + eps) ++t.zero_adv_outside;
    } else {
      ++t.count[static_cast<size_t>(c)];
    }
  }
  return t;
}

ClipCaseTable count_update_clip_cases(const PpoUpdateRecord& rec, double eps,
                                      std::vector<ClipCaseTable>* per_epoch) {
  const long total = static_cast<long>(rec.ratio_all.size());
  const long K = static_cast<long>(rec.epoch_clip_fraction.size());
  const long M = K > 0 ? total / K : 0;
  if (per_epoch) {
    per_epoch->clear();
    for (long e = 0; e < K; ++e)
      per_epoch->push_back(
          count_clip_cases(rec.ratio_all.data() + e * M, rec.adv_all.data() + e * M, M, eps));
  }
  return count_clip_cases(rec.ratio_all.data(), rec.adv_all.data(), total, eps);
}

}  // namespace pg
