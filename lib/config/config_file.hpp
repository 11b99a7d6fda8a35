// Reading a configuration file (RHC_CONFIG_FILE) without ever blocking on it.
//
// A path can name anything: a FIFO with no writer (open() would wait for one forever), a
// character device (/dev/zero never ends, /dev/tty waits for a keystroke), a directory. The
// file is opened with O_NONBLOCK, which makes open() on a FIFO return at once, and must then
// be a regular file (fstat on the open descriptor, so nothing can swap the path in between).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace rhc::detail::config {

// Reads the regular file at `path` into `out`. Returns why it could not ("cannot open
// "/x": No such file or directory", ""/x" is not a regular file (a FIFO)", ""/x" is larger
// than 1 MiB"), or nullopt. The path is quoted escaped and cut (validate.hpp's quote()).
std::optional<std::string> read_config_file(const std::string& path, std::size_t max_bytes,
                                            std::string& out);

}  // namespace rhc::detail::config
