// History marks (issue 9, item 5): where a live change took effect, a thin vertical line with a
// short label ("lr 0.1→0.3") on any plot whose x axis is the iteration.
#pragma once

#include "session/session.h"

namespace pglab::gui {

// Between plot::BeginPlot and plot::EndPlot of a plot over iterations: one mark per iteration at
// which changes took effect (their labels joined), labels in rows above the plot area
// (plot::PlotVLineLabel) so marks close together stay readable. labels = false: the lines only
// (small plots beside a labelled one).
void PlotChangeMarks(const pg::Session& s, bool labels = true);

}  // namespace pglab::gui
