// CLI11's parse errors in pglab's words: one line naming the flag, what is wrong and what to do
// (DESIGN.md §5). CLI11 2.1's messages — "At Most 1 required but received 2", "1 required INT
// missing", "The following argument was not expected", "Could not convert" — name no fix; each
// kind is recognised by its exception type and the fixed shape of its text (CLI/Error.hpp), and
// anything else passes through unchanged.
#include <algorithm>
#include <string>
#include <vector>

#include "cli/common.h"
#include "util/text.h"

namespace pg::cli {

namespace {

bool starts_with(const std::string& s, const std::string& head) {
  return s.compare(0, head.size(), head) == 0;
}
bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The part of "NAME: rest" before ": ", or "" when `msg` has no such name (flags start with '-').
std::string flag_of(const std::string& msg) {
  const size_t colon = msg.find(": ");
  if (colon == std::string::npos || msg[0] != '-') return "";
  return msg.substr(0, colon);
}

const CLI::Option* find_option(const CLI::App& app, const CLI::App* sub, const std::string& name) {
  if (sub)
    if (const CLI::Option* o = sub->get_option_no_throw(name)) return o;
  return app.get_option_no_throw(name);
}

// The flag's help text as a clause: "Output JSON file (- for …)" → "output JSON file (- for …)".
std::string clause(const CLI::Option* o) {
  if (!o || o->get_description().empty()) return "";
  std::string d = o->get_description();
  if (d.size() > 1 && d[0] >= 'A' && d[0] <= 'Z' && !(d[1] >= 'A' && d[1] <= 'Z'))
    d[0] = static_cast<char>(d[0] - 'A' + 'a');
  return d;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(s->get_name());
  return names;
}

// "a, b, c", or with `last` "a, b or c".
std::string joined(const std::vector<std::string>& v, const char* last = ", ") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i)
    out += (i == 0 ? "" : i + 1 == v.size() ? last : ", ") + v[i];
  return out;
}

// Names in `candidates` that `word` may have meant: within one edit for a short word (--out is
// not a typo of --set), two from five letters on (trian → train), or begun by it (--iter →
// --iterations).
std::vector<std::string> near(const std::string& word, const std::vector<std::string>& candidates) {
  const size_t letters = word.size() - std::min(word.find_first_not_of('-'), word.size());
  const int cap = letters >= 5 ? std::max(2, static_cast<int>(letters) / 4) : 1;
  std::vector<std::string> out;
  for (const std::string& c : candidates)
    if (edit_distance(word, c, cap) <= cap || (word.size() >= 4 && starts_with(c, word)))
      out.push_back(c);
  return out;
}

std::vector<std::string> long_flags(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* o : app.get_options())
    for (const std::string& l : o->get_lnames()) out.push_back("--" + l);
  return out;
}

// What a flag's value is, for "no value given; expected …": from its type name (CLI11's type, then
// our validator's, "INT:INT", "TEXT:FILE", "FLOAT:NUMBER", "LIST"), else "" (the help text says).
std::string value_kind(const CLI::Option* o) {
  if (!o) return "";
  const std::string t = o->get_type_name();
  if (starts_with(t, "LIST")) return "a comma-separated list";
  if (t.find("INT") != std::string::npos) return "an integer";
  if (t.find("FLOAT") != std::string::npos || t.find("FINITE") != std::string::npos ||
      t.find("NUMBER") != std::string::npos)
    return "a number";
  if (t.find("FILE") != std::string::npos) return "a file name";
  return "";
}

// "; expected an integer", or the flag's help in parentheses when its type says nothing more
// than text ("(Override a scenario key: --set estimator.baseline=mean (repeatable))").
std::string expected_value(const CLI::Option* o) {
  const std::string kind = value_kind(o);
  if (!kind.empty()) return "; expected " + kind;
  return o && !o->get_description().empty() ? " (" + o->get_description() + ")" : "";
}

