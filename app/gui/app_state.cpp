#include "gui/app_state.h"

namespace pglab::gui {

const char* granularity_name(Granularity g) {
  switch (g) {
    case Granularity::Step: return "env step";
    case Granularity::Episode: return "episode";
    case Granularity::Batch: return "batch";
    case Granularity::Update: return "update";
    case Granularity::Iteration: return "iteration";
  }
  return "?";
}

}  // namespace pglab::gui
