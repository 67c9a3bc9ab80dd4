// RingBuffer<T>: fixed-capacity buffer for streaming metrics. Once full, push_back() overwrites
// the oldest element. The storage is contiguous: element i (0 = oldest) is
// data()[(offset() + i) % size()], which is the form plot::PlotLine(..., offset) takes.
#pragma once

#include <cassert>
#include <cstddef>
#include <vector>

namespace pglab::plot {

template <typename T>
class RingBuffer {
 public:
  explicit RingBuffer(int capacity = 1024) { set_capacity(capacity); }

  // Drops all elements; capacity at least 1.
  void set_capacity(int capacity) {
    capacity_ = capacity < 1 ? 1 : capacity;
    data_.clear();
    data_.reserve(static_cast<std::size_t>(capacity_));
    offset_ = 0;
  }
  void clear() {
    data_.clear();
    offset_ = 0;
  }
  void push_back(const T& value) {
    if (size() < capacity_) {
      data_.push_back(value);
    } else {
      data_[static_cast<std::size_t>(offset_)] = value;
      offset_ = (offset_ + 1) % capacity_;
    }
  }

  int size() const { return static_cast<int>(data_.size()); }
  int capacity() const { return capacity_; }
  bool empty() const { return data_.empty(); }
  // Index in data() of the oldest element.
  int offset() const { return offset_; }
  const T* data() const { return data_.data(); }
  // i-th element, oldest first.
  const T& operator[](int i) const {
    assert(i >= 0 && i < size() && "RingBuffer index out of range");
    return data_[static_cast<std::size_t>((offset_ + i) % size())];
  }
  const T& back() const {
    assert(!empty() && "RingBuffer::back() on an empty buffer");
    return (*this)[size() - 1];
  }

 private:
  std::vector<T> data_;
  int capacity_ = 1;
  int offset_ = 0;
};

}  // namespace pglab::plot