// An argument nothing takes: a mistyped or misplaced flag, a second subcommand, a word too many.
std::string unexpected(const std::string& arg, const CLI::App& app, const CLI::App* sub) {
  const std::string cmd = sub ? "pglab " + sub->get_name() : "pglab";
  const std::vector<std::string> subs = subcommand_names(app);
  if (starts_with(arg, "-")) {
    const std::string flag = arg.substr(0, arg.find('='));
    // A flag the command takes reaches here only as a word after "--", which ends the options
    // (it said "'--iterations' is not an option of pglab train; did you mean --iterations?").
    if ((sub ? *sub : app).get_option_no_throw(flag))
      return quote(arg) + " comes after '--', which ends the options of " + cmd +
             "; leave out the '--'";
    std::string msg = quote(flag) + " is not an option of " + cmd;
    const std::vector<std::string> guess = near(flag, long_flags(sub ? *sub : app));
    if (!guess.empty()) return msg + "; did you mean " + joined(guess, " or ") + "?";
    std::vector<std::string> owners;  // the subcommands that do take it
    for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
      if (s->get_option_no_throw(flag)) owners.push_back(s->get_name());
    if (!owners.empty())
      msg += " (" + joined(owners, " and ") + (owners.size() == 1 ? " takes" : " take") + " it)";
    return msg;
  }
  if (!sub) {
    std::string msg = quote(arg) + " is not a subcommand";
    const std::vector<std::string> guess = near(arg, subs);
    if (!guess.empty()) msg += " (did you mean " + joined(guess, " or ") + "?)";
    return msg + "; subcommands: " + joined(subs) + ", or none to open the window";
  }
  if (std::find(subs.begin(), subs.end(), arg) != subs.end())
    return quote(arg) + ": one subcommand at a time (this is " + cmd + ")";
  return quote(arg) + ": unexpected argument; " + cmd +
         " takes flags only (--name value), e.g. --scenario NAME";
}

}  // namespace

std::string parse_error_message(const CLI::ParseError& e, const CLI::App& app) {
  const std::vector<CLI::App*> chosen = app.get_subcommands();
  const CLI::App* sub = chosen.empty() ? nullptr : chosen.back();
  const std::string see =
      " (see 'pglab" + (sub ? " " + sub->get_name() : std::string()) + " --help')";
  const std::string msg = e.what();
  const std::string flag = flag_of(msg);
  const CLI::Option* opt = flag.empty() ? nullptr : find_option(app, sub, flag);

  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    // A value given to a flag (--json=false): CLI11 names it without its dashes.
    const size_t override_at = msg.find(" was given a disallowed flag override");
    if (override_at != std::string::npos) {
      const std::string name = "--" + msg.substr(0, override_at);
      return name + ": a flag takes no value (give it alone, or leave it out)" + see;
    }
    const size_t at_most = msg.find(": At Most 1 required but received ");
    if (!flag.empty() && at_most != std::string::npos) {
      const std::string times = msg.substr(at_most + 34);
      std::string fix = "give it once";
      if (opt && starts_with(opt->get_type_name(), "LIST"))
        fix = "give all its values in one comma-separated list";
      return flag + " given " + (times == "2" ? std::string("twice") : times + " times") + "; " +
             fix + see;
    }
    if (!flag.empty() &&
        (ends_with(msg, " missing") || msg.find(": At least ") != std::string::npos)) {
      return flag + ": no value given" + expected_value(opt) + see;
    }
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) && ends_with(msg, " is required")) {
    const std::string name = msg.substr(0, msg.size() - 12);
    const std::string what = clause(find_option(app, sub, name));
    return name + ": required" + (what.empty() ? "" : ": " + what) + see;
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    const size_t colon = msg.find(" expected: ");
    if (colon != std::string::npos) {
      // CLI11 lists them last first (detail::rjoin): in command-line order, the first flag
      // among them is the mistake ("--iter 3" left both), else the first word.
      std::vector<std::string> args;
      const std::string list = msg.substr(colon + 11);
      for (size_t start = 0; start <= list.size();) {
        const size_t space = std::min(list.find(' ', start), list.size());
        args.insert(args.begin(), list.substr(start, space - start));
        start = space + 1;
      }
      std::string arg = args.front();
      for (const std::string& a : args)
        if (starts_with(a, "-")) {
          arg = a;
          break;
        }
      return unexpected(arg, app, sub) + see;
    }
  }
  if (dynamic_cast<const CLI::ConversionError*>(&e)) {
    if (starts_with(msg, "Could not convert: ")) {
      const std::string rest = msg.substr(19);
      const size_t eq = rest.find(" = ");
      const std::string name = rest.substr(0, eq);
      const CLI::Option* o = eq == std::string::npos ? nullptr : find_option(app, sub, name);
      if (o && o->get_items_expected_max() == 0)  // --json=maybe
        return name + ": a flag takes no value (give it alone, or leave it out)" + see;
      if (eq != std::string::npos)
        return name + ": cannot read " + quote(rest.substr(eq + 3), 60) +
               (value_kind(o).empty() ? "" : "; expected " + value_kind(o)) + see;
    }
    if (!flag.empty() && ends_with(msg, "too many inputs for a flag"))
      return flag + ": a flag takes no value" + see;
    if (!flag.empty() && ends_with(msg, "Should be true/false or a number"))
      return flag + ": a flag takes no value (give it alone, or leave it out)" + see;
  }
  return printable(msg, 300) + see;
}

}  // namespace pg::cli
