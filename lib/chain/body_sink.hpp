// Where a streamed response body goes (RequestOptions::on_chunk or output_file), as the
// BodyStream's Sink, and the check prepare() makes of an output file before anything is sent.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "chain/body_stream.hpp"
#include "errors/classify.hpp"

namespace rhc::detail {

// Thrown by an output file's sink when the file cannot be opened or written; the delivery
// turns it into rhc::FileError with the request's context (every other exception a sink
// throws is the caller's own, handed over as is).
class FileProblem : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Why `path` cannot be an output file, checked on the caller's thread: its folder does not
// exist or is not writable, or it names a folder. (It may still fail later: FileProblem.)
std::optional<std::string> check_output_file(const std::string& path);

// The failure a request ends with when its sink threw `thrown` (BodyStream::failure()): an
// output file's FileError, else a cancellation by the caller's on_chunk. (What the caller
// then gets is the sink's own exception; this is what the chain counts: neither is the
// server's doing.)
Failure sink_failure(const std::exception_ptr& thrown);

// The caller's callback as is, or a sink writing to `output_file`: opened (created or
// truncated) at the first chunk or, for an empty body, at the end; closed at the end.
BodyStream::Sink make_body_sink(std::function<void(std::string_view)> on_chunk,
                                std::string output_file);

}  // namespace rhc::detail
