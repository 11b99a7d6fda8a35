#include "load_report.hpp"

namespace rhc::probe {

double LoadReport::error_share() const {
  const auto completed = figures.completed();
  return completed > 0 ? static_cast<double>(figures.errors()) / static_cast<double>(completed) : 0;
}

bool LoadReport::over_error_limit() const {
  if (!max_error_share) return false;
  return figures.completed() == 0 || error_share() > *max_error_share;
}

double LoadReport::round_trips_per_second() const {
  return run.elapsed_s > 0 ? static_cast<double>(figures.round_trips.count()) / run.elapsed_s : 0;
}

double LoadReport::served_per_second() const {
  return run.elapsed_s > 0 ? static_cast<double>(figures.served()) / run.elapsed_s : 0;
}

}  // namespace rhc::probe
