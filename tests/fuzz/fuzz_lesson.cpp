// libFuzzer target: lesson text → pg::parse_lesson (JSON, pglab.lesson/1 fields, and the
// validation of every step: scenarios named, --set values, advance, views, predictions, claims).
// The contract (lesson.h): every problem is a pg::InputError "file:line: key: what; allowed: …".
// Any other exception, an abort, a stack overflow or a sanitizer report is a finding.
// Seeds: the shipped lessons (assets/lessons/) and tests/fuzz/corpus/lesson.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lab/lesson.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const pg::Lesson l = pg::parse_lesson(text, "fuzz-lesson.json");
    (void)l;
  } catch (const pg::InputError& e) {
    (void)e.what();
  }
  return 0;
}
