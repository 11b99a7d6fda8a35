// A response body that goes out as it arrives instead of into Response::text: to a callback
// (on_chunk) or to a file (output_file). For bodies too large to hold, or to process early.
#include <cstdio>
#include <iostream>
#include <rhc/rhc.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);
  int surprises = 0;

  // on_chunk runs on the client's executor, in order, one call at a time for this request.
  // A slow consumer is fine: past 1 MiB waiting for it, the transfer pauses until it catches
  // up. The future resolves after the last chunk, so `size` is final once get() returns.
  std::size_t size = 0;
  rhc::RequestOptions streamed;
  streamed.on_chunk = [&size](std::string_view chunk) { size += chunk.size(); };
  rhc::Response response = client.get("/msg", streamed).get();
  std::cout << "streamed " << size << " bytes, text holds " << response.text.size() << "\n";
  if (size == 0 || !response.text.empty()) ++surprises;

  // Or straight into a file, created or truncated when the body's first byte arrives. A
  // folder that does not exist is a ConfigError before anything is sent; a file that cannot
  // be written later is a FileError.
  const std::string path = "streaming-example.json";
  rhc::RequestOptions to_file;
  to_file.output_file = path;
  client.get("/msg", to_file).get();
  std::cout << "wrote " << path << "\n";
  std::remove(path.c_str());

  // Once a byte has been handed out the request is committed: a failure after that (the
  // connection lost mid-body) surfaces at once, never retried. A failure before the body
  // (a 503, a refused connection) is retried as usual, and only the 2xx body is streamed.
  // If on_chunk throws, the transfer stops and the request fails with that exception.
  rhc::RequestOptions throwing;
  throwing.on_chunk = [](std::string_view) { throw std::runtime_error("no room for it"); };
  try {
    client.get("/msg", throwing).get();
    ++surprises;
  } catch (const std::runtime_error& e) {
    std::cout << "on_chunk threw: " << e.what() << "\n";
  }
  return surprises == 0 ? 0 : 1;
}
