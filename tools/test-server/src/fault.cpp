#include <test_server/fault.hpp>

namespace rhc::test_server {

std::string to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::status:
      return "status";
    case FaultKind::reset:
      return "reset";
    case FaultKind::truncate:
      return "truncate";
    case FaultKind::hang:
      return "hang";
    case FaultKind::slow_body:
      return "slow_body";
  }
  return "unknown";
}

Fault Fault::status_code(int status, std::optional<std::chrono::seconds> retry_after,
                         bool http_date) {
  Fault fault;
  fault.status = status;
  fault.retry_after = retry_after;
  fault.retry_after_http_date = http_date;
  return fault;
}

Fault Fault::reset() {
  Fault fault;
  fault.kind = FaultKind::reset;
  return fault;
}

Fault Fault::truncate(std::size_t announced_bytes) {
  Fault fault;
  fault.kind = FaultKind::truncate;
  fault.body_bytes = announced_bytes;
  return fault;
}

Fault Fault::hang(std::chrono::milliseconds hang_for) {
  Fault fault;
  fault.kind = FaultKind::hang;
  fault.hang_for = hang_for;
  return fault;
}

Fault Fault::slow_body(std::size_t body_bytes, std::size_t chunk_bytes,
                       std::chrono::milliseconds chunk_interval) {
  Fault fault;
  fault.kind = FaultKind::slow_body;
  fault.body_bytes = body_bytes;
  fault.chunk_bytes = chunk_bytes;
  fault.chunk_interval = chunk_interval;
  return fault;
}

std::string Fault::name() const {
  if (kind == FaultKind::status) return "status_" + std::to_string(status);
  return to_string(kind);
}

}  // namespace rhc::test_server
