// The server's capacity: counts the `/msg` and `/idempotent` handlers running and, with an
// Overload set, refuses new requests at capacity.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <test_server/fault.hpp>

namespace rhc::test_server::detail {

// One per server, shared by both endpoints and every connection. Thread-safe: admission is
// decided under one mutex, so requests arriving together never push the running count past
// max_in_flight. The running count is kept whether or not an Overload is set, so one set while
// handlers run counts them.
class OverloadGate {
 public:
  // One request's place, from admission until the Ticket is destroyed (when its handler
  // returns). A refused request holds no place; refusal() is the Overload that refused it.
  class Ticket {
   public:
    explicit Ticket(OverloadGate& gate) : gate_(gate), refusal_(gate.enter()) {}
    ~Ticket() {
      if (!refusal_) gate_.leave();
    }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;

    bool admitted() const { return !refusal_; }
    const Overload& refusal() const { return *refusal_; }

   private:
    OverloadGate& gate_;
    std::optional<Overload> refusal_;
  };

  // nullopt turns the limit off. Throws std::invalid_argument for max_in_flight == 0.
  void set(const std::optional<Overload>& overload);
  std::optional<Overload> settings() const;

 private:
  // Admits (counting the request as running) and returns nullopt, or returns the Overload
  // that refuses it.
  std::optional<Overload> enter();
  void leave();

  mutable std::mutex mutex_;
  std::optional<Overload> overload_;
  std::size_t running_ = 0;
};

}  // namespace rhc::test_server::detail
