#include "idempotent_handler.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fault_params.hpp"
#include "fault_responses.hpp"
#include "json_bodies.hpp"
#include "request_id.hpp"
#include "uuid.hpp"

namespace rhc::test_server::detail {
namespace {

constexpr const char* kJson = "application/json";

// FNV-1a over method, path (without the query, so `work_ms` may differ between retries) and
// body. Method and path never contain '\n', so the separators keep the three fields apart; a
// hash keeps 8 bytes per key instead of each request body.
std::uint64_t fingerprint_of(const httplib::Request& request) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto mix = [&hash](std::string_view text) {
    for (const unsigned char c : text) {
      hash ^= c;
      hash *= 0x100000001b3ULL;
    }
  };
  mix(request.method);
  mix("\n");
  mix(request.path);
  mix("\n");
  mix(request.body);
  return hash;
}

void answer_error(httplib::Response& response, int status, std::string_view message) {
  response.status = status;
  response.set_content(error_json(message), kJson);
}

// A fresh or replayed response; trickled out if the request drew a slow_body fault, which,
// as on /msg, is a success delivered late.
void answer(httplib::Response& response, const StoredResponse& stored,
            const std::optional<Fault>& slow_body, const StopSignal& stop) {
  if (slow_body) {
    answer_slowly(response, *slow_body, stored.body, stop);
  } else {
    response.set_content(stored.body, kJson);
  }
  response.status = stored.status;
}

}  // namespace

IdempotentHandler::IdempotentHandler(FaultInjector& faults, SlownessInjector& slowness,
                                     StatsRecorder& stats, IdempotencyKeys& keys,
                                     const StopSignal& stop, std::chrono::milliseconds max_work)
    : faults_(faults),
      slowness_(slowness),
      stats_(stats),
      keys_(keys),
      stop_(stop),
      max_work_(max_work) {}

void IdempotentHandler::operator()(const httplib::Request& request,
                                   httplib::Response& response) const {
  const std::uint64_t attempt = stats_.count_idempotent_request(request_id_of(request));
  std::chrono::milliseconds work;
  try {
    work = parse_millis(request.params, "work_ms", max_work_);
  } catch (const std::invalid_argument& bad) {
    answer_error(response, 400, bad.what());
    return;
  }

  // Drawn before the key is looked at, from the plan /msg draws from, so faults follow
  // arrival order across both endpoints. A failure stands for a request that never reached
  // the application: nothing is executed or stored, and a retry with the key executes.
  const std::optional<Fault> fault = faults_.next();
  if (fault) stats_.count_idempotent_fault(*fault);
  // Slowness is waited before the key is claimed: it models a slow way to the application, so
  // a second request with the key (a hedge) that overtakes this one executes it, and this one
  // is then replayed (or refused with 409 while the work lasts).
  const std::optional<std::chrono::milliseconds> slow = slowness_.next(attempt);
  if (slow) {
    stats_.count_slowed();
    if (slow->count() > 0 && stop_.wait_for(*slow)) {
      reset_connection();
      return;
    }
  }
  if (fault && fault->is_failure()) {
    answer_with_failure(response, *fault, idempotent_fault_json(*fault), stop_);
    return;
  }

  const std::string key = request.get_header_value("Idempotency-Key");
  if (key.empty()) {
    answer_error(response, 400, "the Idempotency-Key header is required");
    return;
  }

  const KeyClaim claim = keys_.claim(key, fingerprint_of(request));
  switch (claim.verdict) {
    case KeyClaim::Verdict::mismatch:
      stats_.count_idempotent_mismatch();
      answer_error(response, 422, "Idempotency-Key reused with a different request");
      return;
    case KeyClaim::Verdict::in_progress:
      stats_.count_idempotent_conflict();
      answer_error(response, 409, "request with this Idempotency-Key is still in progress");
      return;
    case KeyClaim::Verdict::replay:
      stats_.count_idempotent_replay();
      response.set_header("Idempotent-Replayed", "true");
      answer(response, claim.stored, fault, stop_);
      return;
    case KeyClaim::Verdict::execute:
      break;
  }

  stats_.count_idempotent_execution(key);
  if (work.count() > 0 && stop_.wait_for(work)) {
    // Stopping mid-work: no response, and no result, so nothing claims the work was done.
    keys_.abandon(key, claim.ticket);
    reset_connection();
    return;
  }
  const StoredResponse fresh{200, idempotent_success_json(make_uuid_v4(), key)};
  keys_.complete(key, claim.ticket, fresh);
  answer(response, fresh, fault, stop_);
}

}  // namespace rhc::test_server::detail
