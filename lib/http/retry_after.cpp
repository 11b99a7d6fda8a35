#include "http/retry_after.hpp"

#include <array>
#include <cstdint>

#include "base/clock.hpp"

namespace rhc::detail {
namespace {

constexpr std::int64_t kMaxWaitSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(kMaxDuration).count();

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return lower(c) >= 'a' && lower(c) <= 'z'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

template <std::size_t N>
int index_of(const std::array<std::string_view, N>& names, std::string_view word) {
  for (std::size_t i = 0; i < N; ++i) {
    if (iequals(names[i], word)) return static_cast<int>(i);
  }
  return -1;
}

// A forward-only reader over the header value; every method consumes only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  bool literal(std::string_view expected) {
    if (!iequals(text_.substr(pos_, expected.size()), expected)) return false;
    pos_ += expected.size();
    return true;
  }
  bool number(int width, int& out) {
    if (text_.size() - pos_ < static_cast<std::size_t>(width)) return false;
    int value = 0;
    for (int i = 0; i < width; ++i) {
      const char c = text_[pos_ + static_cast<std::size_t>(i)];
      if (!is_digit(c)) return false;
      value = value * 10 + (c - '0');
    }
    pos_ += static_cast<std::size_t>(width);
    out = value;
    return true;
  }
  std::string_view word() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_alpha(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  bool month(int& out) {
    const std::size_t start = pos_;
    out = index_of(kMonths, word()) + 1;
    if (out == 0) pos_ = start;
    return out != 0;
  }
  // "HH:MM:SS"
  bool time_of_day(int& h, int& m, int& s) {
    return number(2, h) && literal(":") && number(2, m) && literal(":") && number(2, s);
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// Dispatches on the day name: "Sun," (IMF-fixdate), "Sunday," (RFC 850), "Sun " (asctime).
std::optional<CivilTime> parse_http_date(std::string_view text, int current_year) {
  Cursor in(text);
  CivilTime t;
  const std::string_view day_name = in.word();
  const bool short_day = index_of(kDays, day_name) >= 0;
  const bool long_day = index_of(kLongDays, day_name) >= 0;
  bool ok = false;
  if (short_day && in.literal(", ")) {
    ok = in.number(2, t.day) && in.literal(" ") && in.month(t.month) && in.literal(" ") &&
         in.number(4, t.year) && in.literal(" ") && in.time_of_day(t.hour, t.minute, t.second) &&
         in.literal(" GMT");
  } else if (long_day && in.literal(", ")) {
    int yy = 0;
    ok = in.number(2, t.day) && in.literal("-") && in.month(t.month) && in.literal("-") &&
         in.number(2, yy) && in.literal(" ") && in.time_of_day(t.hour, t.minute, t.second) &&
         in.literal(" GMT");
    t.year = current_year - current_year % 100 + yy;
    if (t.year > current_year + 50) t.year -= 100;
  } else if (short_day && in.literal(" ")) {
    ok = in.month(t.month) && in.literal(" ");
    // The day is "DD" or " D".
    ok = ok && (in.literal(" ") ? in.number(1, t.day) : in.number(2, t.day));
    ok = ok && in.literal(" ") && in.time_of_day(t.hour, t.minute, t.second) && in.literal(" ") &&
         in.number(4, t.year);
  }
  if (!ok || !in.done()) return std::nullopt;
  // Second 60 allows a leap second.
  if (t.hour > 23 || t.minute > 59 || t.second > 60) return std::nullopt;
  return t;
}

std::optional<Duration> parse_delta_seconds(std::string_view digits) {
  std::int64_t value = 0;
  for (const char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    // Saturate rather than overflow: any number this large means "longer than max_wait".
    if (value <= kMaxWaitSeconds) value = value * 10 + (c - '0');
  }
  if (value > kMaxWaitSeconds) return kMaxDuration;
  return std::chrono::seconds(value);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Duration> parse_retry_after(std::string_view value,
                                          std::chrono::system_clock::time_point now_wall) {
  using namespace std::chrono;
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (is_digit(value.front())) return parse_delta_seconds(value);

  const auto now_seconds = floor<seconds>(now_wall);
  const int current_year = static_cast<int>(year_month_day(floor<days>(now_wall)).year());
  const std::optional<CivilTime> t = parse_http_date(value, current_year);
  if (!t) return std::nullopt;
  const year_month_day date{year{t->year}, month{static_cast<unsigned>(t->month)},
                            day{static_cast<unsigned>(t->day)}};
  if (!date.ok()) return std::nullopt;  // Feb 30, Apr 31, Feb 29 of a common year
  const sys_seconds at = sys_days(date) + hours(t->hour) + minutes(t->minute) + seconds(t->second);

  // Whole seconds first, so a far-future date cannot overflow nanosecond arithmetic.
  const std::int64_t ahead = (at - now_seconds).count();
  if (ahead <= 0) return Duration::zero();
  if (ahead > kMaxWaitSeconds) return kMaxDuration;
  return duration_cast<Duration>(seconds(ahead) - (now_wall - now_seconds));
}

}  // namespace rhc::detail
