#pragma once
// The formulas the screen shows (DESIGN.md §3, §3a), built from the same definitions the code
// computes — one place, read by Algorithm::info(), the formula panel (live toggles) and the CLI.
//
//   Formula f = reinforce_formula(config, gamma);   // ĝ = 1/N Σᵢ Σₜ [γᵗ] ∇log π · (Q̂ − b) …
//   std::string s = formula_text(f);                 // one string, lines joined by '\n'
//
// A Formula is a list of runs: kReturn / kBaseline / kWeight runs are coloured by the screen,
// kNewLine breaks the line, kNote runs are whole explanation lines below the formula.

#include <string>

#include "algo/describe.h"
#include "estimator/advantages.h"
#include "estimator/estimator_config.h"

namespace pg {

// Baselines' symbols and meanings: baseline_spec() (estimator/estimator_config.h); whether γᵗ
// weighting applies to a setting: applies_discount_weighting() (reward-to-go only, DESIGN.md §3).

// REINFORCE's ĝ for a setting (DESIGN.md §3), following the toggles: γᵗ only when it applies,
// norm(…) when normalize, the baseline's symbol, then notes (returns, baseline, normalisation,
// γᵗ, and whether the setting is unbiased for ∇J).
Formula reinforce_formula(const EstimatorConfig& c, double gamma);

// The runs of ψ's parenthesis alone: [norm](Σ … r − b), coloured as in reinforce_formula.
void add_reinforce_psi(Formula& f, const EstimatorConfig& c);
// The notes of reinforce_formula without the verdict line (returns, baseline, norm, γᵗ).
void add_reinforce_notes(Formula& f, const EstimatorConfig& c, double gamma);

// The advantage estimator as a one-line note: "GAE(λ = 0.95): Âₜ = Σₗ (γλ)ˡ δₜ₊ₗ", …
std::string advantage_text(const AdvantageConfig& a);

// The entropy bonus REINFORCE, off-policy PG and GRPO add to their step (add_entropy_bonus):
// nothing when `coef` (algorithm.entropy_coef) is 0, else a note that the step is ĝ + c·∇H̄.
void add_entropy_bonus_note(Formula& f, double coef);

// A setting as messages and notes name it: "reward-to-go/leave-one-out"; `with_options` adds
// ", normalised" and ", γᵗ weighting" where they apply.
std::string setting_name(const EstimatorConfig& c, bool with_options = false);

// A number as formulas and derivations print it ("%.4g").
std::string formula_number(double v);

// The runs joined: kNewLine and each kNote start a new line.
std::string formula_text(const Formula& f);

// Helpers for building formulas.
void add_part(Formula& f, const std::string& text,
              FormulaPart::Role role = FormulaPart::Role::kPlain);
void add_line_break(Formula& f);
void add_note(Formula& f, const std::string& text);

}  // namespace pg
