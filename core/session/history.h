#pragma once
// History: the learning curve, one IterationRecord per iteration, append-only.
//
// Stored in fixed-size chunks shared between copies, so copying a Session (the GUI snapshots it
// every frame while training runs at full speed) costs O(chunks) pointer copies, not O(records).
// Only the last chunk is copied, and only when a shared copy appends (copy-on-write).

#include <algorithm>
#include <limits>
#include <memory>
#include <vector>

namespace pg {

// One row of the learning curve: what iteration i's batch showed, at the θ_i that sampled it.
struct IterationRecord {
  int iteration = 0;
  long episodes = 0;       // cumulative
  long steps = 0;          // cumulative
  double return_mean = 0;  // undiscounted episode return over the batch
  double return_std = 0;   // population std over the batch
  double grad_norm = 0;    // ‖ĝ‖
  double entropy = 0;      // mean H(π(·|s_t)) over the batch's steps
  double exact_J = std::numeric_limits<double>::quiet_NaN();  // J(θ_i); NaN without a model
  // The settings epoch: how many of the session's live changes (Session::changes()) had been
  // made when this row was written; rows with the same epoch ran with the same settings.
  int settings_epoch = 0;
};

class History {
 public:
  static constexpr size_t kChunk = 1024;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const IterationRecord& operator[](size_t i) const { return (*chunks_[i / kChunk])[i % kChunk]; }
  const IterationRecord& back() const { return (*this)[size_ - 1]; }
  void clear() {
    chunks_.clear();
    size_ = 0;
  }
  // At most max_points rows for plotting: consecutive iterations averaged in equal buckets (every
  // field is the bucket mean, iteration included); the records themselves when there are fewer.
  std::vector<IterationRecord> summary(size_t max_points) const {
    std::vector<IterationRecord> out;
    if (size_ == 0 || max_points == 0) return out;
    const size_t k = (size_ + max_points - 1) / max_points;
    out.reserve(size_ / k + 1);
    for (size_t first = 0; first < size_; first += k) {
      const size_t last = std::min(size_, first + k);
      IterationRecord m{};
      double it = 0;
      for (size_t i = first; i < last; ++i) {
        const IterationRecord& r = (*this)[i];
        it += r.iteration;
        m.return_mean += r.return_mean;
        m.return_std += r.return_std;
        m.grad_norm += r.grad_norm;
        m.entropy += r.entropy;
        m.exact_J = (i == first ? 0.0 : m.exact_J) + r.exact_J;
      }
      const double n = static_cast<double>(last - first);
      m.iteration = static_cast<int>(it / n);
      m.return_mean /= n;
      m.return_std /= n;
      m.grad_norm /= n;
      m.entropy /= n;
      m.exact_J /= n;
      m.episodes = (*this)[last - 1].episodes;
      m.settings_epoch = (*this)[last - 1].settings_epoch;
      m.steps = (*this)[last - 1].steps;
      out.push_back(m);
    }
    return out;
  }

  void push_back(const IterationRecord& r) {
    if (size_ % kChunk == 0) {
      chunks_.push_back(std::make_shared<std::vector<IterationRecord>>());
      chunks_.back()->reserve(kChunk);
    } else if (chunks_.back().use_count() > 1) {
      chunks_.back() = std::make_shared<std::vector<IterationRecord>>(*chunks_.back());
    }
    chunks_.back()->push_back(r);
    ++size_;
  }

 private:
  std::vector<std::shared_ptr<std::vector<IterationRecord>>> chunks_;
  size_t size_ = 0;
};

}  // namespace pg
