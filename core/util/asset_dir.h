#pragma once
// Where pglab's assets (maps, scenarios, lessons) live, for every module that names them in a
// path or a message.

#include <string>

namespace pg {

// $PGLAB_ASSETS when set and not empty, else the source tree's assets/ (compiled in). Defined in
// io/scenario.cpp.
std::string asset_dir();

}  // namespace pg
