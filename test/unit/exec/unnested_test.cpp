// run_unnested: a task run from inside another waits until the outer one returns.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "exec/unnested.hpp"

using rhc::detail::run_unnested;
using rhc::detail::UnnestedFrame;

TEST_CASE("run_unnested runs a task at once when the thread is in none", "[exec][unnested]") {
  bool ran = false;
  run_unnested([&] { ran = true; });
  CHECK(ran);
}

TEST_CASE("a task started from inside another runs after it, on the same thread",
          "[exec][unnested]") {
  std::vector<std::string> order;
  const auto outer_thread = std::this_thread::get_id();
  bool same_thread = false;
  run_unnested([&] {
    order.push_back("outer begins");
    run_unnested([&] {
      order.push_back("first inner");
      run_unnested([&] { order.push_back("inner of inner"); });
      same_thread = std::this_thread::get_id() == outer_thread;
    });
    run_unnested([&] { order.push_back("second inner"); });
    order.push_back("outer ends");
  });
  CHECK(order == std::vector<std::string>{"outer begins", "outer ends", "first inner",
                                          "second inner", "inner of inner"});
  CHECK(same_thread);
}

TEST_CASE("a chain of any length keeps one task on the stack", "[exec][unnested]") {
  int depth = 0, deepest = 0, ran = 0;
  std::function<void()> step = [&] {
    deepest = std::max(deepest, ++depth);
    if (++ran < 100'000) run_unnested(step);
    --depth;
  };
  run_unnested(step);
  CHECK(ran == 100'000);
  CHECK(deepest == 1);
}

TEST_CASE("a frame queues what is started inside it and runs it when it ends", "[exec][unnested]") {
  int ran = 0;
  {
    UnnestedFrame frame;
    run_unnested([&] { ++ran; });
    CHECK(ran == 0);
    {
      UnnestedFrame inner;  // an inner frame does not drain: the outer one does
    }
    CHECK(ran == 0);
  }
  CHECK(ran == 1);
  run_unnested([&] { ++ran; });  // the thread is out of every frame again
  CHECK(ran == 2);
}
