// Whole files in and out, for the test fixtures that write configs and read logs.
#pragma once

#include <filesystem>
#include <string>

namespace rhc::testing {

// The file's bytes; "" if it cannot be read (a log not written yet).
std::string read_file(const std::filesystem::path& path);

// Replaces the file with `text`; throws std::runtime_error naming it on failure.
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace rhc::testing
