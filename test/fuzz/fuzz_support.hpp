// What every fuzz target shares: how a broken property is reported, and how an input is cut
// into fields.
//
// A target that finds a property broken calls fail(), which prints the property and aborts;
// libFuzzer then reports a crash and saves the input as crash-<sha1>. Uncaught exceptions
// and sanitizer reports end the run the same way.
#pragma once

#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rhc_fuzz {

[[noreturn]] inline void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "\n==rhc-fuzz== %s: property broken: %s\n", target, what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Open library bugs are listed in docs/fuzzing.md, each with an input that shows it in
// test/fuzz/open-bugs/<target>/. While a bug is open, its target steps around the inputs it
// covers (each such place is marked "open bug:"), so that a timed run goes on looking for new
// bugs instead of finding the known one again. RHC_FUZZ_STRICT=1 steps around nothing: run.sh
// replays open-bugs/ that way, and reports each bug as still open or fixed. When lib/ fixes
// one, delete its tolerance and move its input into corpus/.
inline bool strict() {
  static const bool on = [] {
    const char* v = std::getenv("RHC_FUZZ_STRICT");
    return v != nullptr && std::strcmp(v, "1") == 0;
  }();
  return on;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input's first byte is the separator; the rest is cut at every occurrence of it.
// "|GET|Accept|text/html" gives {"GET", "Accept", "text/html"}. Seeds stay readable, and the
// fuzzer can still put any byte (NUL, CR, LF) inside a field by picking another separator.
inline std::vector<std::string_view> split_fields(std::string_view input) {
  std::vector<std::string_view> out;
  if (input.empty()) return out;
  const char sep = input.front();
  input.remove_prefix(1);
  while (true) {
    const auto at = input.find(sep);
    out.push_back(input.substr(0, at));
    if (at == std::string_view::npos) break;
    input.remove_prefix(at + 1);
  }
  return out;
}

// For messages: bytes outside printable ASCII as \xNN, cut to 200 characters.
inline std::string printable(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < 200; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
  if (s.size() > 200) out += "...";
  return out;
}

// CR, LF or NUL: what would split a header or a log line, or cut a C string short.
inline bool has_cr_lf_nul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// Runs `fn` on a thread of its own with a stack of `stack_bytes`, waits for it, and rethrows
// what it threw. Code whose stack use grows with its input (a recursive parser) overflows
// here on inputs small enough for the fuzzer to make, instead of only on megabytes.
template <class F>
void on_small_stack(std::size_t stack_bytes, F&& fn) {
  struct Context {
    std::remove_reference_t<F>* fn;
    std::exception_ptr error;
  } context{&fn, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  pthread_t thread;
  const int rc = pthread_create(
      &thread, &attr,
      [](void* p) -> void* {
        auto* c = static_cast<Context*>(p);
        try {
          (*c->fn)();
        } catch (...) {
          c->error = std::current_exception();
        }
        return nullptr;
      },
      &context);
  pthread_attr_destroy(&attr);
  if (rc != 0) fail("support", "pthread_create failed");
  pthread_join(thread, nullptr);
  if (context.error) std::rethrow_exception(context.error);
}

}  // namespace rhc_fuzz
