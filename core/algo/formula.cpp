#include "algo/formula.h"

#include <cstdio>

namespace pg {

using Role = FormulaPart::Role;

void add_part(Formula& f, const std::string& text, Role role) {
  f.push_back({role, text});
}
void add_line_break(Formula& f) {
  f.push_back({Role::kNewLine, ""});
}
void add_note(Formula& f, const std::string& text) {
  f.push_back({Role::kNote, text});
}

std::string setting_name(const EstimatorConfig& c, bool with_options) {
  std::string s = std::string(name_of(c.returns)) + "/" + name_of(c.baseline);
  if (with_options) {
    if (c.normalize) s += ", normalised";
    if (applies_discount_weighting(c)) s += ", γᵗ weighting";
  }
  return s;
}

std::string formula_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

void add_entropy_bonus_note(Formula& f, double coef) {
  if (!(coef > 0.0)) return;
  add_note(f, "step = ĝ + c·∇H̄, c = " + num(coef) +
                  " (algorithm.entropy_coef), H̄ = the mean entropy of π over the batch's states: "
                  "the step climbs J + c·H̄, not J alone");
}

Formula reinforce_formula(const EstimatorConfig& c, double gamma) {
  const bool gamma_t = applies_discount_weighting(c);
  Formula f;
  // ĝ = (1/N) Σ_i Σ_t [γ^t] ∇θ log π(a_it|s_it) ψ_it,  ψ = [norm](Q̂ − b)
  add_part(f, "ĝ = 1/N Σᵢ Σₜ ");
  if (gamma_t) add_part(f, "γᵗ ", Role::kWeight);
  add_part(f, "∇log π(aᵢₜ|sᵢₜ)");
  add_line_break(f);
  add_part(f, "      · ");
  add_reinforce_psi(f, c);
  add_reinforce_notes(f, c, gamma);
  add_note(f, is_unbiased(c, gamma) ? "unbiased for ∇J" : "biased for ∇J (see the variance view)");
  return f;
}

void add_reinforce_psi(Formula& f, const EstimatorConfig& c) {
  const bool total = c.returns == Returns::kTotal;
  if (c.normalize) add_part(f, "norm", Role::kWeight);
  add_part(f, "(", Role::kWeight);
  add_part(f, total ? "Σₜ′ γᵗ′ rᵢₜ′" : "Σₜ′≥ₜ γ^(t′−t) rᵢₜ′", Role::kReturn);
  if (c.baseline != Baseline::kNone) {
    add_part(f, " − ", Role::kWeight);
    add_part(f, baseline_spec(c.baseline).symbol, Role::kBaseline);
  }
  add_part(f, ")", Role::kWeight);
}

void add_reinforce_notes(Formula& f, const EstimatorConfig& c, double gamma) {
  const bool total = c.returns == Returns::kTotal;
  add_note(f, total ? "total return Rᵢ: every step is credited with the whole episode's reward"
                    : "reward-to-go Gᵢₜ: only rewards after step t (causality)");
  if (c.baseline != Baseline::kNone) add_note(f, baseline_spec(c.baseline).meaning_for(c.returns));
  if (c.normalize) add_note(f, "norm(ψ) = (ψ − mean ψ) / (std ψ + 1e-8) over the batch");
  if (applies_discount_weighting(c))
    add_note(f, "γᵗ with γ = " + num(gamma) + ": the discounted objective's own weighting");
  if (c.discount_weighting && total)
    add_note(
        f,
        "γᵗ weighting does not apply to total returns: Rᵢ already discounts every reward from the "
        "episode's start");
}

std::string advantage_text(const AdvantageConfig& a) {
  switch (a.kind) {
    case AdvantageKind::kGAE:
      return "GAE(λ = " + num(a.lambda) + "): " + advantage_spec(a.kind).formula;
    case AdvantageKind::kNStep:
      return "n-step (n = " + std::to_string(a.n) + "): " + advantage_spec(a.kind).formula;
    case AdvantageKind::kTD0:
    case AdvantageKind::kMonteCarlo:
      return std::string(advantage_spec(a.kind).title) + ": " + advantage_spec(a.kind).formula;
  }
  return "";
}

std::string formula_text(const Formula& f) {
  std::string out;
  for (const FormulaPart& p : f) {
    switch (p.role) {
      case Role::kNewLine:
        out += '\n';
        break;
      case Role::kNote:
        if (!out.empty() && out.back() != '\n') out += '\n';
        out += p.text;
        out += '\n';
        break;
      default:
        out += p.text;
        break;
    }
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace pg
