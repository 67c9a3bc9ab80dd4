#pragma once
// One table per enumerated concept (DESIGN.md §3a): each row holds the value, the name that files,
// dumps and the command line use, a title for the screen and a one-line meaning. Parsers, error
// messages, dumps, session files and the README's lists read the table; nothing spells the names
// a second time.
//
//   template <> struct EnumTable<EnvKind> {
//     static constexpr EnumRow<EnvKind> rows[] = {{EnvKind::kGridworld, "gridworld", …}, …};
//   };
//   name_of(EnvKind::kCartpole)              // "cartpole"
//   enum_from_name("cartpole", &kind)        // true, kind = EnvKind::kCartpole
//   enum_names<EnvKind>()                    // {"gridworld", "cartpole", …} in table order
//   enum_name_list<EnvKind>()                // "gridworld, cartpole, …" for messages

#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace pg {

template <class E>
struct EnumRow {
  E value;
  const char* name;     // as in files: "kl-penalty"
  const char* title;    // as on screen: "KL penalty"
  const char* meaning;  // one line for a tooltip or a README list
};

// Specialised once per enumeration, beside the enum: static constexpr EnumRow<E> rows[] (or rows
// of a richer struct with the same four fields first, as AdvantageSpec adds a symbol).
template <class E>
struct EnumTable;

template <class E>
concept TabledEnum = requires {
  EnumTable<E>::rows[0].value;
  EnumTable<E>::rows[0].name;
};

template <TabledEnum E>
const auto& enum_row(E v) {
  for (const auto& r : EnumTable<E>::rows)
    if (r.value == v) return r;
  PG_ASSERT(false, "every value of the enumeration has a row in its EnumTable");
}

template <TabledEnum E>
const char* name_of(E v) {
  return enum_row(v).name;
}

template <TabledEnum E>
const char* title_of(E v) {
  return enum_row(v).title;
}

// False (out untouched) when `name` is not in the table.
template <TabledEnum E>
bool enum_from_name(std::string_view name, E* out) {
  for (const auto& r : EnumTable<E>::rows)
    if (name == r.name) {
      *out = r.value;
      return true;
    }
  return false;
}

// For names already validated against the parameter table (io/params.h).
template <TabledEnum E>
E enum_from_valid_name(std::string_view name) {
  E v{};
  const bool ok = enum_from_name(name, &v);
  PG_ASSERT(ok, "enumeration names are validated against the parameter table first");
  return v;
}

template <TabledEnum E>
std::vector<std::string> enum_names() {
  std::vector<std::string> out;
  for (const auto& r : EnumTable<E>::rows) out.emplace_back(r.name);
  return out;
}

// "gridworld, cartpole, …": the allowed names for a message, in table order.
template <TabledEnum E>
std::string enum_name_list() {
  std::string out;
  for (const auto& r : EnumTable<E>::rows) out += (out.empty() ? "" : ", ") + std::string(r.name);
  return out;
}

}  // namespace pg
