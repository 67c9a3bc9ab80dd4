// Counting allocation hooks for the "a warm training loop does not allocate" tests (STYLE.md §6).
// Global operator new/delete and malloc/calloc/realloc are replaced with counting versions
// (glibc's documented replacement: Eigen takes its large GEMM buffers from malloc, not from
// operator new). Include from exactly one file of a test executable.
#pragma once

#include <atomic>
#include <cstdlib>
#include <new>

namespace alloc_counter {
inline std::atomic<long> news{0}, mallocs{0};
struct Counts {
  long news, mallocs;
};
inline Counts now() {
  return {news.load(), mallocs.load()};
}
}  // namespace alloc_counter

void* operator new(std::size_t n) {
  alloc_counter::news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void __libc_free(void*);
void* malloc(size_t n) {
  alloc_counter::mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* calloc(size_t a, size_t b) {
  alloc_counter::mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(a, b);
}
void* realloc(void* p, size_t n) {
  alloc_counter::mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
void free(void* p) {
  __libc_free(p);
}
}
