// Time travel (issue 10, item 1): a timeline under the views. Dragging it to a past iteration makes
// every view show the session as it was then — replayed on a worker thread from the runner's
// snapshots (pg::Timeline), so the live session is not disturbed and may keep running — with a
// banner "viewing iteration k of n — return to live"; "Fork here with" starts a branch from that
// iteration with one setting changed (the Compare menu's fork: it runs beside the main run on the
// same random streams, its curve overlaid on the plots, its picture beside the run's in the
// Branches view).
#pragma once

#include <vector>

#include "gui/app_state.h"
#include "gui/layout.h"

namespace pglab::gui {

// Looks at iteration k of the live run (−1, or k at the live boundary: back to live).
void travel_to(AppState& state, int k);
bool travelling(const AppState& state);

// Once per frame, before the views: what they draw — `live`, or while travelling the replayed
// session at the iteration looked at (the previous one, marked "replaying", until it is ready).
// A reset or another run returns to live.
Snapshot shown_snapshot(AppState& state, const Snapshot& live);

// The fork's session at the iteration the views show (its latest while live, and past it once the
// fork's update faulted: it stopped there; null without a fork, before the fork's start, while its
// replay is under way, or once it is detached: the main run was reset or replaced).
std::shared_ptr<const pg::Session> shown_fork(AppState& state, const pg::Session& shown);

// The environment pictures side by side (the overview, while a fork exists): the run on the left,
// the fork at the same iteration on the right, each under a caption (iteration, J, the setting).
// Both pictures are drawn at one size (the two worlds to the same scale), each under a caption of
// the same height, in what is left of the current region; side by side while each keeps
// kBranchMinEm font units of width, else one above the other.
struct ViewContext;
// A fork that faulted (shown at its last boundary) has its fault in place of its picture.
void DrawBranchPictures(ViewContext& ctx, const pg::Session& run, const pg::Session& fork);
// The height DrawBranchPictures gives the captions (the taller one's, with the spacing under it)
// in a region `avail` wide: what a view lays the pictures out by, measured rather than assumed.
float branch_caption_height(const AppState& state, const pg::Session& run, const pg::Session& fork,
                            float avail);
inline constexpr float kBranchMinEm = 10.0f;
// The width (screen units) side by side needs: what the overview gives the pictures when it can.
float branch_pictures_min_width();
// The width of each branch in a region `avail` wide, and whether the two stand side by side
// (*side): DrawBranchPictures' layout, for a view that sizes the region around it.
float branch_width(float avail, bool* side);

// Headless shots: waits up to `seconds` for the replays asked for to finish, the fork to catch up
// and a seed band being computed to be done.
void wait_for_replays(AppState& state, double seconds);

// The scrub bar's curve of `live`, about max_points points (x, v), x on the bar's axis of
// iterations 0..n (n = live.iteration(), the live cursor). A finite world: exact J(θ_i) at the
// boundary i, up to J(θ_n) at n. Elsewhere: the batch return of iteration i, which belongs to the
// iteration's stretch [i, i + 1] of the bar — drawn at its middle, the first held from 0 and the
// last up to n (at i it stopped one iteration short of the cursor). Empty without a finite value.
struct TimelineCurve {
  bool exact = false;
  std::vector<double> x, v;
};
TimelineCurve timeline_curve(const pg::Session& live, size_t max_points);

// The strip under the lab area (taken from the bottom of layout->lab).
PanelRect take_timeline_rect(Layout* layout);
void DrawTimelinePanel(AppState& state, const Snapshot* live, const PanelRect& rect, bool force);

// "Fork here with …": a button opening the fork items for `from` (the session on screen).
// `label`: the button's; a shorter one (a crowded row) has the full one as its tooltip.
inline constexpr const char* kForkHereLabel = "Fork here with…";
void ForkHereButton(AppState& state, const std::shared_ptr<const pg::Session>& from,
                    const char* label = kForkHereLabel);

}  // namespace pglab::gui
