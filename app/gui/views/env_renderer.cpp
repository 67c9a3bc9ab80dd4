#include "gui/views/env_renderer.h"

namespace pglab::gui {

struct EnvRenderer::Impl {
  std::string error;
};

EnvRenderer::EnvRenderer() : impl_(new Impl) {}
EnvRenderer::~EnvRenderer() { delete impl_; }
std::string EnvRenderer::init() { return impl_->error; }
const std::string& EnvRenderer::error() const { return impl_->error; }

EnvPick EnvRenderer::draw(const pg::Session& s, const EnvDrawOptions&, const ImVec2& size, Theme, int) {
  ImGui::BeginChild("env_placeholder", size, true);
  ImGui::Text("%s", s.env().name().c_str());
  ImGui::EndChild();
  return {};
}

}  // namespace pglab::gui
