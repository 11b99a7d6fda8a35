// The one Catch2 main shared by every test executable. It initialises glog first, as a host
// program does (to stderr, no log files): rhc hands its lines to glog, and so to the glog
// LogSinks tests count them with (BreakerLog, CaptureSink, ...), only once glog is
// initialised; before that it writes them to stderr itself (docs/logging.md).
#define CATCH_CONFIG_RUNNER
#include <glog/logging.h>

#include <catch2/catch.hpp>

int main(int argc, char** argv) {
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  return Catch::Session().run(argc, argv);
}
