#pragma once
// Quoting bad input in messages (STYLE.md §7): a message is one line a person reads, so a bad value
// is shown by its first kQuoteMax characters, with control characters and bytes that are not UTF-8
// escaped. Every message that quotes a value from outside goes through quote() or shorten_path().

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pg {

// Longest quote of a bad value in a message (characters).
inline constexpr size_t kQuoteMax = 200;
// Longest whole message shown (the command line's failure line, the window's error panes): our own
// messages fit (a budget refusal with its advice runs to ~300), and however long a value inside a
// foreign one, no line can flood a terminal or overflow ImGui's 16-bit vertex buffer.
inline constexpr size_t kMessageMax = 1000;

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). When
// it is not, *bad_at (if given) is the byte offset of the first byte that breaks it.
bool is_valid_utf8(std::string_view s, size_t* bad_at = nullptr);

// `s` made printable for a one-line message, at most max_chars characters: control characters
// as \n, \t, \xNN, invalid UTF-8 bytes as \xNN, characters that are invisible or reorder the line
// (C1 controls, bidi overrides, zero-width, U+2028/9, BOM) as \uNNNN, and "… (N bytes)" when cut.
std::string printable(std::string_view s, size_t max_chars = kQuoteMax);

// printable(s) in single quotes: 'frozen-lake', 'aaaa… (20000 bytes)'.
std::string quote(std::string_view s, size_t max_chars = kQuoteMax);

// A path for the "where" of a message: printable, and a long one keeps its head and tail.
std::string shorten_path(std::string_view path);

// A number as messages print it: the shortest %g form that reads back as v (0.7, -1e-09, 1e+300),
// integers without a point, nan, inf, -inf. Never std::to_string's fixed six decimals, which print
// -1e-9 as -0.000000.
std::string number_text(double v);

// "1 episode", "16 episodes", "0 episodes": a count with its noun, plural by adding "s".
std::string counted(long n, std::string_view noun);

// Edit distance between a and b (insertions, deletions, substitutions), capped at cap + 1: what
// "did you mean" suggestions measure (an unknown scenario key, an unknown flag).
int edit_distance(std::string_view a, std::string_view b, int cap);

// "did you mean a, b or c? " for 1 to `most` candidates; "" for none or more than `most` (a guess
// among many helps nobody).
std::string did_you_mean(const std::vector<std::string>& near, size_t most);

// Number of UTF-8 characters (code points) in valid UTF-8 text.
size_t utf8_length(std::string_view s);

// Valid UTF-8 text cut to at most max_chars characters, never inside one, with "…" in place of
// what was cut (the "…" counts as one of the max_chars, so max_chars must be at least 1).
std::string utf8_elided(std::string_view s, size_t max_chars);

}  // namespace pg
